"""Open and closed positions: whole rows, and one upstream call per window, not per trader.

Acceptance (issue 4): closed positions over 30 days for a page of traders cost at most 15 calls.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.resolvers.harness import Graph, Upstream

T0_MS = 1_772_446_830_456  # 2026-03-02T10:20:30.456Z, the sandbox clock pinned here
T0 = datetime.fromtimestamp(T0_MS / 1000, tz=UTC)
DAY_MS = 86_400_000

OPEN = """
query ($login: Int!) {
  trader(login: $login) {
    openPositions { positionId login symbol direction volume entryPrice openedAt }
  }
}
"""

CLOSED_PAGE = """
query ($from: DateTime!, $to: DateTime!) {
  traders(first: 10) {
    edges { node { login closedPositions(from: $from, to: $to) {
      positionId login symbol volume closePrice closedAt
    } } }
  }
}
"""

CLOSED_ONE = """
query ($login: Int!, $from: DateTime!, $to: DateTime!) {
  trader(login: $login) { closedPositions(from: $from, to: $to) { positionId } }
}
"""


def _iso(moment: datetime) -> str:
    return moment.isoformat()


async def test_a_traders_open_positions_come_whole_from_its_own_grid(
    graph: Graph, upstream: Upstream
) -> None:
    await upstream.pin_clock(T0_MS)
    login = await upstream.create_trader()
    position = await upstream.open_position(login, volume="2500.00")
    await upstream.reset_calls()
    result = await graph.query(OPEN, login=login)
    assert (result, await upstream.calls()) == (
        {
            "data": {
                "trader": {
                    "openPositions": [
                        {
                            "positionId": position,
                            "login": login,
                            "symbol": "EURUSD",
                            "direction": "BUY",
                            "volume": "2500.00",
                            "entryPrice": "1.18657",
                            "openedAt": "2026-03-02T10:20:30.456000+00:00",
                        }
                    ]
                }
            }
        },
        {
            "POST /v2/webserv/managers/token": 1,
            "GET /v2/webserv/traders/{login}": 1,
            "GET /v2/webserv/openPositions": 1,
        },
    )


async def _trade_for_a_month(upstream: Upstream, traders: int) -> list[dict[str, object]]:
    """Each trader opens at T0 and closes on day 3 * its rank; answers the expected rows."""
    await upstream.pin_clock(T0_MS)
    logins = [await upstream.create_trader() for _ in range(traders)]
    positions = [await upstream.open_position(login) for login in logins]
    expected: list[dict[str, object]] = []
    for rank, (login, position) in enumerate(zip(logins, positions, strict=True)):
        await upstream.pin_clock(T0_MS + (3 * rank + 1) * DAY_MS)
        await upstream.close_position(position, price=f"1.2{rank}000")
        closed_at = T0 + timedelta(days=3 * rank + 1)
        row = {
            "positionId": position,
            "login": login,
            "symbol": "EURUSD",
            "volume": "1000.00",
            "closePrice": f"1.2{rank}000",
            "closedAt": closed_at.isoformat(),
        }
        expected.append({"node": {"login": login, "closedPositions": [row]}})
    return expected


async def test_closed_positions_over_30_days_for_a_page_cost_15_calls(
    graph: Graph, upstream: Upstream
) -> None:
    expected = await _trade_for_a_month(upstream, 8)
    window = {"from": _iso(T0), "to": _iso(T0 + timedelta(days=30))}
    await graph.query(CLOSED_PAGE, **window)  # warms the index
    await upstream.reset_calls()
    result = await graph.query(CLOSED_PAGE, **window)
    assert (result, await upstream.calls()) == (
        {"data": {"traders": {"edges": expected}}},
        {"GET /v2/webserv/closedPositions": 15},
    )


async def test_a_window_ending_before_it_starts_is_refused(
    graph: Graph, upstream: Upstream
) -> None:
    login = await upstream.create_trader()
    window = {"from": _iso(T0), "to": _iso(T0 - timedelta(days=1))}
    result = await graph.query(CLOSED_ONE, login=login, **window)
    assert result == {
        "data": {"trader": {"closedPositions": None}},
        "errors": [
            {
                "message": "closedPositions: from must be before to.",
                "locations": [{"line": 3, "column": 27}],
                "path": ["trader", "closedPositions"],
                "extensions": {"code": "BAD_USER_INPUT", "requestId": result_request_id(result)},
            }
        ],
    }


async def test_a_window_wider_than_92_days_is_refused(graph: Graph, upstream: Upstream) -> None:
    login = await upstream.create_trader()
    window = {"from": _iso(T0), "to": _iso(T0 + timedelta(days=93))}
    result = await graph.query(CLOSED_ONE, login=login, **window)
    errors = result["errors"]
    assert isinstance(errors, list)
    assert (errors[0]["message"], errors[0]["extensions"]["code"]) == (
        "closedPositions: the window may span at most 92 days.",
        "BAD_USER_INPUT",
    )


def result_request_id(result: dict[str, object]) -> object:
    """The request id is random per request; take it from the answer to compare the rest."""
    errors = result.get("errors")
    assert isinstance(errors, list)
    return errors[0]["extensions"]["requestId"]
