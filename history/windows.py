"""The mirror's windows: the upstream's 2-day closed-positions windows, on one fixed grid.

Every window starts at an even number of days after 1970-01-01 UTC and lasts two days, the
widest the upstream accepts (reference §3.14). A fixed grid means a window is the same window
for every replica, every run of the backfill and every read, so "is it synced?" has one answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from upstream.times import from_epoch_ms

WIDTH = timedelta(days=2)
WIDTH_MS = 2 * 86_400_000
DAY_MS = 86_400_000


@dataclass(frozen=True, order=True, slots=True)
class Window:
    """Closing deals with `start_ms <= close time < end_ms`."""

    start_ms: int

    @property
    def end_ms(self) -> int:
        return self.start_ms + WIDTH_MS

    @property
    def start(self) -> datetime:
        return from_epoch_ms(self.start_ms)

    @property
    def end(self) -> datetime:
        return from_epoch_ms(self.end_ms)

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d}..{self.end:%Y-%m-%d}"


def window_of(ms: int) -> Window:
    """The window holding the instant `ms`."""
    return Window(ms - ms % WIDTH_MS)


def windows_between(start_ms: int, end_ms: int) -> Iterator[Window]:
    """The windows that overlap [start_ms, end_ms), oldest first."""
    window = window_of(start_ms)
    while window.start_ms < end_ms:
        yield window
        window = Window(window.end_ms)
