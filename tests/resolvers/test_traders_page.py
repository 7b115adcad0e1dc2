"""`traders(first, after, filter)`: whole pages, and what they cost upstream (counted).

Acceptance (issue 4): the page query below with `first: 50` costs at most 3 upstream calls with
a warm index, and the count does not grow with `first`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from store.cli import import_users
from store.users_csv import parse_users_csv
from tests.resolvers.direct import all_traders, expected_page, positions_by_login
from tests.resolvers.harness import Graph, Json, Upstream, service_on, service_settings
from tests.support.sandbox import SandboxTransport

PAGE = """
query ($first: Int!, $after: String, $filter: TraderFilterInput) {
  traders(first: $first, after: $after, filter: $filter) {
    edges { node {
      login
      account { balance { amount currency } equity { amount } }
      whiteLabel { name }
      group { name }
      openPositions { symbol volume }
      user { email }
    } }
  }
}
"""

LOGINS = """
query ($first: Int!, $after: String, $filter: TraderFilterInput) {
  traders(first: $first, after: $after, filter: $filter) {
    edges { node { login } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
    totalCount
  }
}
"""

BROKERS = ("sandbox", "atlas-markets", "borealis-fx")
TRADERS = 60
WARM_PAGE_CALLS = {"GET /v2/webserv/traders/": 1, "GET /v2/webserv/openPositions": 1}


@pytest.fixture
async def population(upstream: Upstream, tmp_path: Path) -> list[int]:
    """60 traders across white labels and groups; every 3rd trades, every 2nd has a user."""
    groups = await upstream.group_names()
    logins: list[int] = []
    for n in range(TRADERS):
        broker, group = BROKERS[n % 3], groups[n % len(groups)]
        login = await upstream.create_trader(broker=broker, group=group, partner=f"ib-{n % 4}")
        await upstream.deposit(login, f"{1000 + n}.{n:02d}")
        if n % 3 == 0:
            await upstream.open_position(login, volume=f"{1000 * (n + 1)}.00")
        if n % 2 == 0:
            await upstream.link_user(login, f"user{n}@example.com")
        logins.append(login)
    export = parse_users_csv(await upstream.users_csv())
    await import_users(export, service_settings(tmp_path).database_url)
    return logins


async def _warm(graph: Graph, upstream: Upstream) -> None:
    await graph.query(LOGINS, first=1)
    await upstream.reset_calls()


async def test_a_page_of_50_is_whole_and_right(
    graph: Graph, upstream: Upstream, population: list[int]
) -> None:
    result = await graph.query(PAGE, first=50)
    assert result == {"data": {"traders": {"edges": await expected_page(upstream, 50)}}}


async def test_a_page_of_50_costs_two_upstream_calls_with_a_warm_index(
    graph: Graph, upstream: Upstream, population: list[int]
) -> None:
    await _warm(graph, upstream)
    await graph.query(PAGE, first=50)
    assert await upstream.calls() == WARM_PAGE_CALLS


async def test_the_cost_of_a_page_does_not_grow_with_its_size(
    graph: Graph, upstream: Upstream, population: list[int]
) -> None:
    await _warm(graph, upstream)
    costs = []
    for first in (5, 20, 60):
        await graph.query(PAGE, first=first)
        costs.append(await upstream.calls())
        await upstream.reset_calls()
    assert costs == [WARM_PAGE_CALLS] * 3


async def test_a_cold_index_adds_its_one_list_call(
    graph: Graph, upstream: Upstream, population: list[int]
) -> None:
    await upstream.reset_calls()
    await graph.query(PAGE, first=50)
    assert await upstream.calls() == {
        "POST /v2/webserv/managers/token": 1,
        "GET /v2/webserv/traders/": 2,
        "GET /v2/webserv/openPositions": 1,
    }


async def test_pages_follow_each_other_through_the_cursor(
    graph: Graph, upstream: Upstream, population: list[int]
) -> None:
    first_page = (await graph.query(LOGINS, first=40))["data"]
    assert isinstance(first_page, dict)
    cursor = first_page["traders"]["pageInfo"]["endCursor"]
    second = await graph.query(LOGINS, first=40, after=cursor)
    ordered = [int(str(t["login"])) for t in await all_traders(upstream)]
    assert second == {
        "data": {
            "traders": {
                "edges": [{"node": {"login": login}} for login in ordered[40:]],
                "pageInfo": {"hasNextPage": False, "hasPreviousPage": True, "endCursor": ANY},
                "totalCount": TRADERS,
            }
        }
    }


class _Any:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str)


ANY = _Any()


@pytest.mark.parametrize(
    ("condition", "keep"),
    [
        ({"whiteLabel": "atlas-markets"}, lambda t, _: t["brokerName"] == "atlas-markets"),
        ({"partner": "ib-1"}, lambda t, _: t["contactDetails"]["introducingBroker1"] == "ib-1"),
        ({"hasOpenPositions": True}, lambda t, trading: t["login"] in trading),
        ({"hasOpenPositions": False}, lambda t, trading: t["login"] not in trading),
    ],
)
async def test_filters_keep_exactly_the_matching_traders(
    graph: Graph,
    upstream: Upstream,
    population: list[int],
    condition: dict[str, object],
    keep: Callable[[Json, set[int]], bool],
) -> None:
    trading = set(await positions_by_login(upstream))
    expected = [int(str(t["login"])) for t in await all_traders(upstream) if keep(t, trading)]
    result = await graph.query(LOGINS, first=100, filter=condition)
    assert result["data"] == {
        "traders": {
            "edges": [{"node": {"login": login}} for login in expected],
            "pageInfo": {"hasNextPage": False, "hasPreviousPage": False, "endCursor": ANY},
            "totalCount": len(expected),
        }
    }


async def test_a_group_filter_keeps_only_that_group(
    graph: Graph, upstream: Upstream, population: list[int]
) -> None:
    group = (await upstream.group_names())[1]
    expected = [
        int(str(t["login"])) for t in await all_traders(upstream) if t["groupName"] == group
    ]
    result = await graph.query(LOGINS, first=100, filter={"group": group})
    data = result["data"]
    assert isinstance(data, dict)
    assert [edge["node"]["login"] for edge in data["traders"]["edges"]] == expected


async def test_a_page_larger_than_the_maximum_is_refused(graph: Graph) -> None:
    result = await graph.query(LOGINS, first=501)
    assert result == {  # refused before execution by the operation limits (docs/security.md)
        "data": None,
        "errors": [
            {
                "message": "first may be at most 500, got 501 (field traders).",
                "extensions": {"code": "PAGE_TOO_LARGE", "maxPageSize": 500, "requestId": ANY},
            }
        ],
    }


async def test_an_index_older_than_its_ttl_is_rebuilt(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    first = await upstream.create_trader()
    async with service_on(sandbox, service_settings(tmp_path, index_ttl_seconds=0)) as graph:
        await graph.query(LOGINS, first=5)
        second = await upstream.create_trader()
        await upstream.reset_calls()
        result = await graph.query("{ traders { edges { node { login } } } }")
    assert (result, await upstream.calls()) == (
        {"data": {"traders": {"edges": [{"node": {"login": first}}, {"node": {"login": second}}]}}},
        {"GET /v2/webserv/traders/": 1},
    )


async def test_a_fresh_index_does_not_see_a_trader_created_since(
    graph: Graph, upstream: Upstream
) -> None:
    first = await upstream.create_trader()
    await graph.query(LOGINS, first=5)
    await upstream.create_trader()
    result = await graph.query("{ traders { edges { node { login } } } }")
    assert result == {"data": {"traders": {"edges": [{"node": {"login": first}}]}}}


class ListingSpy(httpx.AsyncBaseTransport):
    """The sandbox, noting the `fields` parameter of every trader list call."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner
        self.fields: list[str | None] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.rstrip("/") == "/v2/webserv/traders" and request.method == "GET":
            self.fields.append(request.url.params.get("fields"))
        return await self._inner.handle_async_request(request)


async def test_a_page_asks_the_upstream_only_for_the_fields_it_shows(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    for _ in range(3):
        await upstream.create_trader()
    spy = ListingSpy(SandboxTransport(sandbox))
    async with service_on(sandbox, service_settings(tmp_path), transport=spy) as graph:
        await graph.query(LOGINS, first=1)
        spy.fields.clear()
        await graph.query(PAGE, first=3)
    assert spy.fields == ["login,registrationTimestamp,depositCurrency,moneyDigits,balance,equity"]
