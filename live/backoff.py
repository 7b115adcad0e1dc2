"""`Backoff`: how long a poller waits before its next poll.

After a good poll, the interval. After a failed one, twice as long per failure in a row, up to
a ceiling, and never less than the upstream's `Retry-After`: a poller must not be what keeps a
struggling upstream down. No jitter: pollers of one process share nothing that would make them
retry in step, and a deterministic wait keeps the tests exact.
"""

from __future__ import annotations

from dataclasses import dataclass


class TransientFailure(Exception):
    """A poll failed in a way that may pass (429, 5xx, timeout); `retry_after` in seconds."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(frozen=True)
class PollPolicy:
    interval: float
    ceiling: float

    def backoff(self) -> Backoff:
        return Backoff(self)


class Backoff:
    """The waits of one poller; counts failures in a row."""

    def __init__(self, policy: PollPolicy) -> None:
        self._policy = policy
        self.failures = 0

    def after_success(self) -> float:
        self.failures = 0
        return self._policy.interval

    def after_failure(self, retry_after: float | None = None) -> float:
        self.failures += 1
        doubled = self._policy.interval * 2.0**self.failures
        return max(min(doubled, self._policy.ceiling), retry_after or 0.0)
