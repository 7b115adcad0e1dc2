"""A circuit breaker, so that an upstream that keeps failing is left alone for a while.

closed --(failure_threshold failures in a row)--> open --(reset_after)--> half-open
half-open lets one probe through: success closes the circuit, failure opens it again. A probe
that never reports (its caller was cancelled) is replaced after another `reset_after`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from upstream.config import BreakerPolicy


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitBreaker:
    def __init__(self, policy: BreakerPolicy, clock: Callable[[], float]) -> None:
        self._policy = policy
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probe_at: float | None = None

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at < self._policy.reset_after:
            return BreakerState.OPEN
        return BreakerState.HALF_OPEN

    def allow(self) -> bool:
        """Whether a call may go now; in half-open, only the one probe may."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.OPEN or self._probe_pending():
            return False
        self._probe_at = self._clock()
        return True

    def success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._probe_at = None

    def failure(self) -> None:
        self._failures += 1
        if self._opened_at is not None or self._failures >= self._policy.failure_threshold:
            self._opened_at = self._clock()
            self._probe_at = None

    def _probe_pending(self) -> bool:
        now = self._clock()
        return self._probe_at is not None and now - self._probe_at < self._policy.reset_after
