"""Trader summaries: only the fields a query asks for, for a whole page in one list call.

The list endpoint takes `fields` (reference §3.3); asking for the five a page shows instead of
the forty-odd of a full record makes the upstream's answer and our decoding several times
cheaper. A `SummaryKey` names a login and the fields one resolver needs; a batch asks for the
union of its keys' fields, over the same registration windows as full records
(`resolvers.trader_batch.plan_windows`). One login alone is one `GET /traders/{login}`, whose
full record answers any field.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, fields

from resolvers.batching import Loader, slots_by_key
from resolvers.index import TraderIndex
from resolvers.trader_batch import ONE_MS, Window, plan_windows
from upstream.client import WebServicesClient
from upstream.enums import TraderField
from upstream.records import Trader, TraderSummary

FullRecords = Loader[int, Trader | None]


@dataclass(frozen=True, slots=True)
class SummaryKey:
    login: int
    fields: frozenset[TraderField]


SUMMARY_FIELDS = tuple(field.name for field in fields(TraderSummary))
"""Every field a summary has; the full record has each of them, under the same name."""


def summary_of(trader: Trader) -> TraderSummary:
    """A full record seen as a summary with every field present."""
    return TraderSummary(**{name: getattr(trader, name) for name in SUMMARY_FIELDS})


async def _window(
    client: WebServicesClient, window: Window, fields: frozenset[TraderField]
) -> dict[int, TraderSummary]:
    wanted = {entry.login for entry in window.entries}
    start, end = window.entries[0].registered, window.entries[-1].registered + ONE_MS
    found = await client.list_trader_summaries(start, end, fields)
    return {summary.login: summary for summary in found if summary.login in wanted}


async def _full(records: FullRecords, logins: Sequence[int]) -> dict[int, TraderSummary]:
    """Full records (through the request's trader loader, so they are shared) as summaries."""
    traders = await asyncio.gather(*(records.load(login) for login in logins))
    return {trader.login: summary_of(trader) for trader in traders if trader is not None}


async def load_summaries(
    client: WebServicesClient,
    index: TraderIndex,
    records: FullRecords,
    keys: Sequence[SummaryKey],
) -> list[TraderSummary | BaseException | None]:
    """The loader's batch function: one slot per key, None for a login that does not exist."""
    logins = list(dict.fromkeys(key.login for key in keys))
    if len(logins) == 1:
        found = await _full(records, logins)
        return slots_by_key([key.login for key in keys], dict(found), None)
    fields = frozenset().union(*(key.fields for key in keys))
    snapshot = await index.snapshot(client)
    known = [snapshot.by_login[login] for login in logins if login in snapshot.by_login]
    unknown = [login for login in logins if login not in snapshot.by_login]
    windows = plan_windows(snapshot, known)
    answers = await asyncio.gather(*(_window(client, w, fields) for w in windows))
    found = await _full(records, unknown)
    for answer in answers:
        found.update(answer)
    return slots_by_key([key.login for key in keys], dict(found), None)
