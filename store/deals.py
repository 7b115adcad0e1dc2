"""The deal mirror: closing deals copied from the upstream's grid, the windows already copied,
and what the mirror knows of each trader (white label, group, partners) to group them by.

    tg_deals             one row per closing deal, keyed by the upstream's dealId: the grid's
                         values as exact text (what `closedPositions` answers) and the figures
                         the activity sums as integers (store/deal_figures.py)
    tg_history_windows   one row per 2-day window copied (history/windows.py), with the moment
                         its read began: the window holds every deal closed before that moment
    tg_history_traders   login -> brokerName, groupName, introducingBroker1/2, as last synced

A window is saved in one transaction: its old rows go, its new rows are upserted by dealId, and
its record is written, so a crash leaves each window either wholly old or wholly new, and saving
the same window twice leaves the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Index,
    Integer,
    String,
    Table,
    and_,
    bindparam,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite

from store.db import metadata
from upstream.enums import BookType, Direction
from upstream.records import ClosedDeal, TraderSummary
from upstream.times import from_epoch_ms

AMOUNT = String(40)
CHUNK = 500

deals = Table(
    "tg_deals",
    metadata,
    Column("deal_id", BigInteger, primary_key=True, autoincrement=False),
    Column("position_id", BigInteger, nullable=False),
    Column("login", BigInteger, nullable=False),
    Column("symbol", String(64), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("open_ms", BigInteger, nullable=False),
    Column("close_ms", BigInteger, nullable=False),
    Column("close_day", Integer, nullable=False),
    Column("entry_price", AMOUNT, nullable=False),
    Column("close_price", AMOUNT, nullable=False),
    Column("volume", AMOUNT, nullable=False),
    Column("commission", AMOUNT, nullable=False),
    Column("swap", AMOUNT, nullable=False),
    Column("pnl", AMOUNT, nullable=False),
    Column("deposit_conversion_rate", AMOUNT, nullable=False),
    Column("usd_conversion_rate", AMOUNT, nullable=False),
    Column("book_type", String(8), nullable=False),
    Column("stake", AMOUNT, nullable=True),
    Column("spread_betting", Boolean, nullable=False),
    Column("volume_units", BigInteger, nullable=False),
    Column("commission_units", BigInteger, nullable=False),
    Column("swap_units", BigInteger, nullable=False),
    Column("notional_usd_cents", BigInteger, nullable=False),
    Column("realized_pnl_usd_cents", BigInteger, nullable=False),
    Column("winning", Integer, nullable=False),
    Index("ix_tg_deals_close_ms", "close_ms"),
    Index("ix_tg_deals_login_close_ms", "login", "close_ms"),
)

windows = Table(
    "tg_history_windows",
    metadata,
    Column("start_ms", BigInteger, primary_key=True, autoincrement=False),
    Column("end_ms", BigInteger, nullable=False),
    Column("read_at_ms", BigInteger, nullable=False),
    Column("deals", Integer, nullable=False),
)

traders = Table(
    "tg_history_traders",
    metadata,
    Column("login", BigInteger, primary_key=True, autoincrement=False),
    Column("broker_name", String(200), nullable=True),
    Column("group_name", String(200), nullable=True),
    Column("ib1", String(200), nullable=True),
    Column("ib2", String(200), nullable=True),
)


@dataclass(frozen=True, slots=True)
class WindowRecord:
    """A copied window: deals closed in [start_ms, end_ms) before `read_at_ms` are all here."""

    start_ms: int
    end_ms: int
    read_at_ms: int
    deals: int

    @property
    def through_ms(self) -> int:
        return min(self.end_ms, self.read_at_ms)


def _upsert(connection: Connection, table: Table, key: str) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    updates = {c.name: statement.excluded[c.name] for c in table.columns if c.name != key}
    return statement.on_conflict_do_update(index_elements=[key], set_=updates)


_DEAL_UPSERTS: dict[str, str] = {}


def _deal_upsert(connection: Connection) -> str:
    """The deals' upsert as the driver's own SQL with positional parameters in the columns'
    order, compiled once per dialect: a window's rows go to the driver's `executemany` as they
    are, with no per-row statement or dict (SQLite's and asyncpg's paramstyles are positional)."""
    dialect = connection.dialect
    sql = _DEAL_UPSERTS.get(dialect.name)
    if sql is None:
        statement = _upsert(connection, deals, "deal_id")
        values = statement.values({c.name: bindparam(c.name) for c in deals.columns})
        compiled = values.compile(dialect=dialect)
        if compiled.positiontup != [c.name for c in deals.columns]:
            raise RuntimeError(f"{dialect.name}: the upsert's parameters are not positional")
        sql = _DEAL_UPSERTS[dialect.name] = str(compiled)
    return sql


def save_window(
    connection: Connection,
    start_ms: int,
    end_ms: int,
    read_at_ms: int,
    rows: Sequence[Sequence[object]],
) -> None:
    """Replace the window's deals with `rows` (tuples in the columns' order, store/deal_rows.py)
    and record it, as one transaction.

    On SQLite the transaction commits with `synchronous=NORMAL`: atomic, but not forced to disk
    before the call returns. The mirror is a copy the sync can always read again: a power cut
    may lose the last windows saved, never part of one, and their records go with them, so the
    next run reads them again. It saves a disk flush per window; the connection is given back
    with `synchronous=FULL`, which the money journal's writes rely on.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.execute(text("PRAGMA synchronous=NORMAL"))
    _replace(connection, start_ms, end_ms, read_at_ms, rows)
    if sqlite:
        connection.commit()
        connection.execute(text("PRAGMA synchronous=FULL"))


