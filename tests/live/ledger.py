"""A fake polled resource: balances by login, each in a white label, and a count of polls."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from live.changes import Audience, Item, Snapshot
from live.codec import RecordCodec
from live.poller import PollKey, Source

KEY = PollKey("balance", "1001", "all")


@dataclass(frozen=True)
class Balance:
    login: int
    amount: Decimal


class Ledger:
    def __init__(self) -> None:
        self.balances: dict[int, tuple[str, Decimal]] = {}
        self.polls = 0
        self.failures: list[Exception] = []

    def source(self, key: PollKey = KEY) -> Source[Balance]:
        return Source(key, self.fetch, RecordCodec(Balance))

    async def fetch(self) -> Snapshot[Balance]:
        self.polls += 1
        if self.failures:
            raise self.failures.pop(0)
        return {
            str(login): Item(Balance(login, amount), Audience(white_label=label))
            for login, (label, amount) in self.balances.items()
        }
