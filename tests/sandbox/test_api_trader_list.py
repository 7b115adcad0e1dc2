"""§3.3 list traders: the registration window, newest first, `fields`, the filters of §12 and the
`hasMore` paging rule."""

import httpx

from sandbox import SandboxSettings
from tests.sandbox.calls import ADMIN, close_position, open_position, serve, token_of
from tests.sandbox.clock import HOUR_MS, MINUTE_MS, NOW_MS, At, set_clock, wire_time
from tests.sandbox.matchers import ANY_INT, error_body, outcome, project
from tests.sandbox.traders import create_trader, expected_trader, trader_body, trader_groups
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV, as_xml_text, xml_value

TRADERS = f"{WEBSERV}/traders/"


async def list_with(
    client: httpx.AsyncClient,
    token: str,
    extra: dict[str, str],
    headers: dict[str, str] = ACCEPT_JSON,
    **query: int,
) -> httpx.Response:
    """GET the list: `query` times in epoch ms are sent in the wire format (`from_` as `from`),
    `extra` parameters (fields, groupId, ...) as given, the token last (§1.2)."""
    params = {key.rstrip("_"): wire_time(value) for key, value in query.items()}
    return await client.get(TRADERS, params={**params, **extra, "token": token}, headers=headers)


async def trader_at(client: httpx.AsyncClient, token: str, at_ms: int, **body: object) -> object:
    """Create a trader registered at `at_ms` on the sandbox clock; answer its login."""
    await set_clock(client, at_ms)
    return (await create_trader(client, token, **body))["login"]


