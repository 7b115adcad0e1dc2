"""§3.26 white-label move, `POST /cid/ctid/changeCtidTraderAccount` (§12): 204, then the trader
shows its new `brokerName`."""

import httpx

from tests.sandbox.calls import create_manager
from tests.sandbox.clock import NOW_MS, At
from tests.sandbox.matchers import error_body, outcome
from tests.sandbox.traders import create_trader, get_trader, trader_groups

MOVE = "/cid/ctid/changeCtidTraderAccount"


async def move(
    client: httpx.AsyncClient, token: str, login: object, broker_name: str
) -> httpx.Response:
    body = {"traderLogin": login, "brokerName": broker_name, "environmentName": "demo"}
    return await client.post(MOVE, params={"token": token}, json=body)


async def test_a_move_answers_204_with_no_body(client: httpx.AsyncClient, admin_token: str) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await move(client, admin_token, login, "borealis-fx")
    assert (response.status_code, response.content) == (204, b"")


async def test_a_moved_trader_shows_its_new_white_label(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    before = await create_trader(client, admin_token)
    await move(client, admin_token, before["login"], "borealis-fx")
    after = await get_trader(client, admin_token, before["login"])
    # Whether a move stamps lastUpdateTimestamp is not specified; either way it reads "now".
    assert after == {**before, "brokerName": "borealis-fx", "lastUpdateTimestamp": At(NOW_MS)}


async def test_moving_an_unknown_trader_is_trader_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await move(client, admin_token, 987654321, "borealis-fx")
    assert outcome(response) == (404, error_body("TRADER_NOT_FOUND"))


async def test_moving_to_an_unknown_white_label_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    before = await create_trader(client, admin_token)
    response = await move(client, admin_token, before["login"], "no-such-broker")
    after = await get_trader(client, admin_token, before["login"])
    codes = [error_body("CH_PLANT_INVALID"), error_body("CH_BROKER_NOT_FOUND")]
    assert (response.status_code, response.json() in codes, after) == (400, True, before)


async def test_moving_a_foreign_trader_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    first, second = (await trader_groups(client, admin_token))[:2]
    before = await create_trader(client, admin_token, groupName=second.name)
    token = await create_manager(client, 2001, "scoped-secret", allowed_group_ids=[first.id])
    response = await move(client, token, before["login"], "borealis-fx")
    after = await get_trader(client, admin_token, before["login"])
    assert (outcome(response), after) == ((403, error_body("NOT_ENOUGH_RIGHTS")), before)
