"""§3.4 sub-accounts: the logins of a trader's Copy sub-accounts and their balance and equity
totals. Sub-accounts come only from the seeded data (no call creates them); they are recognised by
the entity's `subAccountOf` (§4)."""

import httpx

from tests.sandbox.calls import create_manager
from tests.sandbox.clock import wire_time
from tests.sandbox.matchers import error_body, outcome
from tests.sandbox.traders import create_trader, trader_groups
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV, as_xml_text, xml_value

EVERYTHING = {"from": wire_time(0), "to": wire_time(4_102_444_800_000)}  # 1970 to 2100


async def subaccounts(
    client: httpx.AsyncClient, token: str, login: object, headers: dict[str, str] | None = None
) -> httpx.Response:
    return await client.get(
        f"{WEBSERV}/traders/{login}/subaccounts", params={"token": token}, headers=headers
    )


async def seeded_family(client: httpx.AsyncClient, token: str) -> tuple[int, list[dict[str, int]]]:
    """Seed the sandbox; answer one parent and its sub-accounts as the trader list shows them."""
    (await client.post("/_sandbox/seed", json={"seed": 7, "traders": 60})).raise_for_status()
    params = {**EVERYTHING, "fields": "login,subAccountOf,balance,equity", "token": token}
    response = await client.get(f"{WEBSERV}/traders/", params=params, headers=ACCEPT_JSON)
    children = [item for item in response.json()["trader"] if item.get("subAccountOf")]
    assert children, "the seeded data should hold sub-accounts"
    parent = children[0]["subAccountOf"]
    return parent, [child for child in children if child["subAccountOf"] == parent]


async def test_a_trader_without_sub_accounts_answers_empty_totals(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await subaccounts(client, admin_token, login, ACCEPT_JSON)
    assert outcome(response) == (
        200,
        {
            "subAccountLogins": {"login": []},
            "totalSubAccountsBalance": 0,
            "totalSubAccountsEquity": 0,
        },
    )


async def test_a_parent_lists_its_sub_accounts_and_their_totals(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # The seeded families share the parent's deposit asset, so the totals are plain sums.
    parent, children = await seeded_family(client, admin_token)
    response = await subaccounts(client, admin_token, parent, ACCEPT_JSON)
    body = response.json()
    shown = {**body, "subAccountLogins": {"login": sorted(body["subAccountLogins"]["login"])}}
    assert (response.status_code, shown) == (
        200,
        {
            "subAccountLogins": {"login": sorted(child["login"] for child in children)},
            "totalSubAccountsBalance": sum(child["balance"] for child in children),
            "totalSubAccountsEquity": sum(child["equity"] for child in children),
        },
    )


async def test_sub_accounts_answer_xml_by_default(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    parent, _ = await seeded_family(client, admin_token)
    as_json = (await subaccounts(client, admin_token, parent, ACCEPT_JSON)).json()
    response = await subaccounts(client, admin_token, parent)
    assert (response.status_code, xml_value(response.text, frozenset({"login"}))) == (
        200,
        ("subAccounts", as_xml_text(as_json)),
    )


async def test_sub_accounts_of_an_unknown_trader_is_trader_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await subaccounts(client, admin_token, 987654321, ACCEPT_JSON)
    assert outcome(response) == (404, error_body("TRADER_NOT_FOUND"))


async def test_sub_accounts_of_a_foreign_trader_is_not_enough_rights(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    first, second = (await trader_groups(client, admin_token))[:2]
    login = (await create_trader(client, admin_token, groupName=second.name))["login"]
    token = await create_manager(client, 2001, "scoped-secret", allowed_group_ids=[first.id])
    response = await subaccounts(client, token, login, ACCEPT_JSON)
    assert outcome(response) == (403, error_body("NOT_ENOUGH_RIGHTS"))
