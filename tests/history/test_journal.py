"""`journalDeposits` / `journalWithdrawals`: what moved through this service's own money
journal in the window, per currency; a movement made at the upstream directly is not there, and
a partner key may not see them at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from starlette.applications import Starlette

from auth.secrets import digest
from settings.auth import PartnerKey
from tests.history.kit import sync
from tests.resolvers.harness import Graph, Upstream, service_on, service_settings

MOVE = """
mutation ($input: MoneyMovementInput!) {
  deposit(input: $input) { __typename }
}
"""
TAKE = """
mutation ($input: MoneyMovementInput!) {
  withdraw(input: $input) { __typename }
}
"""
JOURNAL = """
query ($from: DateTime!, $to: DateTime!) {
  activity(from: $from, to: $to) { total {
    deals journalDeposits { amount currency } journalWithdrawals { amount currency }
  } }
}
"""
KEY = "tgk_history-journal-partner"


async def _move(graph: Graph, text: str, login: int, amount: str, key: str) -> None:
    answer = await graph.query(
        text, input={"login": login, "amount": amount, "idempotencyKey": key}
    )
    assert "errors" not in answer, answer


async def test_the_journals_figures_are_the_movements_made_through_this_service(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    keys = {digest(KEY): PartnerKey(partner="IB-7100", read_only=True)}
    settings = service_settings(tmp_path, history_sync_enabled=False, partner_keys=keys)
    usd = await upstream.create_trader(currency="USD", partner="IB-7100")
    eur = await upstream.create_trader(currency="EUR")
    async with service_on(sandbox, settings) as graph:
        await _move(graph, MOVE, usd, "100.50", "d1")
        await _move(graph, MOVE, usd, "20.25", "d2")
        await _move(graph, MOVE, eur, "7.00", "d3")
        await _move(graph, TAKE, usd, "10.00", "w1")
    await upstream.deposit(eur, "999")  # straight at the upstream: the journal never saw it
    now = datetime.now(UTC)
    await sync(sandbox, settings, now - timedelta(days=1), now + timedelta(minutes=1))
    window = {
        "from": (now - timedelta(hours=1)).isoformat(),
        "to": (now + timedelta(hours=1)).isoformat(),
    }
    async with service_on(sandbox, settings) as graph:
        manager = await graph.query(JOURNAL, **window)
        answer = await graph.http.post(
            "/graphql",
            json={"query": JOURNAL, "variables": window},
            headers={"Authorization": f"Bearer {KEY}"},
        )
    partner = answer.json()
    assert manager == {
        "data": {
            "activity": {
                "total": {
                    "deals": 0,
                    "journalDeposits": [
                        {"amount": "7.00", "currency": "EUR"},
                        {"amount": "120.75", "currency": "USD"},
                    ],
                    "journalWithdrawals": [{"amount": "10.00", "currency": "USD"}],
                }
            }
        }
    }
    assert [(e["path"], e["message"], e["extensions"]["code"]) for e in partner["errors"]] == [
        (
            ["activity", "total", path],
            "Partner keys have no access to money movements (journalDeposits, journalWithdrawals).",
            "FORBIDDEN",
        )
        for path in ("journalDeposits", "journalWithdrawals")
    ]
