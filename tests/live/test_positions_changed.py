"""`positionsChanged` by login or by white label: opened, then closed, one poll each."""

from __future__ import annotations

from starlette.types import ASGIApp

from tests.live.clock import ManualClock
from tests.live.conftest import INTERVAL
from tests.live.ws import live_client
from tests.resolvers.harness import Upstream

POSITIONS = """subscription ($login: Int, $whiteLabel: String) {
  positionsChanged(login: $login, whiteLabel: $whiteLabel) {
    opened { positionId login symbol volume } updated { positionId } closed { positionId }
  }
}"""


def positions_event(
    opened: list[dict[str, object]] | None = None, closed: list[int] | None = None
) -> dict[str, object]:
    change = {
        "opened": opened or [],
        "updated": [],
        "closed": [{"positionId": position} for position in closed or []],
    }
    return {"id": "1", "type": "next", "payload": {"data": {"positionsChanged": change}}}


def position(position_id: int, login: int) -> dict[str, object]:
    return {"positionId": position_id, "login": login, "symbol": "EURUSD", "volume": "1000.00"}


async def test_a_position_opened_then_closed_reaches_the_login_subscriber(
    service: ASGIApp, upstream: Upstream, clock: ManualClock
) -> None:
    login = await upstream.create_trader()
    async with live_client(service) as client:
        await client.subscribe("1", POSITIONS, login=login)
        await clock.settled(1)
        opened = await upstream.open_position(login)
        await clock.advance(INTERVAL)
        first = await client.receive()
        await clock.settled(1)
        await upstream.close_position(opened)
        await clock.advance(INTERVAL)
        second = await client.receive()
    assert (first, second) == (
        positions_event(opened=[position(opened, login)]),
        positions_event(closed=[opened]),
    )


async def test_a_white_label_subscriber_sees_only_its_white_labels_positions(
    service: ASGIApp, upstream: Upstream, clock: ManualClock
) -> None:
    atlas = await upstream.create_trader(broker="atlas-markets")
    borealis = await upstream.create_trader(broker="borealis-fx")
    async with live_client(service) as client:
        await client.subscribe("1", POSITIONS, whiteLabel="atlas-markets")
        await clock.settled(1)
        await upstream.open_position(borealis)
        opened = await upstream.open_position(atlas)
        await clock.advance(INTERVAL)
        assert await client.receive() == positions_event(opened=[position(opened, atlas)])
