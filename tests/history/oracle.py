"""The activity figures computed independently, straight from the upstream's raw answers.

The closed-positions grid is read as CSV (the upstream's default), window by window, and the
trader list as JSON; the figures follow the issue's definitions with plain `Decimal`s, sharing no
code with the service.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from tests.resolvers.harness import WEBSERV, Upstream

CENT = Decimal("0.01")
Figures = dict[str, object]


@dataclass(frozen=True)
class RawDeal:
    row: dict[str, str]
    broker: str | None
    ib1: str | None
    ib2: str | None

    @property
    def login(self) -> int:
        return int(self.row["login"])

    @property
    def closed(self) -> datetime:
        return datetime.fromisoformat(self.row["closeTimestamp"] + "+00:00")

    def dec(self, column: str) -> Decimal:
        return Decimal(self.row[column])


def _query_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


async def grid_rows(upstream: Upstream, start: datetime, end: datetime) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    at = start
    while at < end:
        upper = min(at + timedelta(days=2), end)
        params = {"from": _query_time(at), "to": _query_time(upper), "token": upstream.token}
        answer = await upstream.http.get(f"{WEBSERV}/closedPositions", params=params)
        assert answer.status_code == 200, answer.text
        rows += list(csv.DictReader(io.StringIO(answer.text)))
        at = upper
    return rows


async def trader_table(upstream: Upstream) -> dict[int, dict[str, object]]:
    listing = await upstream.get(
        f"{WEBSERV}/traders", **{"from": "1970-01-01T00:00:00.000", "to": "2100-01-01T00:00:00.000"}
    )
    assert isinstance(listing, dict)
    return {int(t["login"]): t for t in listing["trader"]}


async def raw_deals(upstream: Upstream, start: datetime, end: datetime) -> list[RawDeal]:
    traders = await trader_table(upstream)
    deals = []
    for row in await grid_rows(upstream, start, end):
        trader = traders.get(int(row["login"]), {})
        contact = trader.get("contactDetails") or {}
        assert isinstance(contact, dict)
        deals.append(
            RawDeal(
                row,
                _text(trader.get("brokerName")),
                _text(contact.get("introducingBroker1")),
                _text(contact.get("introducingBroker2")),
            )
        )
    return deals


def _text(value: object) -> str | None:
    return str(value) if value else None


def figures(deals: Iterable[RawDeal]) -> Figures:
    chosen = list(deals)
    with localcontext() as context:
        context.prec = 60
        notional = [
            (d.dec("volume") * d.dec("usdConversionRate")).quantize(CENT, ROUND_HALF_EVEN)
            for d in chosen
        ]
        pnl = [
            (d.dec("pnl") * d.dec("usdConversionRate") / d.dec("depositConversionRate")).quantize(
                CENT, ROUND_HALF_EVEN
            )
            for d in chosen
        ]
    return {
        "deals": len(chosen),
        "traders": len({d.login for d in chosen}),
        "winningDeals": sum(1 for d in chosen if d.dec("pnl") > 0),
        "volume": sum((d.dec("volume") for d in chosen), Decimal(0)),
        "notionalUsd": sum(notional, Decimal(0)),
        "commissionUsd": sum((d.dec("commission") for d in chosen), Decimal(0)),
        "swapUsd": sum((d.dec("swap") for d in chosen), Decimal(0)),
        "realizedPnlUsd": sum(pnl, Decimal(0)),
    }


KEYS: dict[str, Callable[[RawDeal], object]] = {
    "day": lambda d: d.closed.date().isoformat(),
    "symbol": lambda d: d.row["symbol"],
    "login": lambda d: d.login,
    "partnerId": lambda d: d.ib1,
    "whiteLabel": lambda d: d.broker,
}


def grouped(deals: Iterable[RawDeal], key: str) -> list[tuple[object, Figures]]:
    """One (key, figures) per distinct key, ordered by key with None first."""
    groups: defaultdict[object, list[RawDeal]] = defaultdict(list)
    for deal in deals:
        groups[KEYS[key](deal)].append(deal)
    ordered = sorted(groups, key=lambda k: (k is not None, k if k is not None else ""))
    return [(k, figures(groups[k])) for k in ordered]


def in_window(deals: Iterable[RawDeal], start: datetime, end: datetime) -> list[RawDeal]:
    return [d for d in deals if start <= d.closed < end]


def as_figures(answer: object) -> Figures:
    """A response's Activity with its money as Decimals (the scalar writes strings)."""
    assert isinstance(answer, dict)
    return {k: Decimal(v) if isinstance(v, str) else v for k, v in answer.items()}


def day(text: str) -> date:
    return date.fromisoformat(text)
