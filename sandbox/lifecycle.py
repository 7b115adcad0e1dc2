"""Start-up and reset: tables, the base dataset, and the seed the settings ask for."""

from __future__ import annotations

from sqlalchemy import select

from sandbox import models
from sandbox.base import insert_base_dataset
from sandbox.clock import DAY_MS
from sandbox.seed import Progress as Progress  # re-exported: create_app(progress=) takes one
from sandbox.seed import seed_data
from sandbox.state import SandboxState


async def start(state: SandboxState, progress: Progress | None = None) -> None:
    await state.db.create_tables()
    if state.settings.reset_on_start:
        await reset(state)
    else:
        async with state.db.write() as connection:
            if (await connection.execute(select(models.managers.c.login))).first() is None:
                await insert_base_dataset(connection)
    settings = state.settings
    if settings.seed is not None:
        anchor = settings.seed_anchor_ms or state.clock.today() * DAY_MS
        await seed_data(
            state.db, settings.seed, settings.traders, anchor, progress, settings.history_days
        )


async def reset(state: SandboxState) -> None:
    async with state.db.write() as connection:
        await state.db.wipe(connection)
        await insert_base_dataset(connection)
    state.reset_runtime()
