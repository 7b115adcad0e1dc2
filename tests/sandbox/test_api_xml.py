"""XML on `/v2/webserv` (§1.7, §12): request bodies by Content-Type, responses by Accept, errors in
their XML form; `/cid` stays JSON whatever is asked. The root name of an XML *request* body is not
documented: this suite sends the name of the matching response payload (`trader`, `balanceChange`,
`token`)."""

from decimal import Decimal

import httpx
import pytest

from tests.sandbox.calls import ADMIN, create_manager
from tests.sandbox.clock import HOUR_MS, NOW_MS, wire_time
from tests.sandbox.matchers import ANY_TEXT
from tests.sandbox.traders import create_trader, get_trader, trader_body, trader_groups
from tests.sandbox.wire import (
    ACCEPT_JSON,
    ACCEPT_XML,
    TRADERS,
    WEBSERV,
    md5,
    media_type,
    to_xml,
    xml_value,
)


def xml_error(code: str) -> tuple[str, object]:
    return "error", {"errorCode": code, "description": ANY_TEXT}


async def test_a_token_request_may_be_xml(client: httpx.AsyncClient) -> None:
    body = to_xml("token", {"login": ADMIN[0], "hashedPassword": md5(ADMIN[1])})
    response = await client.post(
        f"{WEBSERV}/managers/token",
        content=body,
        headers={**ACCEPT_JSON, "Content-Type": "application/xml"},
    )
    assert (response.status_code, response.json()) == (200, {"webservToken": ANY_TEXT})


async def test_a_balance_change_may_be_xml(client: httpx.AsyncClient, admin_token: str) -> None:
    login = (await create_trader(client, admin_token))["login"]
    body = {"login": login, "preciseAmount": Decimal("12.34"), "type": "DEPOSIT"}
    response = await client.post(
        f"{TRADERS}/{login}/changebalance",
        params={"token": admin_token},
        content=to_xml("balanceChange", body),
        headers={**ACCEPT_XML, "Content-Type": "application/xml"},
    )
    entity = await get_trader(client, admin_token, login)
    assert (response.status_code, media_type(response), entity["balance"]) == (
        200,
        "application/xml",
        1234,
    )


async def test_a_put_may_be_xml(client: httpx.AsyncClient, admin_token: str) -> None:
    first, second = (await trader_groups(client, admin_token))[:2]
    login = (await create_trader(client, admin_token, groupName=first.name))["login"]
    body = trader_body(second.name, accessRights="NO_TRADING")
    response = await client.put(
        f"{TRADERS}/{login}",
        params={"token": admin_token},
        content=to_xml("trader", body),
        headers={"Content-Type": "application/xml"},
    )
    entity = await get_trader(client, admin_token, login)
    assert (response.status_code, entity["groupName"], entity["accessRights"]) == (
        204,
        second.name,
        "NO_TRADING",
    )


async def test_accept_xml_answers_xml(client: httpx.AsyncClient, admin_token: str) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await client.get(
        f"{TRADERS}/{login}", params={"token": admin_token}, headers=ACCEPT_XML
    )
    root, _ = xml_value(response.text)
    assert (response.status_code, media_type(response), root) == (200, "application/xml", "trader")


async def test_a_list_of_one_trader_still_repeats_the_trader_element(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    params = {"from": wire_time(NOW_MS), "to": wire_time(NOW_MS + HOUR_MS), "fields": "login"}
    response = await client.get(f"{TRADERS}/", params={**params, "token": admin_token})
    assert xml_value(response.text, frozenset({"trader"})) == (
        "traderList",
        {"trader": [{"login": str(login)}], "hasMore": "false"},
    )


async def test_not_enough_rights_in_xml(client: httpx.AsyncClient, admin_token: str) -> None:
    first, second = (await trader_groups(client, admin_token))[:2]
    login = (await create_trader(client, admin_token, groupName=second.name))["login"]
    token = await create_manager(client, 2001, "scoped-secret", allowed_group_ids=[first.id])
    response = await client.get(f"{TRADERS}/{login}", params={"token": token})
    assert (response.status_code, xml_value(response.text)) == (
        403,
        xml_error("NOT_ENOUGH_RIGHTS"),
    )


@pytest.mark.parametrize(
    ("amount", "code"), [("-1", "CHANGE_BALANCE_BAD_AMOUNT"), ("999999", "NOT_ENOUGH_MONEY")]
)
async def test_balance_errors_in_xml(
    client: httpx.AsyncClient, admin_token: str, amount: str, code: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    body = {"login": login, "preciseAmount": Decimal(amount), "type": "WITHDRAW"}
    response = await client.post(
        f"{TRADERS}/{login}/changebalance",
        params={"token": admin_token},
        content=to_xml("balanceChange", body),
        headers={"Content-Type": "application/xml"},
    )
    assert (response.status_code, xml_value(response.text)) == (400, xml_error(code))


async def test_a_malformed_body_is_invalid_request_in_xml(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.post(
        TRADERS,
        params={"token": admin_token},
        content="<trader><name>",
        headers={"Content-Type": "application/xml"},
    )
    assert (response.status_code, xml_value(response.text)) == (400, xml_error("INVALID_REQUEST"))


async def test_cid_answers_json_even_when_xml_is_asked_for(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.post(
        "/cid/ctid/create",
        params={"token": admin_token},
        json={"email": "ada@example.com"},
        headers=ACCEPT_XML,
    )
    assert (response.status_code, media_type(response)) == (200, "application/json")
