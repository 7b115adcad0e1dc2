"""The money journal's side of an activity window: what was deposited and withdrawn *through
this service* (tg_money_movements), per currency. The upstream has no read of balance history,
so movements made elsewhere (the broker's back office, another tool) are not here, and the
figures are named `journal...` to say so.

A movement counts when it SUCCEEDED, by the time it was requested (`created_at`), for the
logins the caller's scope and the client's filter keep (store/activity.py's rules, on the
movement's login). Amounts are exact decimal strings in the journal, so they are added up as
`Decimal`s here, over the rows SQL selected: a service's own movements are few next to deals.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, or_, select

from store.activity import GroupKey, Scope, Selection, logins_in, two_places
from store.deals import traders
from store.journal import MovementKind, MovementState, movements

DAY = timedelta(days=1)


def _moment(connection: Connection, moment: datetime) -> datetime:
    """SQLite keeps the journal's times naive (UTC); PostgreSQL compares aware ones."""
    return moment.replace(tzinfo=None) if connection.dialect.name == "sqlite" else moment


def _partner_is(partner: str) -> ColumnElement[bool]:
    return or_(traders.c.ib1 == partner, traders.c.ib2 == partner)


def _who(connection: Connection, scope: Scope, selection: Selection) -> list[ColumnElement[bool]]:
    login = movements.c.login
    found: list[ColumnElement[bool]] = []
    if scope.partner is not None:
        found.append(_partner_is(scope.partner))
    if scope.logins is not None:
        found.append(logins_in(login, scope.logins, connection.dialect.name))
    if selection.partner is not None:
        found.append(_partner_is(selection.partner))
    if selection.white_label is not None:
        found.append(traders.c.broker_name == selection.white_label)
    if selection.group is not None:
        found.append(traders.c.group_name == selection.group)
    if selection.logins is not None:
        found.append(login.in_(selection.logins))
    return found


def _key(key: GroupKey) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if key.login is not None:
        found.append(movements.c.login == key.login)
    if key.partner_id is not None:
        found.append(traders.c.ib1 == key.partner_id)
    if key.white_label is not None:
        found.append(traders.c.broker_name == key.white_label)
    return found


def journal_totals(
    connection: Connection,
    kind: MovementKind,
    scope: Scope,
    selection: Selection,
    window: tuple[datetime, datetime],
    key: GroupKey,
) -> list[tuple[str, Decimal]]:
    """(currency, amount) of the window's succeeded movements of `kind`, by currency."""
    start, end = window
    if key.day is not None:
        day = datetime.combine(key.day, datetime.min.time(), start.tzinfo)
        start, end = max(start, day), min(end, day + DAY)
    query: Any = (
        select(movements.c.currency, movements.c.amount)
        .select_from(movements.outerjoin(traders, traders.c.login == movements.c.login))
        .where(movements.c.kind == kind.value, movements.c.state == MovementState.SUCCEEDED.value)
        .where(movements.c.created_at >= _moment(connection, start))
        .where(movements.c.created_at < _moment(connection, end))
        .where(*_who(connection, scope, selection), *_key(key))
    )
    sums: defaultdict[str, Decimal] = defaultdict(Decimal)
    for currency, amount in connection.execute(query):
        sums[str(currency)] += Decimal(amount)
    return [(currency, two_places(total)) for currency, total in sorted(sums.items())]
