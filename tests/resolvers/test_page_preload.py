"""A page's node fields are loaded for the whole page at once, however the query spells them.

`account`, `openPositions` and `user` under `traders.edges.node` are read by the connection
resolver (`resolvers/page.py`); aliases and fragments must reach the same data, in the same two
upstream calls with a warm index.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store.cli import import_users
from store.users_csv import parse_users_csv
from tests.resolvers.direct import expected_page
from tests.resolvers.harness import Graph, Json, Upstream, service_settings

SPELLED = """
query ($first: Int!) {
  traders(first: $first) {
    edges { node {
      login
      ...Balance
      acct: account { equity { amount } }
      ... on Trader { openPositions { symbol volume } }
      whiteLabel { name }
      group { name }
      user { email }
    } }
  }
}
fragment Balance on Trader { account { balance { amount currency } } }
"""
TRADERS = 6
WARM_PAGE_CALLS = {"GET /v2/webserv/traders/": 1, "GET /v2/webserv/openPositions": 1}


@pytest.fixture
async def population(upstream: Upstream, tmp_path: Path) -> None:
    """Six traders; every 2nd trades, every 3rd has a user."""
    for n in range(TRADERS):
        login = await upstream.create_trader(email=f"t{n}@example.com")
        await upstream.deposit(login, f"{2000 + n}.{n:02d}")
        if n % 2 == 0:
            await upstream.open_position(login, volume=f"{500 * (n + 1)}.00")
        if n % 3 == 0:
            await upstream.link_user(login, f"user{n}@example.com")
    export = parse_users_csv(await upstream.users_csv())
    await import_users(export, service_settings(tmp_path).database_url)


def _respelled(edge: Json) -> Json:
    node = edge["node"]
    assert isinstance(node, dict)
    account = node["account"]
    assert isinstance(account, dict)
    balance, equity = {"balance": account["balance"]}, {"equity": account["equity"]}
    return {"node": {**node, "account": balance, "acct": equity}}


async def test_aliases_and_fragments_reach_the_preloaded_data(
    graph: Graph, upstream: Upstream, population: None
) -> None:
    result = await graph.query(SPELLED, first=TRADERS)

    expected = [_respelled(edge) for edge in await expected_page(upstream, TRADERS)]
    assert result == {"data": {"traders": {"edges": expected}}}


async def test_aliases_and_fragments_cost_the_same_two_calls(
    graph: Graph, upstream: Upstream, population: None
) -> None:
    await graph.query(SPELLED, first=1)
    await upstream.reset_calls()

    await graph.query(SPELLED, first=TRADERS)

    assert await upstream.calls() == WARM_PAGE_CALLS
