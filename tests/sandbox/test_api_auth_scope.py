"""§1.3 and §12 manager scope: visibility by trader group and broker name (NOT_ENOUGH_RIGHTS for
one trader, silent omission from lists and grids), read-only managers, and the IP allow-list."""

import csv
import io

import httpx

from sandbox import SandboxSettings
from tests.sandbox.calls import (
    DESK,
    PARTNER,
    change_balance,
    close_position,
    create_manager,
    open_position,
    post_json,
    serve,
    token_of,
)
from tests.sandbox.clock import HOUR_MS, MINUTE_MS, NOW_MS, set_clock, wire_time
from tests.sandbox.matchers import error_body, outcome
from tests.sandbox.traders import create_trader, get_trader, trader_body, trader_groups
from tests.sandbox.wire import ACCEPT_JSON, TRADERS, WEBSERV, Json, md5


async def scoped_manager(client: httpx.AsyncClient, admin_token: str) -> str:
    """Manager 2001: the first trader group only, and not the `borealis-fx` white label."""
    first = (await trader_groups(client, admin_token))[0]
    return await create_manager(
        client,
        2001,
        "scoped-secret",
        allowed_group_ids=[first.id],
        disabled_broker_names=["borealis-fx"],
    )


async def three_traders(client: httpx.AsyncClient, admin_token: str) -> tuple[Json, Json, Json]:
    """(visible, in another group, under the disabled white label), registered a minute apart."""
    first, second = (await trader_groups(client, admin_token))[:2]
    visible = await create_trader(client, admin_token, groupName=first.name, balance=100000)
    await set_clock(client, NOW_MS + MINUTE_MS)
    other_group = await create_trader(client, admin_token, groupName=second.name, balance=100000)
    await set_clock(client, NOW_MS + 2 * MINUTE_MS)
    other_broker = await create_trader(
        client, admin_token, groupName=first.name, brokerName="borealis-fx", balance=100000
    )
    return visible, other_group, other_broker


async def read(client: httpx.AsyncClient, token: str, login: object) -> httpx.Response:
    return await client.get(f"{TRADERS}/{login}", params={"token": token}, headers=ACCEPT_JSON)


