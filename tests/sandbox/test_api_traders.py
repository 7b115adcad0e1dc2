"""§3.1 create and §3.2 read a trader: the whole §4 entity, in JSON and XML, and their errors."""

import httpx

from tests.sandbox.calls import post_json
from tests.sandbox.matchers import ANY_INT, ANY_TEXT, MISSING, error_body, outcome, project
from tests.sandbox.traders import (
    create_trader,
    expected_trader,
    get_trader,
    trader_body,
    trader_groups,
)
from tests.sandbox.wire import (
    ACCEPT_JSON,
    TRADERS,
    as_xml_text,
    md5,
    media_type,
    to_xml,
    xml_value,
)


async def test_create_answers_201_with_the_whole_entity(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    body = trader_body(group.name, balance=1234512)
    response = await post_json(client, TRADERS, admin_token, body)
    entity = response.json()
    expected = expected_trader(body, entity.get("login"))
    assert (response.status_code, project(entity, expected)) == (201, expected)


async def test_create_gives_a_numeric_login(client: httpx.AsyncClient, admin_token: str) -> None:
    entity = await create_trader(client, admin_token)
    assert entity["login"] == ANY_INT


async def test_create_gives_each_trader_its_own_login(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    first = await create_trader(client, admin_token)
    second = await create_trader(client, admin_token)
    assert first["login"] != second["login"]


async def test_read_answers_the_entity_as_created(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    created = await create_trader(client, admin_token, groupName=group.name, balance=1234512)
    expected = expected_trader(trader_body(group.name, balance=1234512), created["login"])
    entity = await get_trader(client, admin_token, created["login"])
    assert project(entity, expected) == expected


async def test_a_btc_account_scales_money_by_eight_digits(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    body = trader_body(group.name, depositCurrency="BTC", balance=12345678)
    created = await create_trader(client, admin_token, **body)
    expected = expected_trader(body, created["login"], money_digits=8)
    assert project(created, expected) == expected


async def test_the_documented_minimal_create_defaults_the_margin_type_to_max(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # The Use Cases example: balance sent as the string "00", no totalMarginCalculationType (§1.4).
    group = (await trader_groups(client, admin_token))[0]
    body = {
        "accessRights": "FULL_ACCESS",
        "accountType": "HEDGED",
        "balance": "00",
        "brokerName": "sandbox",
        "depositCurrency": "USD",
        "groupName": group.name,
        "hashedPassword": md5("minimal"),
        "leverageInCents": 10000,
    }
    response = await post_json(client, TRADERS, admin_token, body)
    shown = project(response.json(), {"balance": 0, "totalMarginCalculationType": "MAX"})
    assert (response.status_code, shown) == (
        201,
        {"balance": 0, "totalMarginCalculationType": "MAX"},
    )


async def test_create_answers_xml_when_no_accept_header_is_sent(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    response = await client.post(
        TRADERS, params={"token": admin_token}, json=trader_body(group.name)
    )
    root, value = xml_value(response.text)
    assert isinstance(value, dict)
    as_json = await get_trader(client, admin_token, value.get("login"))
    assert (response.status_code, media_type(response), root, value) == (
        201,
        "application/xml",
        "trader",
        as_xml_text(as_json),
    )


async def test_create_accepts_an_xml_body(client: httpx.AsyncClient, admin_token: str) -> None:
    # The root name of XML request bodies is not documented; `trader` mirrors the response (§12).
    group = (await trader_groups(client, admin_token))[0]
    body = trader_body(group.name, balance=500)
    response = await client.post(
        TRADERS,
        params={"token": admin_token},
        content=to_xml("trader", body),
        headers={**ACCEPT_JSON, "Content-Type": "application/xml"},
    )
    entity = response.json()
    expected = expected_trader(body, entity.get("login"))
    assert (response.status_code, project(entity, expected)) == (201, expected)


async def test_read_answers_xml_mirroring_the_json_entity(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    created = await create_trader(client, admin_token)
    response = await client.get(f"{TRADERS}/{created['login']}", params={"token": admin_token})
    assert (response.status_code, media_type(response), xml_value(response.text)) == (
        200,
        "application/xml",
        ("trader", as_xml_text(await get_trader(client, admin_token, created["login"]))),
    )


async def test_read_answers_xml_for_an_accept_of_anything(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    created = await create_trader(client, admin_token)
    response = await client.get(
        f"{TRADERS}/{created['login']}", params={"token": admin_token}, headers={"Accept": "*/*"}
    )
    assert (response.status_code, media_type(response)) == (200, "application/xml")


async def test_read_of_an_unknown_login_is_trader_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.get(
        f"{TRADERS}/987654321", params={"token": admin_token}, headers=ACCEPT_JSON
    )
    assert outcome(response) == (404, error_body("TRADER_NOT_FOUND"))


async def test_read_of_an_unknown_login_answers_the_xml_error_by_default(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.get(f"{TRADERS}/987654321", params={"token": admin_token})
    assert (response.status_code, xml_value(response.text)) == (
        404,
        ("error", {"errorCode": "TRADER_NOT_FOUND", "description": ANY_TEXT}),
    )


async def test_create_in_an_unknown_group_is_trader_group_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    body = trader_body("no-such-group")
    response = await post_json(client, TRADERS, admin_token, body)
    assert outcome(response) == (400, error_body("TRADER_GROUP_NOT_FOUND"))


async def test_create_under_an_unknown_broker_is_refused_as_not_on_this_plant(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # §6 lists both CH_PLANT_INVALID (body brokerName not on this plant) and CH_BROKER_NOT_FOUND;
    # either is the documented answer, both are 400 (§12).
    group = (await trader_groups(client, admin_token))[0]
    response = await post_json(
        client, TRADERS, admin_token, trader_body(group.name, brokerName="no-such-broker")
    )
    codes = [error_body("CH_PLANT_INVALID"), error_body("CH_BROKER_NOT_FOUND")]
    assert (response.status_code, response.json() in codes) == (400, True)


async def test_create_without_a_required_key_is_invalid_request(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    body = trader_body(group.name)
    del body["depositCurrency"]
    response = await post_json(client, TRADERS, admin_token, body)
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_create_in_a_currency_that_is_no_deposit_asset_is_invalid_request(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # §3.1: depositCurrency must (inferred) be one of /depositAssets; INVALID_REQUEST is the
    # generic validation failure of §6.
    group = (await trader_groups(client, admin_token))[0]
    body = trader_body(group.name, depositCurrency="XYZ")
    response = await post_json(client, TRADERS, admin_token, body)
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_create_with_an_unknown_enum_value_is_invalid_request(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    body = trader_body(group.name, accessRights="EVERYTHING")
    response = await post_json(client, TRADERS, admin_token, body)
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_create_answers_json_for_accept_json(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    response = await post_json(client, TRADERS, admin_token, trader_body(group.name))
    assert (response.status_code, media_type(response)) == (201, "application/json")


async def test_a_jpy_balance_must_end_in_two_zeros(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # §1.4 (2023 SSO page): for JPY the last two digits of the scaled create `balance` must be 00.
    group = (await trader_groups(client, admin_token))[0]
    body = trader_body(group.name, depositCurrency="JPY", balance=12345)
    response = await post_json(client, TRADERS, admin_token, body)
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_a_jpy_balance_in_whole_yen_is_accepted(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    body = trader_body(group.name, depositCurrency="JPY", balance=12300)
    response = await post_json(client, TRADERS, admin_token, body)
    expected = expected_trader(body, response.json().get("login"))
    assert (response.status_code, project(response.json(), expected)) == (201, expected)


async def test_a_trader_that_never_connected_has_no_last_connection_time(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # §4: lastConnectionTimestamp is optional, "0/absent if never connected".
    created = await create_trader(client, admin_token)
    entity = await get_trader(client, admin_token, created["login"])
    assert project(entity, {"lastConnectionTimestamp": 0}) in (
        {"lastConnectionTimestamp": 0},
        {"lastConnectionTimestamp": MISSING},
    )


async def test_create_ignores_unknown_legacy_keys(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # §3.1: old clients send legacy TraderTO keys and `enabled`; a server ignores unknown keys.
    group = (await trader_groups(client, admin_token))[0]
    body = trader_body(group.name)
    legacy = {**body, "enabled": True, "rankId": 3, "introducedByBroker": 42}
    response = await post_json(client, TRADERS, admin_token, legacy)
    expected = expected_trader(body, response.json().get("login"))
    assert (response.status_code, project(response.json(), expected)) == (201, expected)
