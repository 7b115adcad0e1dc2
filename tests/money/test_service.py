"""The money mutations through the whole service (`server.create_app`) in front of the sandbox."""

import base64

from tests.resolvers.harness import Graph, Upstream

CHANGEBALANCE = "POST /v2/webserv/traders/{login}/changebalance"
DEPOSIT = """
mutation ($input: MoneyMovementInput!) {
  deposit(input: $input) {
    __typename
    ... on MoneyMovement { id kind state amount { amount currency } login idempotencyKey caller }
  }
}
"""


async def test_a_deposit_sent_twice_through_the_service_is_booked_once(
    graph: Graph, upstream: Upstream
) -> None:
    login = await upstream.create_trader(currency="EUR")
    deposit = {"login": login, "amount": "250.75", "idempotencyKey": "crm-7781"}
    first = await graph.query(DEPOSIT, input=deposit)
    again = await graph.query(DEPOSIT, input=deposit)
    trader = await upstream.get(f"/v2/webserv/traders/{login}")
    assert isinstance(trader, dict)
    movement = {
        "__typename": "MoneyMovement",
        "id": base64.b64encode(b"MoneyMovement:1").decode(),
        "kind": "DEPOSIT",
        "state": "SUCCEEDED",
        "amount": {"amount": "250.75", "currency": "EUR"},
        "login": login,
        "idempotencyKey": "crm-7781",
        "caller": "1001",
    }
    assert (first, again, trader["balance"], (await upstream.calls())[CHANGEBALANCE]) == (
        {"data": {"deposit": movement}},
        {"data": {"deposit": movement}},
        25075,
        1,
    )