async def test_a_scoped_manager_reads_a_trader_in_its_scope(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token = await scoped_manager(client, admin_token)
    visible, _, _ = await three_traders(client, admin_token)
    assert outcome(await read(client, token, visible["login"])) == (200, visible)


async def test_a_trader_of_another_group_is_not_enough_rights(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token = await scoped_manager(client, admin_token)
    _, other_group, _ = await three_traders(client, admin_token)
    response = await read(client, token, other_group["login"])
    assert outcome(response) == (403, error_body("NOT_ENOUGH_RIGHTS"))


async def test_a_trader_of_a_disabled_broker_is_not_enough_rights(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token = await scoped_manager(client, admin_token)
    _, _, other_broker = await three_traders(client, admin_token)
    response = await read(client, token, other_broker["login"])
    assert outcome(response) == (403, error_body("NOT_ENOUGH_RIGHTS"))


async def test_the_trader_list_silently_omits_foreign_traders(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token = await scoped_manager(client, admin_token)
    visible, _, _ = await three_traders(client, admin_token)
    params = {"from": wire_time(NOW_MS), "to": wire_time(NOW_MS + 3 * MINUTE_MS), "fields": "login"}
    response = await client.get(
        f"{TRADERS}/", params={**params, "token": token}, headers=ACCEPT_JSON
    )
    assert outcome(response) == (200, {"trader": [{"login": visible["login"]}], "hasMore": False})


async def test_the_open_grid_silently_omits_foreign_positions(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token = await scoped_manager(client, admin_token)
    traders = await three_traders(client, admin_token)
    positions = [await open_position(client, trader["login"]) for trader in traders]
    response = await client.get(f"{WEBSERV}/openPositions", params={"token": token})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["positionId"] for row in rows] == [str(positions[0])]


async def test_the_closed_grid_silently_omits_foreign_positions(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token = await scoped_manager(client, admin_token)
    traders = await three_traders(client, admin_token)
    positions = [await open_position(client, trader["login"]) for trader in traders]
    await set_clock(client, NOW_MS + HOUR_MS)
    for position in positions:
        await close_position(client, position, close_price="1.18757")
    params = {"from": wire_time(NOW_MS), "to": wire_time(NOW_MS + 2 * HOUR_MS), "token": token}
    response = await client.get(f"{WEBSERV}/closedPositions", params=params)
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["positionId"] for row in rows] == [str(positions[0])]


async def test_a_balance_change_on_a_foreign_trader_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token = await scoped_manager(client, admin_token)
    _, other_group, _ = await three_traders(client, admin_token)
    response = await change_balance(client, token, other_group["login"], "10.00")
    after = await get_trader(client, admin_token, other_group["login"])
    assert (outcome(response), after) == ((403, error_body("NOT_ENOUGH_RIGHTS")), other_group)


async def test_deleting_a_foreign_trader_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token = await scoped_manager(client, admin_token)
    _, other_group, _ = await three_traders(client, admin_token)
    response = await client.delete(
        f"{TRADERS}/{other_group['login']}", params={"token": token}, headers=ACCEPT_JSON
    )
    after = await get_trader(client, admin_token, other_group["login"])
    assert (outcome(response), after) == ((403, error_body("NOT_ENOUGH_RIGHTS")), other_group)


async def test_patching_a_foreign_trader_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token = await scoped_manager(client, admin_token)
    _, _, other_broker = await three_traders(client, admin_token)
    response = await client.patch(
        f"{TRADERS}/{other_broker['login']}",
        params={"token": token},
        json={"name": "Mallory"},
        headers=ACCEPT_JSON,
    )
    after = await get_trader(client, admin_token, other_broker["login"])
    assert (outcome(response), after) == ((403, error_body("NOT_ENOUGH_RIGHTS")), other_broker)


async def test_creating_a_trader_in_a_foreign_group_is_refused(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token = await scoped_manager(client, admin_token)
    second = (await trader_groups(client, admin_token))[1]
    response = await post_json(client, TRADERS, token, trader_body(second.name))
    assert outcome(response) == (403, error_body("NOT_ENOUGH_RIGHTS"))


async def test_creating_a_trader_under_a_disabled_broker_is_refused(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token = await scoped_manager(client, admin_token)
    first = (await trader_groups(client, admin_token))[0]
    body = trader_body(first.name, brokerName="borealis-fx")
    response = await post_json(client, TRADERS, token, body)
    assert outcome(response) == (403, error_body("NOT_ENOUGH_RIGHTS"))


async def test_the_desk_manager_cannot_read_a_trader_of_the_default_broker(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # docs/sandbox.md: manager 1002 sees the `atlas-markets` white label only.
    trader = await create_trader(client, admin_token, brokerName="sandbox")
    token = await token_of(client, *DESK)
    response = await read(client, token, trader["login"])
    assert outcome(response) == (403, error_body("NOT_ENOUGH_RIGHTS"))


async def test_a_read_only_manager_reads_traders(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    trader = await create_trader(client, admin_token)
    token = await create_manager(client, 2002, "reader-secret", read_only=True)
    assert outcome(await read(client, token, trader["login"])) == (200, trader)


async def test_a_read_only_manager_cannot_change_a_balance(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    trader = await create_trader(client, admin_token)
    token = await create_manager(client, 2002, "reader-secret", read_only=True)
    response = await change_balance(client, token, trader["login"], "10.00")
    after = await get_trader(client, admin_token, trader["login"])
    assert (outcome(response), after) == ((403, error_body("NOT_ENOUGH_RIGHTS")), trader)


async def test_the_partner_manager_cannot_create_a_trader(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # docs/sandbox.md: manager 1003 is read-only.
    group = (await trader_groups(client, admin_token))[0]
    token = await token_of(client, *PARTNER)
    response = await post_json(client, TRADERS, token, trader_body(group.name))
    assert outcome(response) == (403, error_body("NOT_ENOUGH_RIGHTS"))


def off_the_list(db_url: str) -> SandboxSettings:
    """ASGITransport calls from 127.0.0.1, which this allow-list leaves out."""
    return SandboxSettings(db_url=db_url, allowed_ips=["10.9.9.0/24"])


async def test_a_caller_off_the_allow_list_cannot_get_a_token(db_url: str) -> None:
    async with serve(off_the_list(db_url), set_time=False) as client:
        body = {"login": 1001, "hashedPassword": md5("sandbox-admin")}
        response = await client.post(f"{WEBSERV}/managers/token", json=body, headers=ACCEPT_JSON)
    assert outcome(response) == (403, error_body("IP_NOT_ALLOWED"))


async def test_a_caller_off_the_allow_list_is_refused_on_webserv_calls(db_url: str) -> None:
    async with serve(off_the_list(db_url), set_time=False) as client:
        response = await client.get(
            f"{WEBSERV}/symbols", params={"token": "any"}, headers=ACCEPT_JSON
        )
    assert outcome(response) == (403, error_body("IP_NOT_ALLOWED"))


async def test_a_caller_off_the_allow_list_is_refused_on_cid_calls(db_url: str) -> None:
    async with serve(off_the_list(db_url), set_time=False) as client:
        response = await client.post(
            "/cid/ctid/create", params={"token": "any"}, json={"email": "x@example.com"}
        )
    assert outcome(response) == (403, error_body("IP_NOT_ALLOWED"))
