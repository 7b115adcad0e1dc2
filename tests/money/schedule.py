"""A seeded schedule of money operations: movements on one account and transfers between two.

Operations run in rounds, each round touching every account at most once (a transfer takes two
accounts), so that when an answer is lost the operator can read the account and tell, from the
upstream's own books, whether that one movement applied: the difference from the journal's
successful movements is either zero or exactly its amount. Anything else is a movement applied
twice or lost.

About a quarter of the operations are transfers, mostly between accounts of one currency, some
across currencies with an explicit rate. A few of those carry a rate so large that the deposit
is beyond what an upstream account can hold (2**62 units): the upstream refuses it definitively
(`CHANGE_BALANCE_BAD_AMOUNT`) and the saga must give the source its money back. A transfer's plan
also says how many identical requests its client sends at once the first time, and at which saga
step (if any) that first attempt crashes the service.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from resolvers.money.orders import MoneyOrder, TransferOrder
from store.journal import MovementKind

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
TRANSFER_SHARE = 0.36
"""The chance that an account drawn for a round sends a transfer to another of the round's."""
ACROSS_SHARE = 0.15
BEYOND_THE_BOOKS = Decimal("1e19")
"""A rate that turns even 0.01 into more than 2**62 units of a two-digit account."""
CRASH_POINTS: list[str | None] = [None, "after-withdraw", "before-compensation"]
CRASH_WEIGHTS = {False: [17, 2, 1], True: [3, 1, 6]}
"""Where a first attempt crashes, for ordinary transfers and for those whose deposit is refused
(most of those reach the compensation, so most of them crash before it)."""


@dataclass(frozen=True)
class PlannedTransfer:
    """A transfer, the identical requests sent at once the first time, and where they crash."""

    order: TransferOrder
    copies: int
    crash: str | None


Operation = MoneyOrder | PlannedTransfer


def schedule(rng: random.Random, currencies: dict[int, str], count: int) -> list[list[Operation]]:
    """`count` operations in rounds of distinct accounts; deposits outweigh withdrawals."""
    rounds: list[list[Operation]] = []
    left = count
    while left:
        free = rng.sample(sorted(currencies), rng.randint(1, len(currencies)))
        operations: list[Operation] = []
        while free and left:
            operations.append(operation(rng, free, currencies))
            left -= 1
        rounds.append(operations)
    return rounds


def operation(rng: random.Random, free: list[int], currencies: dict[int, str]) -> Operation:
    """A movement on the next free account, or a transfer from it to another free one."""
    login = free.pop()
    across = rng.random() < ACROSS_SHARE
    partners = [other for other in free if (currencies[other] != currencies[login]) == across]
    if not partners or rng.random() >= TRANSFER_SHARE:
        return order(rng, rng.choices(list(FIELD), [3, 2, 3, 2, 3, 2])[0], login)
    partner = rng.choice(partners)
    free.remove(partner)
    return planned_transfer(rng, login, partner, across)


def order(rng: random.Random, kind: MovementKind, login: int) -> MoneyOrder:
    amount = Decimal(rng.randint(1, 5000)).scaleb(-2)
    return MoneyOrder(kind, login, amount, f"op-{rng.getrandbits(64):016x}")


def planned_transfer(rng: random.Random, source: int, target: int, across: bool) -> PlannedTransfer:
    """Across currencies a rate of 0.5 to 2 (or, two times in five, one beyond the books); a
    transfer to be refused moves at most 1.00, so that the source usually has it."""
    refused = across and rng.random() < 0.4
    amount = Decimal(rng.randint(1, 100 if refused else 5000)).scaleb(-2)
    rate = Decimal(rng.randint(5000, 20000)).scaleb(-4) if across else None
    key = f"tr-{rng.getrandbits(64):016x}"
    transfer = TransferOrder(source, target, amount, key, BEYOND_THE_BOOKS if refused else rate)
    crash = rng.choices(CRASH_POINTS, CRASH_WEIGHTS[refused])[0]
    return PlannedTransfer(transfer, rng.choices([1, 2, 3], [6, 3, 1])[0], crash)
