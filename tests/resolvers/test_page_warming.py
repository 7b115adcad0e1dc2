"""A page's node fields are loaded for the whole page at once, however the query spells them.

The connection warms every field selected under `traders.edges.node` that declares its loader
(`schema/batched.py`); aliases, fragments and `@skip`/`@include` must reach the same data as the
fields then read, in the same upstream calls as field-by-field loading with a warm index.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from starlette.applications import Starlette

from store.cli import import_users
from store.users_csv import parse_users_csv
from tests.resolvers.direct import all_traders, expected_page
from tests.resolvers.harness import Graph, Json, Upstream, service_on, service_settings

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


async def test_aliases_and_fragments_reach_the_warmed_data(
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


MERGED = """
query ($first: Int!, $positions: Boolean!) {
  traders(first: $first) {
    edges { node {
      login
      account { balance { amount } }
      ...Equity
      openPositions @include(if: $positions) { symbol volume }
    } }
  }
}
fragment Equity on Trader { account { equity { amount } } }
"""


def _merged(edge: Json, positions: bool) -> Json:
    node = edge["node"]
    assert isinstance(node, dict)
    account = node["account"]
    assert isinstance(account, dict)
    balance = account["balance"]
    assert isinstance(balance, dict)
    merged = {"balance": {"amount": balance["amount"]}, "equity": account["equity"]}
    shown = {"openPositions": node["openPositions"]} if positions else {}
    return {"node": {"login": node["login"], "account": merged, **shown}}


@pytest.mark.parametrize(
    ("positions", "calls"),
    [(True, WARM_PAGE_CALLS), (False, {"GET /v2/webserv/traders/": 1})],
    ids=["included", "left-out"],
)
async def test_merged_selections_and_include_are_warmed_as_execution_sees_them(
    graph: Graph, upstream: Upstream, population: None, positions: bool, calls: dict[str, int]
) -> None:
    """Both `account` selections merge into one field, warmed as one key; a field that
    `@include` leaves out is not loaded."""
    await graph.query(MERGED, first=1, positions=False)
    await upstream.reset_calls()

    result = await graph.query(MERGED, first=TRADERS, positions=positions)
    spent = await upstream.calls()

    expected = [_merged(edge, positions) for edge in await expected_page(upstream, TRADERS)]
    assert (result, spent) == ({"data": {"traders": {"edges": expected}}}, calls)


DETAILS = """
query ($first: Int!) {
  traders(first: $first) {
    edges { node { login name lastName contactDetails { email } account { balance { amount } } } }
  }
}
"""


def _details(trader: Json) -> Json:
    contact = trader["contactDetails"]
    assert isinstance(contact, dict)
    digits, balance = trader["moneyDigits"], trader["balance"]
    assert isinstance(digits, int)
    assert isinstance(balance, int)
    node = {
        "login": trader["login"],
        "name": trader.get("name"),
        "lastName": trader.get("lastName"),
        "contactDetails": {"email": contact.get("email")},
        "account": {"balance": {"amount": format(Decimal(balance).scaleb(-digits), "f")}},
    }
    return {"node": node}


async def test_every_summary_field_of_a_page_shares_one_list_call(
    graph: Graph, upstream: Upstream, population: None
) -> None:
    await graph.query(DETAILS, first=1)
    await upstream.reset_calls()

    result = await graph.query(DETAILS, first=TRADERS)
    spent = await upstream.calls()

    expected = [_details(trader) for trader in (await all_traders(upstream))[:TRADERS]]
    assert (result, spent) == (
        {"data": {"traders": {"edges": expected}}},
        {"GET /v2/webserv/traders/": 1},
    )


ALIASED = """
query ($first: Int!) {
  traders(first: $first) {
    edges { node { a: account { balance { amount } } b: account { equity { amount } } } }
  }
}
"""


async def test_every_spelling_of_account_on_a_page_is_one_key_per_trader(
    sandbox: Starlette, upstream: Upstream, population: None, tmp_path: Path
) -> None:
    """Two aliases with their own sub-selections still fit one batch of one key per trader, so a
    page as large as the batch cap still costs one list call."""
    narrow = service_settings(tmp_path, loader_batch_size=TRADERS)
    async with service_on(sandbox, narrow) as graph:
        await graph.query(ALIASED, first=1)
        await upstream.reset_calls()

        result = await graph.query(ALIASED, first=TRADERS)
        spent = await upstream.calls()

    expected = [_aliased(edge) for edge in await expected_page(upstream, TRADERS)]
    assert (result, spent) == (
        {"data": {"traders": {"edges": expected}}},
        {"GET /v2/webserv/traders/": 1},
    )


def _aliased(edge: Json) -> Json:
    node = edge["node"]
    assert isinstance(node, dict)
    account = node["account"]
    assert isinstance(account, dict)
    balance = account["balance"]
    assert isinstance(balance, dict)
    aliased = {"a": {"balance": {"amount": balance["amount"]}}, "b": {"equity": account["equity"]}}
    return {"node": aliased}
