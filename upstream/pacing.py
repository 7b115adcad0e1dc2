"""Time and chance as the client sees them: swapped in tests, so no test has to sleep."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from upstream.config import RetryPolicy


@dataclass(frozen=True, slots=True)
class Pacing:
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random


def backoff(policy: RetryPolicy, attempt: int, jitter: float) -> float:
    """Full jitter: uniform in [0, min(max_delay, base_delay * 2**(attempt - 1))]."""
    return jitter * min(policy.max_delay, policy.base_delay * 2.0 ** (attempt - 1))
