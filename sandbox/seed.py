"""The deterministic seed: `seed_data(db, seed, traders, anchor_ms)` adds seeded data on top of
whatever exists (normally the base dataset). Same seed, count, anchor, history length and start
state -> same data.

Traders, open positions and cTID users are generated in Python from `random.Random(seed)`; each
trader's closed positions come from its own generator (sandbox/history.py) while its chunk of
traders is written, in batches, so the history is never held whole in memory. Rows are written
with Core executemany inserts in chunks.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from sandbox import catalog, models
from sandbox.db import Database, next_id
from sandbox.history import History, Window
from sandbox.jsonvalue import JsonObject
from sandbox.market import Market
from sandbox.seed_rows import Ids, Row, SeedRows, add_positions, trader_row, user_row

CHUNK = 10_000
HISTORY_DAYS = 120
# Seeded traders register within 365 days of the anchor, so no history lies further back.
HISTORY_REACH_DAYS = 366
# Positions stay open for days at most, so the market's path reaches a month past the window.
MARKET_MARGIN_DAYS = 30
# Called per chunk of traders with (step, done, total), step "generated" then "written": a large
# seed takes tens of seconds, and the CLI and the demo show how far it is.
Progress = Callable[[str, int, int], None]


@dataclass
class Batch:
    """Closed positions and their deals waiting for one executemany each."""

    positions: list[Row] = field(default_factory=list)
    deals: list[Row] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=lambda: {"positions": 0, "closedDeals": 0})

    async def flush(self, connection: AsyncConnection) -> None:
        if self.positions:
            await connection.execute(insert(models.positions), self.positions)
            await connection.execute(insert(models.deals), self.deals)
        self.written["positions"] += len(self.positions)
        self.written["closedDeals"] += len(self.deals)
        self.positions, self.deals = [], []


async def seed_data(
    db: Database,
    seed: int,
    traders: int,
    anchor_ms: int,
    progress: Progress | None = None,
    history_days: int = HISTORY_DAYS,
) -> JsonObject:
    async with db.write() as connection:
        ids = await _start_ids(connection)
        rows = generate(seed, traders, anchor_ms, ids, progress)
        days = min(history_days, HISTORY_REACH_DAYS)
        market = Market(seed, days + MARKET_MARGIN_DAYS)
        history = History(seed, market, Window.before(anchor_ms, days), ids.position, ids.deal)
        batch = Batch()
        await _write_traders(connection, rows.traders, history, batch, progress)
        for table, items in (
            (models.users, rows.users),
            (models.links, rows.links),
            (models.positions, rows.positions),
        ):
            await _insert(connection, table, items)
    return {
        "traders": len(rows.traders),
        "users": len(rows.users),
        "links": len(rows.links),
        "positions": len(rows.positions) + batch.written["positions"],
        "closedDeals": batch.written["closedDeals"],
    }


async def _write_traders(
    connection: AsyncConnection,
    traders: list[Row],
    history: History,
    batch: Batch,
    progress: Progress | None,
) -> None:
    """Each chunk of traders after its history, which sets their last deal times."""
    for start in range(0, len(traders), CHUNK):
        chunk = traders[start : start + CHUNK]
        for trader in chunk:
            for position, deals in history.of(trader):
                batch.positions.append(position)
                batch.deals.extend(deals)
                if len(batch.deals) >= CHUNK:
                    await batch.flush(connection)
        await connection.execute(insert(models.traders), chunk)
        if progress is not None:
            progress("written", start + len(chunk), len(traders))
    await batch.flush(connection)


async def _start_ids(connection: AsyncConnection) -> Ids:
    return Ids(
        login=await next_id(connection, models.traders.c.login, catalog.FIRST_LOGIN) - 1,
        user=await next_id(connection, models.users.c.user_id, catalog.FIRST_USER_ID) - 1,
        account=await next_id(
            connection, models.links.c.ctid_trader_account_id, catalog.FIRST_CTID_ACCOUNT_ID
        )
        - 1,
        position=await next_id(
            connection, models.positions.c.position_id, catalog.FIRST_POSITION_ID
        )
        - 1,
        deal=await next_id(connection, models.deals.c.deal_id, catalog.FIRST_DEAL_ID) - 1,
    )


def generate(
    seed: int, count: int, anchor: int, ids: Ids, progress: Progress | None = None
) -> SeedRows:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    rows = SeedRows()
    owners: list[Row] = []
    for done in range(1, count + 1):
        ids.login += 1
        parents = rows.traders[-50:] if len(rows.traders) > 10 and rng.random() < 0.03 else None
        parent = rng.choice(parents) if parents else None
        if parent is not None and parent["parent_login"] is not None:
            parent = None
        trader = trader_row(rng, ids.login, anchor, parent)
        add_positions(rng, trader, anchor, ids, rows)
        rows.traders.append(trader)
        if parent is None and rng.random() < 0.9:
            owners.append(trader)
        if progress is not None and (done % CHUNK == 0 or done == count):
            progress("generated", done, count)
    _link(rng, seed, anchor, owners, ids, rows)
    return rows


def _link(
    rng: random.Random, seed: int, anchor: int, owned: list[Row], ids: Ids, rows: SeedRows
) -> None:
    """Group the linked traders into cTID users owning 1-3 traders each."""
    index = 0
    while index < len(owned):
        ids.user += 1
        rows.users.append(user_row(rng, ids.user, seed, anchor))
        take = rng.choice([1, 1, 2, 3])
        for trader in owned[index : index + take]:
            ids.account += 1
            rows.links.append(
                {
                    "ctid_trader_account_id": ids.account,
                    "user_id": ids.user,
                    "trader_login": trader["login"],
                    "environment_name": catalog.ENVIRONMENT,
                }
            )
        index += take


async def _insert(connection: AsyncConnection, table: Table, items: list[Row]) -> None:
    for start in range(0, len(items), CHUNK):
        await connection.execute(insert(table), items[start : start + CHUNK])
