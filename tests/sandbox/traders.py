"""Traders for the specification: building, creating and reading them, and what one must look like.

`trader_body` is a valid §3.1 create body with every documented key set (password
TRADER_PASSWORD), `create_trader` creates one (in the first of `trader_groups` unless told
otherwise) and `get_trader` reads one back. `expected_trader` is the whole §4 entity a new trader
must show; LEGACY_TRADER_FIELDS the part of it a test can only check for presence and type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from tests.sandbox.calls import post_json
from tests.sandbox.clock import NOW_MS, At
from tests.sandbox.matchers import ABSENT, ANY_BOOL, ANY_INT, ANY_NUMBER, OneOf
from tests.sandbox.wire import ACCEPT_JSON, TRADERS, WEBSERV, Json, md5

TRADER_PASSWORD = "trader-secret"


@dataclass(frozen=True)
class Group:
    id: int
    name: str


async def trader_groups(client: httpx.AsyncClient, token: str) -> list[Group]:
    response = await client.get(
        f"{WEBSERV}/tradergroups", params={"token": token}, headers=ACCEPT_JSON
    )
    assert response.status_code == 200, response.text
    items = response.json()["traderGroup"]
    assert len(items) >= 2, "the base dataset needs at least two trader groups"
    return [Group(id=item["id"], name=item["name"]) for item in items]


def trader_body(group_name: str, **overrides: object) -> Json:
    """A valid §3.1 body with every documented key set, overridable key by key."""
    body: Json = {
        "accessRights": "FULL_ACCESS",
        "accountType": "HEDGED",
        "balance": 0,
        "brokerName": "sandbox",
        "depositCurrency": "USD",
        "groupName": group_name,
        "hashedPassword": md5(TRADER_PASSWORD),
        "leverageInCents": 10000,
        "totalMarginCalculationType": "MAX",
        "contactDetails": {
            "address": "1 Spec Street",
            "city": "Limassol",
            "countryId": 196,
            "documentId": "CY-1234",
            "email": "ada@example.com",
            "phone": "+35700000000",
            "state": "Limassol",
            "zipCode": "3030",
            "introducingBroker1": "partner-1",
            "introducingBroker2": "partner-2",
        },
        "description": "created by the specification suite",
        "isLimitedRisk": False,
        "lastName": "Lovelace",
        "limitedRiskMarginCalculationStrategy": "ACCORDING_TO_LEVERAGE",
        "maxLeverage": 50000,
        "name": "Ada",
        "sendOwnStatement": True,
        "sendStatementToBroker": False,
        "swapFree": False,
    }
    body.update(overrides)
    return body


async def create_trader(client: httpx.AsyncClient, token: str, **overrides: object) -> Json:
    """Create a trader (in the first group unless `groupName` is given); return its entity."""
    group_name = overrides.pop("groupName", None) or (await trader_groups(client, token))[0].name
    body = trader_body(str(group_name), **overrides)
    response = await post_json(client, TRADERS, token, body)
    assert response.status_code == 201, response.text
    entity = response.json()
    assert isinstance(entity, dict)
    return entity


async def get_trader(client: httpx.AsyncClient, token: str, login: object) -> Json:
    response = await client.get(f"{TRADERS}/{login}", params={"token": token}, headers=ACCEPT_JSON)
    assert response.status_code == 200, response.text
    entity = response.json()
    assert isinstance(entity, dict)
    return entity


# The required set of §4 whose values a test cannot derive: the Rust client's TraderModel fields
# (legacy IB settings), checked for presence and type.
LEGACY_TRADER_FIELDS: Json = {
    "minEquityDaily": ANY_INT,
    "maxEquityDaily": ANY_INT,
    "introducingBroker": ANY_BOOL,
    "introducingBrokerCommissionRate": ANY_NUMBER,
    "pocketCommissionRate": ANY_NUMBER,
    "pocketMarkupRate": ANY_NUMBER,
    "defaultIntroducingBrokerCommissionRate": ANY_NUMBER,
    "defaultPocketCommissionRate": ANY_NUMBER,
    "defaultPocketMarkupRate": ANY_NUMBER,
    "defaultRebateRate": ANY_NUMBER,
    "defaultSplitRevenue": ANY_BOOL,
    "splitRevenue": ANY_BOOL,
    "frenchRisk": ANY_BOOL,
    "defaultIbCommissionsType": OneOf("USD_PER_LOT", "USD_PER_MILLION_USD"),
    "ibCommissionsType": OneOf("USD_PER_LOT", "USD_PER_MILLION_USD"),
}


def expected_trader(
    body: Mapping[str, object],
    login: object,
    *,
    money_digits: int = 2,
    registered_ms: int = NOW_MS,
    updated_ms: int | None = None,
) -> Json:
    """The whole §4 entity a trader created from `body` must show, with no position and no money
    movement: every key sent comes back (but never the password hash), money fields are derived
    from the scaled `balance`, timestamps are the sandbox clock at creation / last update."""
    balance = int(str(body["balance"]))
    sent = {key: value for key, value in body.items() if key != "hashedPassword"}
    return {
        **sent,
        **LEGACY_TRADER_FIELDS,
        "login": login,
        "hashedPassword": ABSENT,
        "balance": balance,
        "bonus": 0,
        "nonWithdrawableBonus": 0,
        "equity": balance,
        "cashEquity": balance,
        "usedMargin": 0,
        "freeMargin": balance,
        "moneyDigits": money_digits,
        "limitedRisk": body["isLimitedRisk"],
        "registrationTimestamp": At(registered_ms),
        "lastUpdateTimestamp": At(registered_ms if updated_ms is None else updated_ms),
    }
