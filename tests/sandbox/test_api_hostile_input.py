"""Hostile input (issue 3 acceptance): each gets its documented error and changes nothing, read
back afterwards. Malformed or oversized bodies are INVALID_REQUEST, never a 500 (§12)."""

import httpx
import pytest

from tests.sandbox.calls import change_balance
from tests.sandbox.clock import HOUR_MS, NOW_MS, wire_time
from tests.sandbox.matchers import error_body, outcome
from tests.sandbox.traders import create_trader, get_trader, trader_body, trader_groups
from tests.sandbox.wire import ACCEPT_JSON, TRADERS, WEBSERV, Json, to_xml

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
"""
TEN_MB = 10 * 1024 * 1024


async def funded(client: httpx.AsyncClient, token: str) -> Json:
    """A trader with 1000.00 USD, as the sandbox shows it."""
    return await create_trader(client, token, balance=100000)


async def post_raw(
    client: httpx.AsyncClient, path: str, token: str, content: str | bytes, content_type: str
) -> httpx.Response:
    return await client.post(
        path,
        params={"token": token},
        content=content,
        headers={**ACCEPT_JSON, "Content-Type": content_type},
    )


async def registered_logins(client: httpx.AsyncClient, token: str) -> list[object]:
    """Logins of every trader registered around the tests' clock (NOW_MS +/- an hour)."""
    params = {
        "from": wire_time(NOW_MS - HOUR_MS),
        "to": wire_time(NOW_MS + HOUR_MS),
        "fields": "login",
        "token": token,
    }
    response = await client.get(f"{TRADERS}/", params=params, headers=ACCEPT_JSON)
    return [item["login"] for item in response.json()["trader"]]


async def test_a_wrong_token_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    before = await funded(client, admin_token)
    response = await change_balance(client, "not-a-token", before["login"], "10.00")
    after = await get_trader(client, admin_token, before["login"])
    assert (outcome(response), after) == ((401, error_body("INVALID_TOKEN")), before)


async def test_a_billion_laughs_body_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    before = await funded(client, admin_token)
    body = (
        f"{BILLION_LAUGHS}<balanceChange><login>{before['login']}</login>"
        "<preciseAmount>10</preciseAmount><type>DEPOSIT</type><comment>&lol9;</comment>"
        "</balanceChange>"
    )
    path = f"{TRADERS}/{before['login']}/changebalance"
    response = await post_raw(client, path, admin_token, body, "application/xml")
    after = await get_trader(client, admin_token, before["login"])
    assert (outcome(response), after) == ((400, error_body("INVALID_REQUEST")), before)


async def test_a_billion_laughs_create_is_refused_and_creates_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    body = to_xml("trader", trader_body(group.name, name="&lol9;"))
    response = await post_raw(
        client, TRADERS, admin_token, BILLION_LAUGHS + body, "application/xml"
    )
    logins = await registered_logins(client, admin_token)
    assert (outcome(response), logins) == ((400, error_body("INVALID_REQUEST")), [])


async def test_an_external_entity_body_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    before = await funded(client, admin_token)
    body = (
        f"{EXTERNAL_ENTITY}<balanceChange><login>{before['login']}</login>"
        "<preciseAmount>10</preciseAmount><type>DEPOSIT</type><comment>&xxe;</comment>"
        "</balanceChange>"
    )
    path = f"{TRADERS}/{before['login']}/changebalance"
    response = await post_raw(client, path, admin_token, body, "application/xml")
    after = await get_trader(client, admin_token, before["login"])
    assert (outcome(response), after) == ((400, error_body("INVALID_REQUEST")), before)


async def test_a_ten_megabyte_json_body_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    before = await funded(client, admin_token)
    padding = "x" * TEN_MB
    body = (
        f'{{"login": {before["login"]}, "preciseAmount": 10, "type": "DEPOSIT", '
        f'"comment": "{padding}"}}'
    )
    path = f"{TRADERS}/{before['login']}/changebalance"
    response = await post_raw(client, path, admin_token, body, "application/json")
    after = await get_trader(client, admin_token, before["login"])
    assert (outcome(response), after) == ((400, error_body("INVALID_REQUEST")), before)


