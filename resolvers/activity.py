"""Activity reads: the caller's scope, the checked window, and the question put to the mirror.

Scope follows every other read (resolvers/scope.py): a partner key counts only the traders naming
its partner, a manager session only the logins of its own trader index (the upstream's
permissions: its groups and white labels), the service's own manager everything it mirrors.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from history.mirror import ActivityQuestion
from resolvers.context import Info
from resolvers.errors import Forbidden, InvalidInput
from resolvers.positions import utc
from store.activity import MAX_GROUPS, Dimension, Figures, Group, GroupKey, Scope, Selection
from store.db import read
from store.journal import MovementKind
from store.journal_activity import journal_totals


async def scope_of(info: Info) -> Scope:
    caller = info.context.identity
    if caller is not None and caller.partner is not None:
        return Scope(partner=caller.partner)
    if caller is not None and caller.upstream_token is not None:
        snapshot = await info.context.services.index.snapshot(info.context.client)
        return Scope(logins=frozenset(snapshot.by_login))
    return Scope()


MAX_FILTER_ITEMS = 1000
"""Most logins or symbols one filter may name (a longer list is a job for groupBy)."""


def checked_selection(selection: Selection) -> Selection:
    for name, items in (("logins", selection.logins), ("symbols", selection.symbols)):
        if items is not None and len(items) > MAX_FILTER_ITEMS:
            raise InvalidInput(f"activity: filter.{name} may name at most {MAX_FILTER_ITEMS}.")
    return selection


def checked_window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    start, end = utc(start), utc(end)
    if not start < end:
        raise InvalidInput("activity: from must be before to.")
    return start, end


async def activity(
    info: Info,
    start: datetime,
    end: datetime,
    selection: Selection,
    by: Sequence[Dimension] = (),
) -> tuple[ActivityQuestion, Figures, list[Group]]:
    """The figures of the caller's deals closed in [start, end) that `selection` keeps, with
    the question asked (the journal's figures, when selected, ask it again of the journal)."""
    start, end = checked_window(start, end)
    dimensions = tuple(dict.fromkeys(by))
    selection = checked_selection(selection)
    question = ActivityQuestion(await scope_of(info), selection, start, end, dimensions)
    whole, groups = await info.context.services.history.activity(question)
    if len(groups) > MAX_GROUPS:
        raise InvalidInput(
            f"activity: more than {MAX_GROUPS} groups; narrow the window, the filter or groupBy."
        )
    return question, whole, groups


NO_MONEY = "Partner keys have no access to money movements (journalDeposits, journalWithdrawals)."


async def journal(
    info: Info, question: ActivityQuestion, key: GroupKey, kind: MovementKind
) -> list[tuple[str, Decimal]] | None:
    """The window's movements of `kind` made through this service, per currency; None for a
    group or filter by symbol (a money movement has none)."""
    if info.context.identity is not None and info.context.identity.partner is not None:
        raise Forbidden(NO_MONEY)
    if key.symbol is not None or question.selection.symbols is not None:
        return None
    window = (question.start, question.end)
    return await read(
        info.context.money.engine,
        lambda c: journal_totals(c, kind, question.scope, question.selection, window, key),
    )
