"""`HistorySettings`: the deal mirror's configuration; a base of `ServiceSettings`.

Every field is `TRADERGRAPH_HISTORY_*` in the environment; docs/operations.md and
docs/history.md say what each one changes.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class HistorySettings(BaseSettings):
    history_sync_enabled: bool = Field(
        default=True,
        description="Run the catch-up worker (one across replicas) while the service runs. It"
        " keeps a backfilled mirror current; an empty mirror (never backfilled) it leaves alone.",
    )
    history_interval_seconds: float = Field(
        default=60.0, gt=0, description="How often the catch-up worker re-reads recent windows."
    )
    history_horizon_seconds: float = Field(
        default=86_400.0,
        ge=0,
        description="Settling horizon: a window read at least this long after its end is final"
        " and never read again; newer ones are re-read on every pass.",
    )
    history_retention_days: int = Field(
        default=400,
        gt=0,
        description="How far back the mirror keeps deals; older deals and windows are dropped.",
    )
    history_max_lag_seconds: float = Field(
        default=300.0,
        ge=0,
        description="How far behind now the mirror may be and still answer: a read reaching"
        " closer to now than the last sync minus this goes upstream (closedPositions) or is"
        " refused as HISTORY_NOT_SYNCED (activity).",
    )
    history_lock_ttl_seconds: float = Field(
        default=120.0,
        gt=0,
        description="Lifetime of a Redis sync lock: how long a dead holder keeps a window.",
    )