async def test_a_ten_megabyte_xml_body_is_refused_and_creates_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    body = to_xml("trader", trader_body(group.name, description="x" * TEN_MB))
    response = await post_raw(client, TRADERS, admin_token, body, "application/xml")
    logins = await registered_logins(client, admin_token)
    assert (outcome(response), logins) == ((400, error_body("INVALID_REQUEST")), [])


async def test_malformed_json_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    before = await funded(client, admin_token)
    body = f'{{"login": {before["login"]}, "preciseAmount": 10, "type": "DEPOSIT"'
    path = f"{TRADERS}/{before['login']}/changebalance"
    response = await post_raw(client, path, admin_token, body, "application/json")
    after = await get_trader(client, admin_token, before["login"])
    assert (outcome(response), after) == ((400, error_body("INVALID_REQUEST")), before)


async def test_malformed_xml_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    before = await funded(client, admin_token)
    body = f"<balanceChange><login>{before['login']}</login><preciseAmount>10"
    path = f"{TRADERS}/{before['login']}/changebalance"
    response = await post_raw(client, path, admin_token, body, "application/xml")
    after = await get_trader(client, admin_token, before["login"])
    assert (outcome(response), after) == ((400, error_body("INVALID_REQUEST")), before)


async def test_a_json_array_body_is_refused_and_creates_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await post_raw(client, TRADERS, admin_token, "[1, 2, 3]", "application/json")
    logins = await registered_logins(client, admin_token)
    assert (outcome(response), logins) == ((400, error_body("INVALID_REQUEST")), [])


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("leverageInCents", "high"),
        ("balance", "lots"),
        ("swapFree", "perhaps"),
        # §9: countryId must be numeric, and an empty value is an error (omit the key instead).
        ("contactDetails", {"countryId": "Cyprus"}),
        ("contactDetails", {"countryId": ""}),
    ],
)
async def test_a_wrongly_typed_create_is_refused_and_creates_nothing(
    client: httpx.AsyncClient, admin_token: str, key: str, value: object
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    body = trader_body(group.name, **{key: value})
    response = await client.post(
        TRADERS, params={"token": admin_token}, json=body, headers=ACCEPT_JSON
    )
    logins = await registered_logins(client, admin_token)
    assert (response.status_code, response.json()["error"]["errorCode"], logins) == (
        400,
        "INVALID_REQUEST",
        [],
    )


async def test_a_wrongly_typed_change_type_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    before = await funded(client, admin_token)
    body = {"login": before["login"], "preciseAmount": 10, "type": 42}
    response = await client.post(
        f"{TRADERS}/{before['login']}/changebalance",
        params={"token": admin_token},
        json=body,
        headers=ACCEPT_JSON,
    )
    after = await get_trader(client, admin_token, before["login"])
    assert (outcome(response), after) == ((400, error_body("INVALID_REQUEST")), before)


@pytest.mark.parametrize(
    "moment",
    ["yesterday", "2026-03-02", "2026-02-30T00:00:00.000", "1772446830456", "2026-03-02 10:20:30"],
)
async def test_a_malformed_list_date_is_invalid_request(
    client: httpx.AsyncClient, admin_token: str, moment: str
) -> None:
    params = {"from": moment, "to": wire_time(NOW_MS + HOUR_MS), "token": admin_token}
    response = await client.get(f"{TRADERS}/", params=params, headers=ACCEPT_JSON)
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_a_malformed_closed_grid_date_is_invalid_request(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    params = {"from": wire_time(NOW_MS), "to": "tomorrow", "token": admin_token}
    response = await client.get(f"{WEBSERV}/closedPositions", params=params, headers=ACCEPT_JSON)
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))
