"""Deterministic seeded data (placeholder)."""

from __future__ import annotations

from collections.abc import Callable

from sandbox.db import Database
from sandbox.jsonvalue import JsonObject


async def seed_data(
    db: Database,
    seed: int,
    traders: int,
    anchor_ms: int,
    progress: Callable[[int, int], None] | None = None,
) -> JsonObject:
    return {"traders": 0}
