"""`Mutation` fields of the account lifecycle; each takes one `input` and returns a union.

Each resolver hands the order to `resolvers.lifecycle` and builds the union member from what
comes back (`results.outcome`); the changed object is read fresh after the write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import strawberry

from resolvers.context import Info
from resolvers.lifecycle import attributes, passwords, traders, users
from resolvers.lifecycle.desk import LifecycleDesk
from resolvers.lifecycle.users import Linked
from schema.lifecycle.inputs import CreateTraderInput, CreateUserInput, UpdateTraderInput
from schema.lifecycle.results import (
    CheckPasswordResult,
    CreateTraderResult,
    CreateUserResult,
    DeleteTraderResult,
    LinkTraderResult,
    MoveTraderResult,
    PasswordMatches,
    TraderChangeResult,
    TraderCreated,
    TraderDeleted,
    TraderLinked,
    TraderUpdated,
    UpdateTraderResult,
    UserCreated,
    outcome,
)
from schema.lifecycle.small_inputs import (
    AttributeToPartnersInput,
    DeleteTraderInput,
    LinkTraderInput,
    MoveTraderToWhiteLabelInput,
    RemoveAttributesInput,
    SetAttributesInput,
    TraderPasswordInput,
)
from schema.money.mutations import mutation
from schema.node import global_id
from schema.traders import Trader
from schema.users import User
from upstream.records import Trader as TraderRecord


def desk(info: Info) -> LifecycleDesk:
    return LifecycleDesk.of(info.context.services)


def changed(info: Info) -> Callable[[int], TraderUpdated]:
    """The success member of a change: the trader as the upstream now has it.

    A request may run several mutations on one trader, one after the other; each answer must
    show that trader as its own write left it, not as the loaders cached it before.
    """

    def updated(login: int) -> TraderUpdated:
        info.context.loaders.forget_trader(login)
        return TraderUpdated(trader=Trader.of(login))

    return updated


def linked(link: Linked) -> TraderLinked:
    trader, user = Trader.of(link.trader_login), User.of(link.user)
    return TraderLinked(
        trader=trader, user=user, ctid_trader_account_id=link.ctid_trader_account_id
    )


@strawberry.type
class LifecycleMutation:
    @mutation("Create a cTrader ID (user); the service records it.")
    async def create_user(self, info: Info, input: CreateUserInput) -> CreateUserResult:
        result = await users.create_user(desk(info), input.order())
        built = outcome(result, lambda user: UserCreated(user=User.of(user)), CreateUserResult)
        return cast(CreateUserResult, built)

    @mutation("Create a trading account.")
    async def create_trader(self, info: Info, input: CreateTraderInput) -> CreateTraderResult:
        def success(record: TraderRecord) -> TraderCreated:
            info.context.loaders.trader.prime(record.login, record)
            return TraderCreated(trader=Trader.of(record.login))

        result = await traders.create_trader(desk(info), input.order())
        return cast(CreateTraderResult, outcome(result, success, CreateTraderResult))

    @mutation("Link a trader to a cTrader ID; the service records the link.")
    async def link_trader(self, info: Info, input: LinkTraderInput) -> LinkTraderResult:
        result = await users.link_trader(desk(info), input.login, input.user_id, input.secret())
        return cast(LinkTraderResult, outcome(result, linked, LinkTraderResult))

    @mutation("Change some of a trader's fields (PATCH); omitted fields stay as they are.")
    async def update_trader(self, info: Info, input: UpdateTraderInput) -> UpdateTraderResult:
        result = await traders.update_trader(desk(info), input.login, input.order())
        return cast(UpdateTraderResult, outcome(result, changed(info), UpdateTraderResult))

    @mutation("Attribute a trader to partners (introducing brokers); omitted levels stay.")
    async def attribute_to_partners(
        self, info: Info, input: AttributeToPartnersInput
    ) -> TraderChangeResult:
        first, second = input.introducing_broker1, input.introducing_broker2
        result = await traders.attribute_to_partners(desk(info), input.login, first, second)
        return cast(TraderChangeResult, outcome(result, changed(info), TraderChangeResult))

    @mutation("Move a trader to another white label (brokerName).")
    async def move_trader_to_white_label(
        self, info: Info, input: MoveTraderToWhiteLabelInput
    ) -> MoveTraderResult:
        result = await traders.move_to_white_label(desk(info), input.login, input.white_label)
        return cast(MoveTraderResult, outcome(result, changed(info), MoveTraderResult))

    @mutation("Set a trader's password.")
    async def change_trader_password(
        self, info: Info, input: TraderPasswordInput
    ) -> TraderChangeResult:
        result = await passwords.change_password(desk(info), input.login, input.secret())
        return cast(TraderChangeResult, outcome(result, changed(info), TraderChangeResult))

    @mutation("Check a password against the trader's; WrongPassword when it is not.")
    async def check_trader_password(
        self, info: Info, input: TraderPasswordInput
    ) -> CheckPasswordResult:
        def success(login: int) -> PasswordMatches:
            return PasswordMatches(trader=Trader.of(login))

        result = await passwords.check_password(desk(info), input.login, input.secret())
        return cast(CheckPasswordResult, outcome(result, success, CheckPasswordResult))

    @mutation("Add or overwrite attributes of a trader.")
    async def set_attributes(self, info: Info, input: SetAttributesInput) -> TraderChangeResult:
        result = await attributes.set_attributes(desk(info), input.login, input.pairs())
        return cast(TraderChangeResult, outcome(result, changed(info), TraderChangeResult))

    @mutation("Remove attributes of a trader by name.")
    async def remove_attributes(
        self, info: Info, input: RemoveAttributesInput
    ) -> TraderChangeResult:
        names = tuple(input.names)
        result = await attributes.remove_attributes(desk(info), input.login, names)
        return cast(TraderChangeResult, outcome(result, changed(info), TraderChangeResult))

    @mutation("Delete a trading account.")
    async def delete_trader(self, info: Info, input: DeleteTraderInput) -> DeleteTraderResult:
        def success(login: int) -> TraderDeleted:
            return TraderDeleted(login=login, deleted_id=global_id("Trader", login))

        result = await traders.delete_trader(desk(info), input.login)
        return cast(DeleteTraderResult, outcome(result, success, DeleteTraderResult))
