"""`accountChanged` over graphql-transport-ws, against the sandbox, one poll at a time."""

from __future__ import annotations

from starlette.types import ASGIApp

from tests.live.clock import ManualClock
from tests.live.conftest import INTERVAL
from tests.live.ws import live_client
from tests.resolvers.harness import Upstream

ACCOUNT = """subscription ($logins: [Int!]!) {
  accountChanged(logins: $logins) {
    login moneyDigits balance { amount currency } equity { amount }
  }
}"""


def account_event(sid: str, login: int, balance: str) -> dict[str, object]:
    account = {
        "login": login,
        "moneyDigits": 2,
        "balance": {"amount": balance, "currency": "USD"},
        "equity": {"amount": balance},
    }
    return {"id": sid, "type": "next", "payload": {"data": {"accountChanged": account}}}


async def test_a_subscriber_sees_a_deposit_within_one_poll_interval(
    service: ASGIApp, upstream: Upstream, clock: ManualClock
) -> None:
    login = await upstream.create_trader()
    async with live_client(service) as client:
        await client.subscribe("1", ACCOUNT, logins=[login])
        await clock.settled(1)
        await upstream.deposit(login, "100.00")
        await clock.advance(INTERVAL)
        assert await client.receive() == account_event("1", login, "100.00")
