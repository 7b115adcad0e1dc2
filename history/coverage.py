"""`Coverage`: which stretches of time the mirror holds every closing deal of.

Built from the window records (store/deals.py): a window read at `read_at` holds the deals
closed in [start, min(end, read_at)). Adjacent windows merge into spans. A read of [from, to)
is answered from the mirror when one span holds it up to `min(to, now - max_lag)`: the last
`max_lag` before now is the catch-up worker's normal delay (docs/history.md), and deals that
have not happened yet cannot be missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from store.deals import WindowRecord
from upstream.times import from_epoch_ms


@dataclass(frozen=True, slots=True)
class Span:
    """Every deal closed in [start_ms, through_ms) is in the mirror."""

    start_ms: int
    through_ms: int

    @property
    def start(self) -> datetime:
        return from_epoch_ms(self.start_ms)

    @property
    def through(self) -> datetime:
        return from_epoch_ms(self.through_ms)

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.through.isoformat()}"


@dataclass(frozen=True)
class Coverage:
    spans: tuple[Span, ...] = ()

    @classmethod
    def of(cls, records: Iterable[WindowRecord]) -> Coverage:
        spans: list[Span] = []
        for record in sorted(records, key=lambda r: r.start_ms):
            last = spans[-1] if spans else None
            if last is not None and last.through_ms >= record.start_ms:
                spans[-1] = Span(last.start_ms, max(last.through_ms, record.through_ms))
            else:
                spans.append(Span(record.start_ms, record.through_ms))
        return cls(tuple(spans))

    def holds(self, start_ms: int, end_ms: int, now_ms: int, max_lag_ms: int) -> bool:
        """Whether the mirror answers for deals closed in [start_ms, end_ms) as of `now_ms`."""
        needed = min(end_ms, now_ms - max_lag_ms)
        return any(span.start_ms <= start_ms and span.through_ms >= needed for span in self.spans)

    @property
    def newest_ms(self) -> int | None:
        """Up to when the newest span holds every deal; None for an empty mirror."""
        return self.spans[-1].through_ms if self.spans else None

    def describe(self) -> str:
        if not self.spans:
            return "nothing (run `tradergraph history sync`)"
        return ", ".join(str(span) for span in self.spans)


class HistoryNotSynced(Exception):
    """A read the mirror cannot answer whole; it names what the mirror does hold."""

    def __init__(self, start: datetime, end: datetime, coverage: Coverage) -> None:
        self.coverage = coverage
        super().__init__(
            f"The deal mirror does not hold {start.isoformat()}..{end.isoformat()};"
            f" it holds {coverage.describe()}."
        )
