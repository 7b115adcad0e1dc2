"""The `input` arguments of the lifecycle mutations that name one trader and little else."""

from __future__ import annotations

import strawberry
from pydantic import SecretStr

from upstream.records import Attribute


@strawberry.input(description="A trader and the cTrader ID (user) to link it to.")
class LinkTraderInput:
    login: int
    user_id: int
    password: str = strawberry.field(description="The trader's password; the upstream checks it.")

    def secret(self) -> SecretStr:
        return SecretStr(self.password)


@strawberry.input(description="The partners (introducing brokers) to attribute a trader to.")
class AttributeToPartnersInput:
    login: int
    introducing_broker1: str | None = strawberry.field(default=None, description="1st level.")
    introducing_broker2: str | None = strawberry.field(default=None, description="2nd level.")


@strawberry.input(description="A trader and the white label (brokerName) to move it to.")
class MoveTraderToWhiteLabelInput:
    login: int
    white_label: str


@strawberry.input(description="A trader and a password, to set or to check.")
class TraderPasswordInput:
    login: int
    password: str = strawberry.field(description="Hashed before it leaves the service.")

    def secret(self) -> SecretStr:
        return SecretStr(self.password)


@strawberry.input(description="One free-form name/value pair.")
class AttributeInput:
    name: str = strawberry.field(description="1 to 64 characters.")
    value: str = strawberry.field(description="1 to 512 characters.")


@strawberry.input(description="Attributes to add or overwrite on a trader.")
class SetAttributesInput:
    login: int
    attributes: list[AttributeInput]

    def pairs(self) -> tuple[Attribute, ...]:
        return tuple(Attribute(pair.name, pair.value) for pair in self.attributes)


@strawberry.input(description="Attribute names to remove from a trader.")
class RemoveAttributesInput:
    login: int
    names: list[str]


@strawberry.input(description="The trader to delete.")
class DeleteTraderInput:
    login: int
