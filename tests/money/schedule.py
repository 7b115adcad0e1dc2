"""A seeded schedule of money operations, a client that retries, and an operator who reconciles.

The client sends each operation under its own key and, like a real client after a timeout or a
5xx, sends it again with the same key (up to `RETRIES` times), sometimes even after a success.
Operations run in rounds, each round touching every account at most once, so that when an
answer is lost the operator can read the account and tell, from the upstream's own books,
whether that one movement applied: the difference from the journal's successful movements is
either zero or exactly its amount. Anything else is a movement applied twice or lost.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from decimal import Decimal

from resolvers.money.desk import MoneyDesk
from resolvers.money.failures import RETRYABLE, Rejection
from resolvers.money.orders import MoneyOrder
from resolvers.money.resolution import Outcome, resolve
from store.journal import JournalEntry, MovementKind, MovementState
from tests.money.ledger import SIGN
from tests.money.sandbox_kit import Sandbox

RETRIES = 3
FIELD = {
    MovementKind.DEPOSIT: 0,
    MovementKind.WITHDRAW: 0,
    MovementKind.DEPOSIT_BONUS: 1,
    MovementKind.WITHDRAW_BONUS: 1,
    MovementKind.DEPOSIT_CREDIT: 2,
    MovementKind.WITHDRAW_CREDIT: 2,
}
FAULTS: list[dict[str, object]] = [
    {"action": "drop_after_commit", "probability": 0.03},
    {"action": "timeout", "latencyMs": 2000, "probability": 0.02},
    {"action": "error", "status": 503, "probability": 0.04},
    {
        "action": "error",
        "status": 429,
        "errorCode": "REQUEST_FREQUENCY_EXCEEDED",
        "probability": 0.02,
    },
    {"action": "latency", "latencyMs": 2, "probability": 0.3},
]


def schedule(rng: random.Random, logins: list[int], count: int) -> list[list[MoneyOrder]]:
    """`count` operations in rounds of distinct accounts; deposits outweigh withdrawals."""
    kinds = list(FIELD)
    weights = [3, 2, 3, 2, 3, 2]
    rounds: list[list[MoneyOrder]] = []
    while sum(map(len, rounds)) < count:
        size = min(rng.randint(1, len(logins)), count - sum(map(len, rounds)))
        accounts = rng.sample(logins, size)
        rounds.append([order(rng, rng.choices(kinds, weights)[0], login) for login in accounts])
    return rounds


def order(rng: random.Random, kind: MovementKind, login: int) -> MoneyOrder:
    amount = Decimal(rng.randint(1, 5000)).scaleb(-2)
    return MoneyOrder(kind, login, amount, f"op-{rng.getrandbits(64):016x}")


@dataclass
class Operator:
    """Holds what the journal says succeeded, per account and field, and settles unknowns."""

    sandbox: Sandbox
    desk: MoneyDesk
    expected: dict[int, list[Decimal]] = field(default_factory=dict)
    resolved: list[tuple[int, Outcome]] = field(default_factory=list)

    def book(self, entry: JournalEntry) -> None:
        fields = self.expected.setdefault(entry.login, [Decimal(0)] * 3)
        fields[FIELD[entry.kind]] += SIGN[entry.kind] * entry.amount

    async def reconcile(self, entry: JournalEntry) -> JournalEntry:
        """Read the account: the unknown movement applied iff the books moved by its amount."""
        books = await self.sandbox.money(entry.login)
        believed = self.expected.setdefault(entry.login, [Decimal(0)] * 3)[FIELD[entry.kind]]
        difference = books[FIELD[entry.kind]] - believed
        change = SIGN[entry.kind] * entry.amount
        assert difference in (Decimal(0), change), (entry, books, believed)
        outcome = Outcome.SUCCEEDED if difference == change else Outcome.FAILED
        resolved = await resolve(self.desk.transfers, "operator", entry.id, outcome)
        assert isinstance(resolved, JournalEntry), resolved
        self.resolved.append((entry.id, outcome))
        return resolved


@dataclass
class Client:
    desk: MoneyDesk
    operator: Operator
    rng: random.Random

    async def run(self, rounds: list[list[MoneyOrder]]) -> None:
        for orders in rounds:
            await asyncio.gather(*(self.send(order) for order in orders))

    async def send(self, order: MoneyOrder) -> None:
        """Send, retry like a client would, and let the operator settle a lost answer."""
        result = await self.desk.movements.move("client", order)
        for _ in range(RETRIES):
            if not self.wants_retry(result):
                break
            result = await self.desk.movements.move("client", order)
        if isinstance(result, JournalEntry) and result.state is MovementState.OUTCOME_UNKNOWN:
            result = await self.operator.reconcile(result)
        if isinstance(result, JournalEntry) and result.state is MovementState.SUCCEEDED:
            self.operator.book(result)

    def wants_retry(self, result: JournalEntry | Rejection) -> bool:
        if isinstance(result, Rejection):
            return result.failure in RETRYABLE
        return result.state is MovementState.OUTCOME_UNKNOWN or self.rng.random() < 0.1
