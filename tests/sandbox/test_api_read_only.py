"""docs/sandbox.md: a read-only manager (like 1003) is refused every write of the emulated API
with NOT_ENOUGH_RIGHTS, and nothing changes. Read-like POSTs (attributes list, checkpassword)
are left out: they write nothing."""

import httpx
import pytest

from tests.sandbox.calls import create_manager
from tests.sandbox.matchers import error_body, outcome
from tests.sandbox.traders import (
    TRADER_PASSWORD,
    create_trader,
    get_trader,
    trader_body,
    trader_groups,
)
from tests.sandbox.wire import ACCEPT_JSON, TRADERS, Json, md5


def writes(login: object, group_name: str) -> dict[str, tuple[str, str, Json | None]]:
    """Every write of the emulated API aimed at one trader: (method, path, JSON body)."""
    amount: Json = {"login": login, "preciseAmount": 10, "type": "DEPOSIT"}
    return {
        "create": ("POST", TRADERS, trader_body(group_name)),
        "put": ("PUT", f"{TRADERS}/{login}", trader_body(group_name, name="Mallory")),
        "patch": ("PATCH", f"{TRADERS}/{login}", {"name": "Mallory"}),
        "delete": ("DELETE", f"{TRADERS}/{login}", None),
        "changebalance": ("POST", f"{TRADERS}/{login}/changebalance", amount),
        "changebonus": ("POST", f"{TRADERS}/{login}/changebonus", amount),
        "changepassword": (
            "POST",
            f"{TRADERS}/{login}/changepassword",
            {"login": login, "hashedPassword": md5("mallory")},
        ),
        "attributes": (
            "PUT",
            f"{TRADERS}/attributes",
            {"traders": [{"traderId": login, "attributes": [{"name": "k", "value": "v"}]}]},
        ),
        "attributes-delete": ("POST", f"{TRADERS}/attributes/delete", {"traderIds": [login]}),
        "ctid-link": (
            "POST",
            "/cid/ctid/link",
            {
                "traderLogin": login,
                "traderPasswordHash": md5(TRADER_PASSWORD),
                "userId": 1,
                "brokerName": "sandbox",
                "environmentName": "demo",
                "returnAccountDetails": True,
            },
        ),
        "white-label-move": (
            "POST",
            "/cid/ctid/changeCtidTraderAccount",
            {"traderLogin": login, "brokerName": "borealis-fx", "environmentName": "demo"},
        ),
    }


WRITES = list(writes(0, "").keys())


@pytest.mark.parametrize("write", WRITES)
async def test_a_read_only_manager_is_refused_every_write_and_nothing_changes(
    client: httpx.AsyncClient, admin_token: str, write: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    before = await create_trader(client, admin_token, groupName=group.name)
    token = await create_manager(client, 2002, "reader-secret", read_only=True)
    method, path, body = writes(before["login"], group.name)[write]
    response = await client.request(
        method, path, params={"token": token}, json=body, headers=ACCEPT_JSON
    )
    after = await get_trader(client, admin_token, before["login"])
    assert (outcome(response), after) == ((403, error_body("NOT_ENOUGH_RIGHTS")), before)


async def test_a_read_only_manager_cannot_create_a_ctid_user(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token = await create_manager(client, 2002, "reader-secret", read_only=True)
    body = {"email": "ada@example.com", "preferredLanguage": "EN"}
    refused = await client.post("/cid/ctid/create", params={"token": token}, json=body)
    # Nothing was created: the admin's call with that email still makes a new user, whole.
    created = await client.post("/cid/ctid/create", params={"token": admin_token}, json=body)
    assert (outcome(refused), sorted(created.json())) == (
        (403, error_body("NOT_ENOUGH_RIGHTS")),
        sorted(
            ["userId", "nickname", "email", "preferredLanguage", "utcCreateTimestamp", "status"]
        ),
    )
