"""The two pollers that watch many targets at once: accounts and open positions, per caller.

Every `accountChanged` subscription of one caller (one set of upstream credentials) shares one
poller, which polls the union of the logins they watch (`live.watchlist`): one
`fields`-restricted trader list per registration window of those logins, planned over the
trader index as a page's summaries are (`resolvers.trader_batch.plan_windows`), so a poll costs
the same one call for one account or a thousand neighbours. A single login is one
`GET /traders/{login}`; a login the index does not know yet (created since it was built) is read
on its own too. Every `positionsChanged` subscription of one caller likewise shares one poller
reading one grid per poll: the one login's own grid when that is all that is watched, else
everyone's grid once, kept to the watched logins and white labels.

A target added to a running poller is polled from its next poll on; that poll is its baseline
(`Source.fresh`), so a new subscription receives changes, never the current state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from live.changes import Audience, Item, Snapshot
from live.poller import PollKey, Source
from live.watchlist import Watchlist
from resolvers.context import Services
from resolvers.live_sources import ACCOUNTS, POSITIONS, AccountFigures, Asker, polling
from resolvers.trader_batch import ONE_MS, Window, plan_windows
from upstream.enums import TraderField
from upstream.errors import NotEnoughRights, TraderNotFound
from upstream.records import OpenPosition, Trader, TraderSummary

T = TypeVar("T")
WATCHED = "watched"
ACCOUNT_FIELDS = frozenset(
    {
        TraderField.BROKER_NAME,
        TraderField.DEPOSIT_CURRENCY,
        TraderField.MONEY_DIGITS,
        TraderField.BALANCE,
        TraderField.BONUS,
        TraderField.NON_WITHDRAWABLE_BONUS,
        TraderField.EQUITY,
        TraderField.USED_MARGIN,
        TraderField.FREE_MARGIN,
    }
)
Record = Trader | TraderSummary


@dataclass
class Targets:
    """The targets the last good poll covered: a target missing there is new to the next one."""

    polled: frozenset[str] = frozenset()
    new: frozenset[str] = frozenset()

    def polling(self, targets: frozenset[str]) -> None:
        self.new, self.polled = targets - self.polled, targets


@dataclass
class Fresh:
    """The snapshot keys of the last poll that belong only to new targets."""

    keys: frozenset[str] = field(default=frozenset())

    def __call__(self) -> frozenset[str]:
        return self.keys


def account_key(asker: Asker) -> PollKey:
    return asker.key("account", WATCHED)


def positions_key(asker: Asker) -> PollKey:
    return asker.key("positions", WATCHED)


def watched_accounts(asker: Asker, watchlist: Watchlist) -> Source[AccountFigures]:
    key, seen, fresh = account_key(asker), Targets(), Fresh()

    async def fetch() -> Snapshot[AccountFigures]:
        targets = await watchlist.targets(key)
        async with polling():
            records = await _accounts(asker, sorted(int(target) for target in targets))
        seen.polling(targets)
        fresh.keys = seen.new
        return {
            str(r.login): Item(AccountFigures.of(r), Audience(white_label=r.broker_name))
            for r in records
        }

    return Source(key, fetch, ACCOUNTS, fresh)


async def _accounts(asker: Asker, logins: list[int]) -> list[Record]:
    mine = await asker.shown()
    logins = [login for login in logins if mine is None or login in mine]
    if len(logins) <= 1:
        return await _singles(asker.services, logins)
    services = asker.services
    index = await services.index.snapshot(services.client)
    known = [index.by_login[login] for login in logins if login in index.by_login]
    windows = plan_windows(index, known)
    listed = await asyncio.gather(*(_window(services, w) for w in windows))
    singles = await _singles(services, [n for n in logins if n not in index.by_login])
    return [record for window in listed for record in window] + singles


async def _window(services: Services, window: Window) -> list[TraderSummary]:
    wanted = {entry.login for entry in window.entries}
    start, end = window.entries[0].registered, window.entries[-1].registered + ONE_MS
    found = await services.client.list_trader_summaries(start, end, ACCOUNT_FIELDS)
    return [summary for summary in found if summary.login in wanted]


async def _singles(services: Services, logins: Iterable[int]) -> list[Record]:
    found = await asyncio.gather(*(_one(services, login) for login in logins))
    return [record for record in found if record is not None]


async def _one(services: Services, login: int) -> Trader | None:
    try:
        return await services.client.get_trader(login)
    except (TraderNotFound, NotEnoughRights):
        return None


def watched_positions(asker: Asker, watchlist: Watchlist) -> Source[OpenPosition]:
    key, seen, fresh = positions_key(asker), Targets(), Fresh()

    async def fetch() -> Snapshot[OpenPosition]:
        targets = await watchlist.targets(key)
        async with polling():
            rows = await asker.keep(await _grid(asker.services, targets))
            labels = await _white_labels(asker.services) if targets else {}
        seen.polling(targets)
        snapshot: dict[str, Item[OpenPosition]] = {}
        fresh_keys: set[str] = set()
        for row in rows:
            label = labels.get(row.login)
            covering = targets & {login_target(row.login), white_label_target(label)}
            if covering:
                snapshot[str(row.position_id)] = Item(row, Audience(white_label=label))
                if covering <= seen.new:
                    fresh_keys.add(str(row.position_id))
        fresh.keys = frozenset(fresh_keys)
        return snapshot

    return Source(key, fetch, POSITIONS, fresh)


def login_target(login: int) -> str:
    return f"login:{login}"


def white_label_target(white_label: str | None) -> str:
    return f"whiteLabel:{white_label}"


async def _grid(services: Services, targets: frozenset[str]) -> tuple[OpenPosition, ...]:
    """One grid: the login's own when it is the only target, else everyone's."""
    if not targets:
        return ()
    if len(targets) == 1 and (only := next(iter(targets))).startswith("login:"):
        try:
            return await services.client.open_positions(int(only.removeprefix("login:")))
        except (TraderNotFound, NotEnoughRights):
            return ()
    return await services.client.open_positions()


async def _white_labels(services: Services) -> dict[int, str | None]:
    """Login -> white label, from the shared trader index (one list call per index TTL)."""
    index = await services.index.snapshot(services.client)
    return {login: entry.broker_name for login, entry in index.by_login.items()}
