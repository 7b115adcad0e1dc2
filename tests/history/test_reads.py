"""Reads from the deal mirror: closedPositions answers the same rows with no upstream call once
the window is synced, and goes upstream (the same windows as before) when it is not."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from settings import Mode, ServiceSettings
from tests.history.kit import T0, Trade, days, sync, trade
from tests.resolvers.harness import Graph, Upstream, service_on, service_settings

CLOSED = """
query ($login: Int!, $from: DateTime!, $to: DateTime!) {
  trader(login: $login) { closedPositions(from: $from, to: $to) {
    positionId dealId login symbol direction volume entryPrice closePrice openedAt closedAt
    commission swap pnl depositConversionRate usdConversionRate bookType stake spreadBetting
  } }
}
"""


async def test_a_synced_window_answers_the_upstreams_rows_with_no_window_call(
    sandbox: Starlette, upstream: Upstream, settings: ServiceSettings
) -> None:
    login = await upstream.create_trader(currency="EUR")
    await trade(
        upstream,
        [Trade(login, "EURUSD", "1000", "1.2", 1), Trade(login, "GBPUSD", "5000", "1.3", 3)],
    )
    window = {"login": login, "from": T0.isoformat(), "to": (T0 + days(6)).isoformat()}
    async with service_on(sandbox, settings) as graph:
        from_upstream = await graph.query(CLOSED, **window)
    await sync(sandbox, settings, T0 - days(1), T0 + days(8))
    await upstream.reset_calls()
    async with service_on(sandbox, settings) as graph:
        from_mirror = await graph.query(CLOSED, **window)
    rows = from_upstream["data"]["trader"]["closedPositions"]  # type: ignore[index]
    assert (len(rows), from_mirror, await upstream.calls()) == (
        2,
        from_upstream,
        {"POST /v2/webserv/managers/token": 1, "GET /v2/webserv/traders/{login}": 1},
    )


async def test_a_window_reaching_past_the_synced_days_goes_upstream_window_by_window(
    sandbox: Starlette, upstream: Upstream, settings: ServiceSettings
) -> None:
    login = await upstream.create_trader()
    await trade(upstream, [Trade(login, "EURUSD", "1000", "1.2", 1)])
    await sync(sandbox, settings, T0 - days(1), T0 + days(3))
    window = {"login": login, "from": T0.isoformat(), "to": (T0 + days(10)).isoformat()}
    await upstream.reset_calls()
    async with service_on(sandbox, settings) as graph:
        result = await graph.query(CLOSED, **window)
    rows = result["data"]["trader"]["closedPositions"]  # type: ignore[index]
    assert ([row["login"] for row in rows], await upstream.calls()) == (
        [login],
        {
            "POST /v2/webserv/managers/token": 1,
            "GET /v2/webserv/traders/{login}": 1,
            "GET /v2/webserv/closedPositions": 5,
        },
    )


async def _estimate(graph: Graph, variables: dict[str, object]) -> object:
    body = {"query": CLOSED, "variables": variables, "extensions": {"cost": True}}
    answer = (await graph.http.post("/graphql", json=body)).json()
    return answer["extensions"]["cost"]


async def test_the_cost_estimate_knows_a_synced_window_costs_nothing(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    settings = service_settings(tmp_path, history_sync_enabled=False, mode=Mode.DEVELOPMENT)
    login = await upstream.create_trader()
    await trade(upstream, [Trade(login, "EURUSD", "1000", "1.2", 1)])
    window = {"login": login, "from": T0.isoformat(), "to": (T0 + days(6)).isoformat()}
    async with service_on(sandbox, settings) as graph:
        await graph.query("{ depositAssets }")  # the token, so both answers count the same
        unsynced = await _estimate(graph, window)
    await sync(sandbox, settings, T0 - days(1), T0 + days(8))
    async with service_on(sandbox, settings) as graph:
        await graph.query("{ depositAssets }")
        synced = await _estimate(graph, window)
    assert (unsynced, synced) == (
        {"estimatedCalls": 4, "actualCalls": 4},
        {"estimatedCalls": 1, "actualCalls": 1},
    )
