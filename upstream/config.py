"""The client's settings: one frozen record, built once at start-up and passed down.

Durations are seconds as `float` (they are time, not money). The manager password is a
`SecretStr`, so neither this record's repr nor a log line can show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from pydantic import SecretStr

from upstream.enums import WireFormat


@dataclass(frozen=True, slots=True)
class Timeouts:
    """`total` bounds one client call, retries included; the others bound each attempt."""

    connect: float = 3.0
    read: float = 10.0
    pool: float = 5.0
    total: float = 20.0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Reads only. Full jitter: the n-th wait is uniform in [0, min(max_delay, base * 2**n)]."""

    attempts: int = 3
    base_delay: float = 0.1
    max_delay: float = 2.0


@dataclass(frozen=True, slots=True)
class BreakerPolicy:
    """Open after `failure_threshold` failures in a row; one probe passes after `reset_after`."""

    failure_threshold: int = 5
    reset_after: float = 30.0


KEEPALIVE_EXPIRY = 4.0
"""Seconds an idle upstream connection is kept: under the 5 s after which uvicorn, Apache httpd
and Node close an idle connection, so the client drops it first. A request written into a
connection the server is closing is reset unread, and a money write lost that way is
OUTCOME_UNKNOWN for nothing (docs/operations.md, Upstream connections)."""


@dataclass(frozen=True, slots=True)
class PoolLimits:
    max_connections: int = 100
    max_keepalive_connections: int = 20
    keepalive_expiry: float = KEEPALIVE_EXPIRY


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Where the upstream is, who we are to it, and how patient to be."""

    base_url: str
    manager_login: int
    manager_password: SecretStr
    wire_format: WireFormat = WireFormat.JSON
    timeouts: Timeouts = field(default_factory=Timeouts)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    breaker: BreakerPolicy = field(default_factory=BreakerPolicy)
    pool: PoolLimits = field(default_factory=PoolLimits)
    closed_positions_window: timedelta = timedelta(days=2)
    """The widest window the upstream accepts for 3.14; wider ones are split into these."""