def _replace(
    connection: Connection,
    start_ms: int,
    end_ms: int,
    read_at_ms: int,
    rows: Sequence[Sequence[object]],
) -> None:
    in_window = and_(deals.c.close_ms >= start_ms, deals.c.close_ms < end_ms)
    connection.execute(delete(deals).where(in_window))
    if rows:
        connection.exec_driver_sql(_deal_upsert(connection), list(map(tuple, rows)))
    record = {"start_ms": start_ms, "end_ms": end_ms, "read_at_ms": read_at_ms, "deals": len(rows)}
    connection.execute(_upsert(connection, windows, "start_ms"), [record])


def save_traders(connection: Connection, summaries: Iterable[TraderSummary]) -> int:
    """Upsert what the mirror groups by for each trader; answers how many were written."""
    rows = [_trader_row(summary) for summary in summaries]
    for at in range(0, len(rows), CHUNK):
        connection.execute(_upsert(connection, traders, "login"), rows[at : at + CHUNK])
    return len(rows)


def _trader_row(summary: TraderSummary) -> dict[str, object]:
    details = summary.contact_details
    return {
        "login": summary.login,
        "broker_name": summary.broker_name,
        "group_name": summary.group_name,
        "ib1": (details.introducing_broker1 or None) if details else None,
        "ib2": (details.introducing_broker2 or None) if details else None,
    }


def window_records(connection: Connection) -> list[WindowRecord]:
    result = connection.execute(select(windows).order_by(windows.c.start_ms))
    return [WindowRecord(r.start_ms, r.end_ms, r.read_at_ms, r.deals) for r in result]


def forget_before(connection: Connection, cutoff_ms: int) -> int:
    """Drop deals closed before `cutoff_ms` and windows that end by then (retention)."""
    gone = connection.execute(delete(deals).where(deals.c.close_ms < cutoff_ms)).rowcount
    connection.execute(delete(windows).where(windows.c.end_ms <= cutoff_ms))
    return int(gone)


def deal_count(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(deals)).scalar_one())


def deals_of(
    connection: Connection, logins: Sequence[int], start_ms: int, end_ms: int
) -> list[ClosedDeal]:
    """The mirrored closing deals of `logins` closed in [start_ms, end_ms), in grid order."""
    found: list[ClosedDeal] = []
    wanted = sorted(set(logins))
    for at in range(0, len(wanted), CHUNK):
        query = (
            select(deals)
            .where(deals.c.login.in_(wanted[at : at + CHUNK]))
            .where(deals.c.close_ms >= start_ms, deals.c.close_ms < end_ms)
        )
        found += [_deal(row._mapping) for row in connection.execute(query)]
    return sorted(found, key=lambda deal: (deal.close_timestamp, deal.deal_id))


def _deal(m: Any) -> ClosedDeal:
    return ClosedDeal(
        login=int(m["login"]),
        position_id=int(m["position_id"]),
        deal_id=int(m["deal_id"]),
        open_timestamp=from_epoch_ms(int(m["open_ms"])),
        close_timestamp=from_epoch_ms(int(m["close_ms"])),
        entry_price=Decimal(m["entry_price"]),
        close_price=Decimal(m["close_price"]),
        direction=Direction(m["direction"]),
        volume=Decimal(m["volume"]),
        symbol=str(m["symbol"]),
        commission=Decimal(m["commission"]),
        swap=Decimal(m["swap"]),
        pnl=Decimal(m["pnl"]),
        deposit_conversion_rate=Decimal(m["deposit_conversion_rate"]),
        usd_conversion_rate=Decimal(m["usd_conversion_rate"]),
        book_type=BookType(m["book_type"]),
        stake=None if m["stake"] is None else Decimal(m["stake"]),
        spread_betting=bool(m["spread_betting"]),
    )
