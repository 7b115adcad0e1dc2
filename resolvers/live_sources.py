"""What subscriptions poll: the account figures and their codecs, who polls, the movements.

The accounts and positions pollers, one per caller for every target watched, are in
`resolvers.live_watch`.

The poll key names the caller whose services poll (each caller's client and index show it only
its own traders), so one poller serves every subscriber of that caller and target, and a
poller never polls with one caller's credentials on another's behalf. Upstream failures are
sorted once here: 429 and "unavailable" make the poller back off, a trader that is gone or
invisible is simply absent from the snapshot (its subscribers see nothing), anything else is
unexpected.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from live.backoff import TransientFailure
from live.changes import Audience, Item, Snapshot
from live.codec import RecordCodec
from live.poller import PollKey, Source
from resolvers.context import Services
from store import journal_ops
from store.journal import JournalEntry
from upstream.errors import RateLimited, ServerError, UpstreamUnavailable
from upstream.records import OpenPosition, Trader, TraderSummary


@dataclass(frozen=True)
class AccountFigures:
    """The money of one account as `accountChanged` reports it (scaled already: exact)."""

    login: int
    currency: str
    money_digits: int
    balance: Decimal
    bonus: Decimal
    credit: Decimal
    equity: Decimal
    used_margin: Decimal
    free_margin: Decimal

    @classmethod
    def of(cls, trader: Trader | TraderSummary) -> AccountFigures:
        """From a full record, or a summary listed with `live_watch.ACCOUNT_FIELDS`."""
        return cls(
            login=trader.login,
            currency=_given(trader.deposit_currency),
            money_digits=_given(trader.money_digits),
            balance=_given(trader.balance),
            bonus=_given(trader.bonus),
            credit=_given(trader.non_withdrawable_bonus),
            equity=_given(trader.equity),
            used_margin=_given(trader.used_margin),
            free_margin=_given(trader.free_margin),
        )


def _given(value: V | None) -> V:
    if value is None:
        raise ValueError("the upstream left out a field the poll asked for")
    return value


V = TypeVar("V")
ACCOUNTS = RecordCodec(AccountFigures)
POSITIONS = RecordCodec(OpenPosition)
MOVEMENTS = RecordCodec(JournalEntry)


@asynccontextmanager
async def polling() -> AsyncIterator[None]:
    """Upstream errors a poller should back off from, as `TransientFailure`."""
    try:
        yield
    except RateLimited as error:
        raise TransientFailure(str(error), error.retry_after) from error
    except ServerError as error:
        raise TransientFailure(str(error), error.retry_after) from error
    except UpstreamUnavailable as error:
        raise TransientFailure(str(error)) from error


Shown = Callable[[], Awaitable[frozenset[int] | None]]


@dataclass(frozen=True)
class Asker:
    """Who polls: their services (client, index), their name (the poll key's scope), and the
    logins they may see where the upstream cannot enforce it (a partner key polls with the
    service's own token; `shown` answers None when the caller's token is limit enough)."""

    services: Services
    name: str
    shown: Shown

    def key(self, resource: str, target: str) -> PollKey:
        return PollKey(resource, self.name, target)

    async def keep(self, rows: tuple[OpenPosition, ...]) -> tuple[OpenPosition, ...]:
        mine = await self.shown()
        return rows if mine is None else tuple(row for row in rows if row.login in mine)


def movement_source(asker: Asker, movement_id: int) -> Source[JournalEntry]:
    """A money movement lives in the service's own journal: polled there, not upstream. Its
    audience is the caller who recorded it, so only that caller's subscribers see it."""

    async def fetch() -> Snapshot[JournalEntry]:
        entry = await journal_ops.get(asker.services.money.engine, movement_id)
        if entry is None:
            return {}
        return {str(entry.id): Item(entry, Audience(caller=entry.caller))}

    return Source(asker.key("moneyMovement", str(movement_id)), fetch, MOVEMENTS)
