"""The price of a field in upstream calls, read off the loader plan (docs/architecture.md).

A field is priced knowing how many objects its parent level holds (`parents`): batched loaders
cost one call per `batch` objects, whatever the page, while per-object calls cost one each.
Charges carry a key, so two selections of the same loader at the same response path (fragments
that merge) are charged once, while aliases, which make separate paths, are charged separately.

    field                                  calls                          objects below
    traders(first) on any type             index, once per request        parents x first
      filter: hasOpenPositions             + the open-positions grid
      filter: marginLevelBelow             + one list call of traders with open positions
    Query.trader / Query.node              1 each                         1
    Query.whiteLabels                      0                              configured labels
    Trader record fields (account, ...)    ceil(parents / batch)          parents
    Trader.openPositions / attributes      ceil(parents / batch)          -
    Trader.closedPositions(from, to)       ceil(days / 2) x batches,      -
                                           0 when the deal mirror holds
                                           the window (docs/history.md)
    activity (Query, Partner, WhiteLabel,  0: the deal mirror             -
      Trader)
    Trader.subAccounts                     parents (one GET each)         parents
    User.traders, SubAccounts.traders      0                              parents x LIST_FANOUT
    TraderGroup details, traderGroups,     1, once per request            -
      symbols, depositAssets
    money mutations                        3 (transferFunds 6)            1
    other mutations                        2                              1

Everything else is answered from the index, the service's database or the parent's record.
The estimate is an upper bound for a cold index; a warm one saves its call.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

LIST_FANOUT = 10
"""Objects assumed under a plain list of traders (a user's accounts, a parent's sub-accounts)."""

MAX_WINDOW_DAYS = 92
"""The widest `closedPositions` window the service accepts; the price of an unknown one."""

MONEY_MUTATIONS = frozenset(
    {
        "deposit",
        "withdraw",
        "depositBonus",
        "withdrawBonus",
        "depositCredit",
        "withdrawCredit",
        "transferFunds",
        "resolveMoneyMovement",
    }
)

FREE_TRADER_FIELDS = frozenset(
    {
        "__typename",
        "id",
        "login",
        "registeredAt",
        "whiteLabel",
        "group",
        "partners",
        "user",
        "activity",
    }
)
ONCE_PER_REQUEST = {
    ("Query", "traderGroups"): "groups",
    ("Query", "symbols"): "symbols",
    ("Query", "depositAssets"): "assets",
    ("TraderGroup", "groupId"): "groups",
    ("TraderGroup", "description"): "groups",
}
BATCHED_TRADER_FIELDS = {"openPositions": "open", "attributes": "attributes"}
FILTER_READS = {"hasOpenPositions": "open grid", "marginLevelBelow": "margin levels"}
"""Conditions of `TraderFilterInput` that read more than the index, once per request each."""


@dataclass(frozen=True)
class Price:
    """What one field costs: `calls` under `key` (charged once per key and response path, or
    once per request when `request_wide`), and how many objects its selection applies to."""

    key: tuple[object, ...] | None
    calls: int
    children: int
    request_wide: bool = False


def nothing_mirrored(_start: datetime, _end: datetime) -> bool:
    return False


@dataclass(frozen=True)
class Plan:
    """The figures a price depends on: batch size, the configured white labels, and which
    closed-positions windows the deal mirror answers (no upstream call)."""

    batch: int
    white_labels: int
    mirrored: Callable[[datetime, datetime], bool] = nothing_mirrored


def price(plan: Plan, type_name: str, field: str, parents: int, args: dict[str, object]) -> Price:
    """The price of `type_name.field` selected under `parents` objects."""
    if field == "traders" and "first" in args:
        reads = _filter_reads(args.get("filter"))
        return Price(("index", *reads), 1 + len(reads), parents * _int(args["first"]), True)
    if type_name == "Query":
        return _root_query(plan, field, parents)
    if type_name == "Mutation":
        calls = 6 if field == "transferFunds" else 3 if field in MONEY_MUTATIONS else 2
        return Price(None, calls, 1)
    if (type_name, field) in ONCE_PER_REQUEST:
        return Price((ONCE_PER_REQUEST[type_name, field],), 1, parents, request_wide=True)
    if type_name == "Trader":
        return _trader(plan, field, parents, args)
    if field == "traders":
        return Price(None, 0, parents * LIST_FANOUT)
    return Price(None, 0, parents)


def _root_query(plan: Plan, field: str, parents: int) -> Price:
    if field in {"trader", "node"}:
        return Price(None, 1, 1)
    if field == "whiteLabels":
        return Price(None, 0, max(plan.white_labels, 1))
    if ("Query", field) in ONCE_PER_REQUEST:
        return Price((ONCE_PER_REQUEST["Query", field],), 1, parents, request_wide=True)
    return Price(None, 0, parents)


def _trader(plan: Plan, field: str, parents: int, args: dict[str, object]) -> Price:
    batches = math.ceil(parents / plan.batch)
    if field in FREE_TRADER_FIELDS:
        return Price(None, 0, parents)
    if field == "subAccounts":
        return Price(None, parents, parents)
    if field == "closedPositions":
        if _mirrored(plan, args.get("from"), args.get("to")):
            return Price(None, 0, 0)
        windows = math.ceil(_days(args.get("from"), args.get("to")) / 2)
        return Price(("closed", str(args.get("from")), str(args.get("to"))), windows * batches, 0)
    return Price((BATCHED_TRADER_FIELDS.get(field, "record"),), batches, parents)


def _filter_reads(given: object) -> tuple[str, ...]:
    """The extra reads a `traders` filter's conditions make (a null condition makes none)."""
    if not isinstance(given, dict):
        return ()
    return tuple(read for name, read in FILTER_READS.items() if given.get(name) is not None)


def _mirrored(plan: Plan, start: object, end: object) -> bool:
    """Whether the mirror holds the window; an unknown or malformed one is priced upstream."""
    try:
        window = (datetime.fromisoformat(str(start)), datetime.fromisoformat(str(end)))
    except ValueError:
        return False
    utc = [moment if moment.tzinfo else moment.replace(tzinfo=UTC) for moment in window]
    return utc[0] < utc[1] and plan.mirrored(utc[0], utc[1])


def _int(value: object) -> int:
    return value if isinstance(value, int) and value > 0 else 0


def _days(start: object, end: object) -> float:
    """The window's length in days; the widest allowed when it is not known before execution."""
    try:
        span = datetime.fromisoformat(str(end)) - datetime.fromisoformat(str(start))
    except ValueError:
        return MAX_WINDOW_DAYS
    return min(max(span.total_seconds() / 86400, 1), MAX_WINDOW_DAYS)
