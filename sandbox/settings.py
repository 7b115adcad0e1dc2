"""The sandbox's configuration, read once at the edge (env prefix `SANDBOX_`) and passed down."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SandboxSettings(BaseSettings):
    """Everything that makes one sandbox differ from another; the defaults suit in-process tests."""

    model_config = SettingsConfigDict(env_prefix="SANDBOX_")

    db_url: str = "sqlite+aiosqlite:///:memory:"
    seed: int | None = None
    traders: int = 0
    allowed_ips: list[str] = ["127.0.0.0/8", "::1/128"]
    rate_limit_per_hour: int = 3600
    max_body_bytes: int = 1_048_576
    # Wipe the sandbox's tables at start-up, so every start gives the documented state.
    reset_on_start: bool = True
    # Largest chunk of the trader list before `hasMore` turns true (the real default is 100,000).
    trader_list_limit: int = 100_000
    # Seed of the RNG behind fault `probability`, so runs with faults are reproducible.
    fault_seed: int = 0
    # Epoch ms the seeded data is anchored at; None = the sandbox clock's today, 00:00 UTC.
    seed_anchor_ms: int | None = None
    # Days of closed positions the seed gives each trader, back from the anchor.
    history_days: int = Field(default=120, ge=0)
