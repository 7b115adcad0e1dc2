"""`Clock`: how a poller waits between two polls.

Pollers never call `asyncio.sleep` themselves: the service waits in real time, a test drives the
clock by hand and knows exactly how many polls happened (no sleeping tests).
"""

from __future__ import annotations

import asyncio
from typing import Protocol


class Clock(Protocol):
    async def sleep(self, seconds: float) -> None:
        """Return once `seconds` have passed on this clock."""


class RealClock:
    """Wall-clock waits, for the running service."""

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
