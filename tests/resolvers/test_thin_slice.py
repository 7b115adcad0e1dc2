"""One trader by login, end to end: GraphQL -> loader -> client -> sandbox."""

from __future__ import annotations

from tests.resolvers.harness import Graph, Upstream

BALANCE = """
query ($login: Int!) {
  trader(login: $login) { login account { balance { amount currency } } }
}
"""


async def test_a_trader_balance_is_read_through_the_upstream(
    graph: Graph, upstream: Upstream
) -> None:
    login = await upstream.create_trader()
    await upstream.deposit(login, "1234567.89")
    await upstream.reset_calls()
    result = await graph.query(BALANCE, login=login)
    assert (result, await upstream.calls()) == (
        {
            "data": {
                "trader": {
                    "login": login,
                    "account": {"balance": {"amount": "1234567.89", "currency": "USD"}},
                }
            }
        },
        {"POST /v2/webserv/managers/token": 1, "GET /v2/webserv/traders/{login}": 1},
    )


async def test_an_unknown_login_is_null_without_error(graph: Graph) -> None:
    assert await graph.query(BALANCE, login=999999) == {"data": {"trader": None}}
