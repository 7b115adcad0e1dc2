"""Everything one running sandbox holds: settings, database, clock, limits, faults and stats."""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.auth import Manager
from sandbox.clock import Clock
from sandbox.db import Database
from sandbox.faults import FaultBook
from sandbox.ratelimit import RateLimiter
from sandbox.settings import SandboxSettings
from sandbox.stats import Stats


@dataclass
class SandboxState:
    settings: SandboxSettings
    db: Database
    clock: Clock = field(default_factory=Clock)
    stats: Stats = field(default_factory=Stats)
    # token -> manager, filled on first use; managers change only through the control API (and
    # a reset), which clears it.
    managers: dict[str, Manager] = field(default_factory=dict)
    faults: FaultBook = field(init=False)
    limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.faults = FaultBook(self.settings.fault_seed)
        self.limiter = RateLimiter(self.settings.rate_limit_per_hour, self.clock)

    def reset_runtime(self) -> None:
        """Clear faults, stats, the clock offset and the rate-limit windows (data is separate)."""
        self.faults.clear()
        self.stats.reset()
        self.clock.reset()
        self.limiter.reset()
        self.managers.clear()

    @classmethod
    def build(cls, settings: SandboxSettings) -> SandboxState:
        return cls(settings=settings, db=Database(settings.db_url))
