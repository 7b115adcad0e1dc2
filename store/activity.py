"""Activity figures: sums over the deal mirror computed by the database, grouped on request.

One statement answers the total, another the groups (a trader with deals in two groups counts
once in the total's `traders`, so the total is not the sum of the groups). Amounts come back as
integer counts of their unit (store/deal_figures.py) and become `Decimal` here, once per row.

Who is counted is a `Scope` (the caller's) and a `Selection` (the client's filter), both turned
into SQL conditions: a partner's traders name it as introducingBroker1 or 2, a manager session's
are the logins of its trader index (one bound JSON array, however many), and `everyone` is every
trader the service's own manager sees, which is everything in the mirror.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    Connection,
    Select,
    any_,
    bindparam,
    cast,
    distinct,
    func,
    or_,
    select,
    true,
)

from store.deal_figures import USD_PLACES, VOLUME_PLACES
from store.deals import deals, traders

EPOCH_DAY = date(1970, 1, 1)
MAX_GROUPS = 10_000
"""Most groups one answer carries; the query reads one more, to tell that there are more."""


class Dimension(Enum):
    DAY = "day"
    SYMBOL = "symbol"
    LOGIN = "login"
    PARTNER = "partner_id"
    WHITE_LABEL = "white_label"


_KEY_COLUMNS: dict[Dimension, ColumnElement[Any]] = {
    Dimension.DAY: deals.c.close_day,
    Dimension.SYMBOL: deals.c.symbol,
    Dimension.LOGIN: deals.c.login,
    Dimension.PARTNER: traders.c.ib1,
    Dimension.WHITE_LABEL: traders.c.broker_name,
}


@dataclass(frozen=True)
class Scope:
    """Whose deals a caller may count: everyone, a partner's traders, or a set of logins."""

    partner: str | None = None
    logins: frozenset[int] | None = None


@dataclass(frozen=True)
class Selection:
    """The client's filter; None means "any"."""

    partner: str | None = None
    white_label: str | None = None
    group: str | None = None
    logins: tuple[int, ...] | None = None
    symbols: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Figures:
    deals: int
    traders: int
    winning_deals: int
    volume: Decimal
    notional_usd: Decimal
    commission_usd: Decimal
    swap_usd: Decimal
    realized_pnl_usd: Decimal


@dataclass(frozen=True)
class GroupKey:
    day: date | None = None
    symbol: str | None = None
    login: int | None = None
    partner_id: str | None = None
    white_label: str | None = None


@dataclass(frozen=True)
class Group:
    key: GroupKey
    figures: Figures


def _sums() -> list[ColumnElement[Any]]:
    return [
        func.count().label("deals"),
        func.count(distinct(deals.c.login)).label("traders"),
        func.coalesce(func.sum(deals.c.winning), 0).label("winning"),
        func.coalesce(func.sum(deals.c.volume_units), 0).label("volume"),
        func.coalesce(func.sum(deals.c.notional_usd_cents), 0).label("notional"),
        func.coalesce(func.sum(deals.c.commission_units), 0).label("commission"),
        func.coalesce(func.sum(deals.c.swap_units), 0).label("swap"),
        func.coalesce(func.sum(deals.c.realized_pnl_usd_cents), 0).label("pnl"),
    ]


def logins_in(
    column: ColumnElement[int], logins: frozenset[int], dialect: str
) -> ColumnElement[bool]:
    """`column` in a set of any size, bound as one parameter (SQLite's json_each, PG's ANY);
    an empty set keeps nothing."""
    if not logins:
        return ~true()
    if dialect == "postgresql":
        array = bindparam("scope_logins", sorted(logins), type_=ARRAY(BigInteger))
        return column == any_(cast(array, ARRAY(BigInteger)))
    values = func.json_each(bindparam("scope_logins", json.dumps(sorted(logins)))).table_valued(
        "value"
    )
    return column.in_(select(values.c.value))


def _partner_is(partner: str) -> ColumnElement[bool]:
    return or_(traders.c.ib1 == partner, traders.c.ib2 == partner)


def _conditions(
    scope: Scope, selection: Selection, start_ms: int, end_ms: int, dialect: str
) -> list[ColumnElement[bool]]:
    found = [deals.c.close_ms >= start_ms, deals.c.close_ms < end_ms]
    if scope.partner is not None:
        found.append(_partner_is(scope.partner))
    if scope.logins is not None:
        found.append(logins_in(deals.c.login, scope.logins, dialect))
    if selection.partner is not None:
        found.append(_partner_is(selection.partner))
    if selection.white_label is not None:
        found.append(traders.c.broker_name == selection.white_label)
    if selection.group is not None:
        found.append(traders.c.group_name == selection.group)
    if selection.logins is not None:
        found.append(deals.c.login.in_(selection.logins))
    if selection.symbols is not None:
        found.append(deals.c.symbol.in_(selection.symbols))
    return found


def _base(columns: list[ColumnElement[Any]], conditions: list[ColumnElement[bool]]) -> Select[Any]:
    joined = deals.outerjoin(traders, traders.c.login == deals.c.login)
    return select(*columns).select_from(joined).where(*conditions)


def _figures(row: Any) -> Figures:
    return Figures(
        deals=int(row.deals),
        traders=int(row.traders),
        winning_deals=int(row.winning),
        volume=present(int(row.volume), VOLUME_PLACES),
        notional_usd=present(int(row.notional), 2),
        commission_usd=present(int(row.commission), USD_PLACES),
        swap_usd=present(int(row.swap), USD_PLACES),
        realized_pnl_usd=present(int(row.pnl), 2),
    )


def present(count: int, places: int) -> Decimal:
    """`count` units of 10**-places as a Decimal with 2 decimals, or more when they are needed."""
    return two_places(Decimal(count).scaleb(-places))


def two_places(value: Decimal) -> Decimal:
    """`value` written with 2 decimals, or with as many more as it needs."""
    cents = value.quantize(Decimal("0.01"))
    return cents if cents == value else value.normalize()


def total(
    connection: Connection, scope: Scope, selection: Selection, start_ms: int, end_ms: int
) -> Figures:
    dialect = connection.dialect.name
    query = _base(_sums(), _conditions(scope, selection, start_ms, end_ms, dialect))
    return _figures(connection.execute(query).one())


def groups(
    connection: Connection,
    scope: Scope,
    selection: Selection,
    start_ms: int,
    end_ms: int,
    by: Sequence[Dimension],
) -> list[Group]:
    dialect = connection.dialect.name
    keys = [_KEY_COLUMNS[dimension].label(dimension.value) for dimension in by]
    query = _base([*keys, *_sums()], _conditions(scope, selection, start_ms, end_ms, dialect))
    query = query.group_by(*keys).order_by(*(key.asc().nulls_first() for key in keys))
    query = query.limit(MAX_GROUPS + 1)
    return [Group(_key(row, by), _figures(row)) for row in connection.execute(query)]


def _key(row: Any, by: Sequence[Dimension]) -> GroupKey:
    values = {dimension.value: getattr(row, dimension.value) for dimension in by}
    day = values.pop("day", None)
    return GroupKey(day=None if day is None else EPOCH_DAY + timedelta(days=int(day)), **values)
