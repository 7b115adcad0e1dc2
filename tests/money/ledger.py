"""An in-memory upstream for the engine's unit specifications: the money rules of reference §12.

It stands in for the `MoneyGateway` only where a test needs to hold a call mid-flight or script an
outcome exactly; everything that concerns the wire is specified against the sandbox instead.
"""

from __future__ import annotations

import asyncio
from collections import deque
from decimal import Decimal

from resolvers.money.failures import Failure, Refused, Unknown
from resolvers.money.orders import Account
from store.journal import JournalEntry, MovementKind

SIGN = {
    MovementKind.DEPOSIT: 1,
    MovementKind.WITHDRAW: -1,
    MovementKind.DEPOSIT_BONUS: 1,
    MovementKind.WITHDRAW_BONUS: -1,
    MovementKind.DEPOSIT_CREDIT: 1,
    MovementKind.WITHDRAW_CREDIT: -1,
}


class Ledger:
    """Accounts, their balances and the calls received; `script` plays outcomes in order:
    "apply", a `Refused` (nothing booked), an `Unknown` (booked, answer lost) or "lost" (not booked,
    answer lost). Reading an account in `unreadable` fails as an unavailable upstream does.
    """

    def __init__(self, *accounts: Account) -> None:
        self.accounts = {account.login: account for account in accounts}
        self.balances: dict[int, Decimal] = {account.login: Decimal(0) for account in accounts}
        self.calls: list[tuple[MovementKind, int, Decimal, str]] = []
        self.script: deque[Refused | Unknown | str] = deque()
        self.gate: asyncio.Event | None = None
        self.called = asyncio.Event()
        self.next_history_id = 1
        self.account_reads = 0
        self.unreadable: set[int] = set()

    async def account(self, login: int) -> Account:
        self.account_reads += 1
        await asyncio.sleep(0)  # a real read yields to the loop; let concurrent callers meet here
        if login in self.unreadable:
            raise Refused(Failure.UPSTREAM_UNAVAILABLE, "the upstream did not answer")
        if login not in self.accounts:
            raise Refused(Failure.TRADER_NOT_FOUND, f"trader {login} not found")
        return self.accounts[login]

    async def apply(self, entry: JournalEntry) -> int:
        self.calls.append((entry.kind, entry.login, entry.amount, entry.idempotency_key))
        self.called.set()
        if self.gate is not None:
            await self.gate.wait()
        outcome = self.script.popleft() if self.script else "apply"
        if isinstance(outcome, Refused):
            raise outcome
        if outcome == "lost":  # the request never reached the books, but its sender cannot know
            raise Unknown("connection dropped before the upstream answered")
        self.book(entry)
        if isinstance(outcome, Unknown):
            raise outcome
        self.next_history_id += 1
        return self.next_history_id - 1

    def book(self, entry: JournalEntry) -> None:
        change = SIGN[entry.kind] * entry.amount
        if self.balances[entry.login] + change < 0:
            raise Refused(Failure.INSUFFICIENT_FUNDS, "not enough money")
        self.balances[entry.login] += change
