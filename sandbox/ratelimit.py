"""`REQUEST_FREQUENCY_EXCEEDED`: non-GET calls per manager per rolling hour of the sandbox clock."""

from __future__ import annotations

from collections import defaultdict, deque

from sandbox.clock import Clock
from sandbox.exceptions import RequestFrequencyExceeded

HOUR_MS = 3_600_000


class RateLimiter:
    def __init__(self, per_hour: int, clock: Clock) -> None:
        self.per_hour = per_hour
        self.clock = clock
        self._calls: dict[int, deque[int]] = defaultdict(deque)

    def hit(self, manager_login: int) -> None:
        """Count one call, or refuse it (uncounted) with the seconds until a slot frees up."""
        now = self.clock.now_ms()
        calls = self._calls[manager_login]
        while calls and calls[0] <= now - HOUR_MS:
            calls.popleft()
        if len(calls) >= self.per_hour:
            wait_ms = calls[0] + HOUR_MS - now
            raise RequestFrequencyExceeded(max(1, -(-wait_ms // 1000)))
        calls.append(now)

    def reset(self) -> None:
        self._calls.clear()
