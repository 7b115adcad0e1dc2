"""The sandbox's own clock: real time plus an offset that `POST /_sandbox/clock` moves.

Timestamps, the rate-limit window and the daily min/max equity all read this clock, so tests can
cross an hour or a day without waiting. It runs with real time until `{"nowMs": T}` pins it at T;
a pinned clock stands still (so tests can predict every timestamp) until moved again by
`{"advanceMs": N}` or `{"nowMs": T}`; a reset makes it real time again.
"""

from __future__ import annotations

import time

DAY_MS = 86_400_000


class Clock:
    def __init__(self) -> None:
        self.offset_ms = 0
        self.pinned_ms: int | None = None

    def now_ms(self) -> int:
        if self.pinned_ms is not None:
            return self.pinned_ms
        return time.time_ns() // 1_000_000 + self.offset_ms

    def today(self) -> int:
        """The current UTC day as a day number since the epoch."""
        return self.now_ms() // DAY_MS

    def advance(self, ms: int) -> None:
        if self.pinned_ms is not None:
            self.pinned_ms += ms
        else:
            self.offset_ms += ms

    def set_now(self, now_ms: int) -> None:
        self.pinned_ms = now_ms

    def reset(self) -> None:
        self.offset_ms = 0
        self.pinned_ms = None
