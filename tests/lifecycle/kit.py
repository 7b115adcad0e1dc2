"""The lifecycle mutations as their specifications call them, and the upstream read back.

`mutate` runs one mutation with its `input` and answers the union member it returned, selected
whole (every member's fields); `Books` reads the sandbox as a CRM would, to show what changed
upstream and what did not, and how many upstream calls a request cost.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from tests.resolvers.harness import WEBSERV, Graph, Json, Upstream

ERROR_FIELDS = {
    "InvalidInput": "message movement { id } fields { path message }",
    "EmailAlreadyExists": "message userId",
    "TraderNotFound": "message movement { id }",
    "NotEnoughRights": "message movement { id }",
    "RateLimited": "message movement { id }",
    "UpstreamUnavailable": "message movement { id }",
}
COMMON = ("InvalidInput", "NotEnoughRights", "RateLimited", "UpstreamUnavailable")
TRADER = """login name lastName description accessRights accountType
    group { name } whiteLabel { name } partners { partnerId }
    contactDetails { email phone address city state zipCode countryId documentId }
    account { currency leverage swapFree limitedRisk marginCalculationType }
    attributes { name value }"""
USER = "userId email nickname status preferredLanguage traders { login }"


@dataclass(frozen=True)
class Shape:
    input_type: str
    success: str
    errors: tuple[str, ...]


UPDATED = f"... on TraderUpdated {{ trader {{ {TRADER} }} }}"
SHAPES = {
    "createUser": Shape(
        "CreateUserInput",
        f"... on UserCreated {{ user {{ {USER} }} }}",
        ("EmailAlreadyExists", "WhiteLabelNotFound"),
    ),
    "createTrader": Shape(
        "CreateTraderInput",
        f"... on TraderCreated {{ trader {{ {TRADER} }} }}",
        ("GroupNotFound", "WhiteLabelNotFound"),
    ),
    "linkTrader": Shape(
        "LinkTraderInput",
        f"... on TraderLinked {{ ctidTraderAccountId trader {{ login user {{ userId }} }} "
        f"user {{ {USER} }} }}",
        ("TraderNotFound", "UserNotFound", "WrongPassword", "AlreadyLinked", "WhiteLabelNotFound"),
    ),
    "updateTrader": Shape("UpdateTraderInput", UPDATED, ("TraderNotFound", "GroupNotFound")),
    "attributeToPartners": Shape("AttributeToPartnersInput", UPDATED, ("TraderNotFound",)),
    "moveTraderToWhiteLabel": Shape(
        "MoveTraderToWhiteLabelInput", UPDATED, ("TraderNotFound", "WhiteLabelNotFound")
    ),
    "changeTraderPassword": Shape("TraderPasswordInput", UPDATED, ("TraderNotFound",)),
    "checkTraderPassword": Shape(
        "TraderPasswordInput",
        "... on PasswordMatches { trader { login } }",
        ("TraderNotFound", "WrongPassword"),
    ),
    "setAttributes": Shape("SetAttributesInput", UPDATED, ("TraderNotFound",)),
    "removeAttributes": Shape("RemoveAttributesInput", UPDATED, ("TraderNotFound",)),
    "deleteTrader": Shape(
        "DeleteTraderInput", "... on TraderDeleted { login deletedId }", ("TraderNotFound",)
    ),
}


def operation(name: str) -> str:
    shape = SHAPES[name]
    members = " ".join(
        f"... on {member} {{ {ERROR_FIELDS.get(member, 'message')} }}"
        for member in (*shape.errors, *COMMON)
    )
    return (
        f"mutation ($input: {shape.input_type}!) "
        f"{{ {name}(input: $input) {{ __typename {shape.success} {members} }} }}"
    )


async def mutate(graph: Graph, name: str, fields: Mapping[str, object]) -> Json:
    """The union member `name` returned for `input: fields`; no GraphQL error allowed."""
    body = await graph.query(operation(name), input=dict(fields))
    assert "errors" not in body, body
    data = body["data"]
    assert isinstance(data, dict)
    member = data[name]
    assert isinstance(member, dict)
    return member


async def new_user(graph: Graph, email: str = "ada@example.com") -> int:
    """A user made through `createUser`, so the service's store knows it; its userId."""
    created = await mutate(graph, "createUser", {"email": email})
    user = created["user"]
    assert isinstance(user, dict)
    return int(user["userId"])


def refused(typename: str, message: str) -> Json:
    """A refusal member; the money types it shares carry no movement here."""
    shared = typename in ERROR_FIELDS and typename != "EmailAlreadyExists"
    return {"__typename": typename, "message": message, **({"movement": None} if shared else {})}


def invalid(message: str, *fields: tuple[list[str], str]) -> Json:
    paths = [{"path": path, "message": text} for path, text in fields]
    return {**refused("InvalidInput", message), "fields": paths}


@dataclass(frozen=True)
class Books:
    """The sandbox as a CRM reads it."""

    crm: Upstream

    async def trader(self, login: int) -> Json:
        found = await self.crm.get(f"{WEBSERV}/traders/{login}")
        assert isinstance(found, dict)
        return found

    async def logins(self) -> list[int]:
        window = {"from": "1970-01-01T00:00:00.000", "to": "2100-01-01T00:00:00.000"}
        found = await self.crm.get(f"{WEBSERV}/traders/", fields="login", **window)
        assert isinstance(found, dict)
        return sorted(int(trader["login"]) for trader in found["trader"])

    async def attributes(self, login: int) -> list[Json]:
        body = f'{{"traderIds": [{login}]}}'
        found = (await self.crm.post(f"{WEBSERV}/traders/attributes/list", body)).json()
        return [attr for entry in found["traders"] for attr in entry["attributes"]]

    async def users(self) -> list[dict[str, str]]:
        """The sandbox's users export, one row per link (or per user without links)."""
        return list(csv.DictReader(io.StringIO(await self.crm.users_csv())))

    async def calls(self) -> dict[str, int]:
        return await self.crm.calls()


NO_CONTACT: Json = dict.fromkeys(
    ("email", "phone", "address", "city", "state", "zipCode", "countryId", "documentId")
)


def crm_trader(login: int, **changes: object) -> Json:
    """The GraphQL trader `Upstream.create_trader()` makes (harness), with `changes` on top."""
    account = {
        "currency": "USD",
        "leverage": "100",
        "swapFree": False,
        "limitedRisk": False,
        "marginCalculationType": "MAX",
    }
    return {
        "login": login,
        "name": "Ada",
        "lastName": "Lovelace",
        "description": None,
        "accessRights": "FULL_ACCESS",
        "accountType": "HEDGED",
        "group": {"name": "Retail USD"},
        "whiteLabel": {"name": "sandbox"},
        "partners": [],
        "contactDetails": {**NO_CONTACT, "email": "ada@example.com"},
        "account": account,
        "attributes": [],
        **changes,
    }


def updated(login: int, **changes: object) -> Json:
    return {"__typename": "TraderUpdated", "trader": crm_trader(login, **changes)}