async def test_the_window_includes_from_excludes_to_and_lists_newest_first(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    first = await trader_at(client, admin_token, NOW_MS)
    second = await trader_at(client, admin_token, NOW_MS + MINUTE_MS)
    await trader_at(client, admin_token, NOW_MS + 2 * MINUTE_MS)
    response = await list_with(
        client, admin_token, {"fields": "login"}, from_=NOW_MS, to=NOW_MS + 2 * MINUTE_MS
    )
    body = {"trader": [{"login": second}, {"login": first}], "hasMore": False}
    assert outcome(response) == (200, body)


async def test_from_includes_a_trader_registered_at_that_very_millisecond(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    created = await create_trader(client, admin_token)
    registered = int(str(created["registrationTimestamp"]))
    extra = {"fields": "login"}
    response = await list_with(client, admin_token, extra, from_=registered, to=registered + 1)
    assert outcome(response) == (200, {"trader": [{"login": created["login"]}], "hasMore": False})


async def test_to_excludes_a_trader_registered_at_that_very_millisecond(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    created = await create_trader(client, admin_token)
    registered = int(str(created["registrationTimestamp"]))
    extra = {"fields": "login"}
    response = await list_with(client, admin_token, extra, from_=registered - 1, to=registered)
    assert outcome(response) == (200, {"trader": [], "hasMore": False})


async def test_items_are_whole_trader_entities_without_fields(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    login = await trader_at(client, admin_token, NOW_MS, groupName=group.name)
    response = await list_with(client, admin_token, {}, from_=NOW_MS, to=NOW_MS + MINUTE_MS)
    expected = expected_trader(trader_body(group.name), login)
    items = response.json()["trader"]
    assert (response.status_code, [project(item, expected) for item in items]) == (200, [expected])


async def test_fields_restricts_every_item_to_the_named_keys(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = await trader_at(client, admin_token, NOW_MS, balance=1234512)
    fields = {"fields": "login,balance,minEquityDaily,maxEquityDaily"}
    response = await list_with(client, admin_token, fields, from_=NOW_MS, to=NOW_MS + MINUTE_MS)
    item = {
        "login": login,
        "balance": 1234512,
        "minEquityDaily": ANY_INT,
        "maxEquityDaily": ANY_INT,
    }
    assert outcome(response) == (200, {"trader": [item], "hasMore": False})


async def test_the_list_answers_xml_by_default(client: httpx.AsyncClient, admin_token: str) -> None:
    await trader_at(client, admin_token, NOW_MS)
    await trader_at(client, admin_token, NOW_MS + MINUTE_MS)
    as_xml = await list_with(client, admin_token, {}, {}, from_=NOW_MS, to=NOW_MS + 2 * MINUTE_MS)
    as_json = await list_with(client, admin_token, {}, from_=NOW_MS, to=NOW_MS + 2 * MINUTE_MS)
    assert (as_xml.status_code, xml_value(as_xml.text, frozenset({"trader"}))) == (
        200,
        ("traderList", as_xml_text(as_json.json())),
    )


async def test_the_list_answers_without_the_trailing_slash_too(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = await trader_at(client, admin_token, NOW_MS)
    params = {"from": wire_time(NOW_MS), "to": wire_time(NOW_MS + MINUTE_MS), "fields": "login"}
    response = await client.get(
        f"{WEBSERV}/traders", params={**params, "token": admin_token}, headers=ACCEPT_JSON
    )
    assert outcome(response) == (200, {"trader": [{"login": login}], "hasMore": False})


async def test_group_id_keeps_only_that_groups_traders(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    first, second = (await trader_groups(client, admin_token))[:2]
    await trader_at(client, admin_token, NOW_MS, groupName=first.name)
    wanted = await trader_at(client, admin_token, NOW_MS + MINUTE_MS, groupName=second.name)
    extra = {"fields": "login", "groupId": str(second.id)}
    response = await list_with(client, admin_token, extra, from_=NOW_MS, to=NOW_MS + 2 * MINUTE_MS)
    assert outcome(response) == (200, {"trader": [{"login": wanted}], "hasMore": False})


async def test_an_unknown_group_id_is_trader_group_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    extra = {"groupId": "987654321"}
    response = await list_with(client, admin_token, extra, from_=NOW_MS, to=NOW_MS + MINUTE_MS)
    assert outcome(response) == (400, error_body("TRADER_GROUP_NOT_FOUND"))


async def three_traders_with_positions(
    client: httpx.AsyncClient, token: str
) -> tuple[object, object, object]:
    """(open, none, closed), registered a minute apart: one with a position opened at NOW+1h,
    one without positions, one whose only position opened at NOW+2h and closed at NOW+3h."""
    with_open = await trader_at(client, token, NOW_MS, balance=1_000_000)
    without = await trader_at(client, token, NOW_MS + MINUTE_MS, balance=1_000_000)
    closed = await trader_at(client, token, NOW_MS + 2 * MINUTE_MS, balance=1_000_000)
    await set_clock(client, NOW_MS + HOUR_MS)
    await open_position(client, with_open)
    await set_clock(client, NOW_MS + 2 * HOUR_MS)
    position = await open_position(client, closed)
    await set_clock(client, NOW_MS + 3 * HOUR_MS)
    await close_position(client, position, close_price="1.18757")
    return with_open, without, closed


async def test_has_open_positions_true_keeps_traders_with_open_positions(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    with_open, _, _ = await three_traders_with_positions(client, admin_token)
    extra = {"fields": "login", "hasOpenPositions": "true"}
    response = await list_with(client, admin_token, extra, from_=NOW_MS, to=NOW_MS + 3 * MINUTE_MS)
    assert outcome(response) == (200, {"trader": [{"login": with_open}], "hasMore": False})


async def test_has_open_positions_false_keeps_traders_without(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    _, without, closed = await three_traders_with_positions(client, admin_token)
    extra = {"fields": "login", "hasOpenPositions": "false"}
    response = await list_with(client, admin_token, extra, from_=NOW_MS, to=NOW_MS + 3 * MINUTE_MS)
    body = {"trader": [{"login": closed}, {"login": without}], "hasMore": False}
    assert outcome(response) == (200, body)


async def test_the_deal_window_keeps_traders_whose_last_deal_is_inside(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # The last deal of `with_open` is its opening at NOW+1h; of `closed`, its closing at NOW+3h.
    with_open, _, _ = await three_traders_with_positions(client, admin_token)
    response = await list_with(
        client,
        admin_token,
        {"fields": "login"},
        from_=NOW_MS,
        to=NOW_MS + 3 * MINUTE_MS,
        dealFrom=NOW_MS + HOUR_MS,
        dealTo=NOW_MS + 2 * HOUR_MS,
    )
    assert outcome(response) == (200, {"trader": [{"login": with_open}], "hasMore": False})


async def test_deal_from_without_deal_to_is_invalid_request(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await list_with(
        client, admin_token, {}, from_=NOW_MS, to=NOW_MS + MINUTE_MS, dealFrom=NOW_MS
    )
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_deal_to_without_deal_from_is_invalid_request(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await list_with(
        client, admin_token, {}, from_=NOW_MS, to=NOW_MS + MINUTE_MS, dealTo=NOW_MS
    )
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_a_list_without_from_and_to_is_invalid_request(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await list_with(client, admin_token, {})
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_has_more_is_false_when_everything_fits(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = await trader_at(client, admin_token, NOW_MS)
    response = await list_with(
        client, admin_token, {"fields": "login"}, from_=NOW_MS, to=NOW_MS + MINUTE_MS
    )
    assert outcome(response) == (200, {"trader": [{"login": login}], "hasMore": False})


async def test_has_more_pages_by_moving_to_to_the_earliest_registration(db_url: str) -> None:
    # §3.3: with more traders than the chunk limit, hasMore is true; repeating the call with `to`
    # set to the earliest registrationTimestamp received gives the rest.
    async with serve(SandboxSettings(db_url=db_url, trader_list_limit=2)) as client:
        token = await token_of(client, *ADMIN)
        logins = [await trader_at(client, token, NOW_MS + step * MINUTE_MS) for step in range(3)]
        fields = {"fields": "login,registrationTimestamp"}
        first = (await list_with(client, token, fields, from_=NOW_MS, to=NOW_MS + HOUR_MS)).json()
        earliest = min(int(item["registrationTimestamp"]) for item in first["trader"])
        second = (await list_with(client, token, fields, from_=NOW_MS, to=earliest)).json()
    assert [first, second] == [
        {
            "trader": [
                {"login": logins[2], "registrationTimestamp": At(NOW_MS + 2 * MINUTE_MS)},
                {"login": logins[1], "registrationTimestamp": At(NOW_MS + MINUTE_MS)},
            ],
            "hasMore": True,
        },
        {"trader": [{"login": logins[0], "registrationTimestamp": At(NOW_MS)}], "hasMore": False},
    ]
