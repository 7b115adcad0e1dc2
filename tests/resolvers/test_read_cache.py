"""`TRADERGRAPH_READ_CACHE_SECONDS` through the service: repeated reads cost nothing upstream,
and the service's own money movements are read back at once, on a trader and on a page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from tests.resolvers.harness import Graph, Upstream, service_on, service_settings

TRADER = "GET /v2/webserv/traders/{login}"
LIST = "GET /v2/webserv/traders/"
ONE = "query ($login: Int!) { trader(login: $login) { account { balance { amount } } } }"
PAGE = "{ traders(first: 50) { edges { node { login account { balance { amount } } } } } }"
DEPOSIT = """mutation ($input: MoneyMovementInput!) {
  deposit(input: $input) { __typename ... on MoneyMovement { state } }
}"""


@pytest.fixture
async def cached(sandbox: Starlette, tmp_path: Path) -> AsyncIterator[Graph]:
    settings = service_settings(tmp_path, read_cache_seconds=60.0)
    async with service_on(sandbox, settings) as service:
        yield service


async def balance_of(graph: Graph, login: int) -> object:
    data = (await graph.query(ONE, login=login))["data"]
    assert isinstance(data, dict)
    return data["trader"]["account"]["balance"]["amount"]


async def page_balance(graph: Graph, login: int) -> object:
    data = (await graph.query(PAGE))["data"]
    assert isinstance(data, dict)
    nodes = [edge["node"] for edge in data["traders"]["edges"]]
    return next(node["account"]["balance"]["amount"] for node in nodes if node["login"] == login)


async def deposit(graph: Graph, login: int, key: str) -> object:
    variables = {"input": {"login": login, "amount": "25", "idempotencyKey": key}}
    return (await graph.query(DEPOSIT, **variables))["data"]


async def test_a_deposit_is_read_back_at_once_with_the_cache_on(
    cached: Graph, upstream: Upstream
) -> None:
    login = await upstream.create_trader()
    await upstream.reset_calls()

    before = [await balance_of(cached, login), await balance_of(cached, login)]
    moved = await deposit(cached, login, "k-1")
    after = await balance_of(cached, login)

    assert (before, moved, after, (await upstream.calls())[TRADER]) == (
        ["0.00", "0.00"],
        {"deposit": {"__typename": "MoneyMovement", "state": "SUCCEEDED"}},
        "25.00",
        2,  # the first read, and the read after the deposit; the desk's account read is shared
    )


async def test_a_deposit_is_read_back_on_the_page_at_once(
    cached: Graph, upstream: Upstream
) -> None:
    await upstream.seed(7, 30)  # a page of many traders: one list call over its window
    login = await upstream.create_trader()
    await page_balance(cached, login)  # the index and the token
    await upstream.reset_calls()

    before = [await page_balance(cached, login), await page_balance(cached, login)]
    await deposit(cached, login, "k-2")
    after = await page_balance(cached, login)

    assert (before, after, await upstream.calls()) == (
        ["0.00", "0.00"],
        "25.00",
        {  # the desk reads the account's currency; the page is listed again after the deposit
            TRADER: 1,
            "POST /v2/webserv/traders/{login}/changebalance": 1,
            LIST: 1,
        },
    )
