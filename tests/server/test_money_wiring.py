"""The money pieces run inside the served app: the lifespan builds the desk, the context names
the caller, and a deposit made through the graph shows in the trader's balance."""

from __future__ import annotations

from tests.resolvers.harness import Graph, Upstream

DEPOSIT = """
mutation ($login: Int!) {
  deposit(input: {login: $login, amount: "1234567.89", idempotencyKey: "wire-1"}) {
    ... on MoneyMovement { state caller amount { amount currency } }
  }
}
"""
BALANCE = "query ($login: Int!) { trader(login: $login) { account { balance { amount } } } }"


async def test_a_deposit_through_the_graph_reaches_the_balance(
    graph: Graph, upstream: Upstream
) -> None:
    login = await upstream.create_trader()
    deposited = await graph.query(DEPOSIT, login=login)
    balance = await graph.query(BALANCE, login=login)
    assert (deposited, balance) == (
        {
            "data": {
                "deposit": {
                    "state": "SUCCEEDED",
                    "caller": "1001",
                    "amount": {"amount": "1234567.89", "currency": "USD"},
                }
            }
        },
        {"data": {"trader": {"account": {"balance": {"amount": "1234567.89"}}}}},
    )
