"""`tradergraph history sync --from DATE [--to DATE]`: backfill the deal mirror.

Reads the closed-positions grid of every trader the configured manager can see, one 2-day
window per upstream call, and saves each window before reading the next, printing a line per
window. Stopped (Ctrl-C, a crash, a kill), it keeps what it saved: the same command again
continues with the first window not yet settled, and a finished range costs no window call.
Settings come from `TRADERGRAPH_*` (upstream URL, manager, database), as for `serve`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime

import httpx

from history.locks import locks_for
from history.sync import Sync, WindowDone, wall_clock_ms
from settings import ServiceSettings
from store.db import create_tables, make_engine
from upstream.client import WebServicesClient
from upstream.errors import UpstreamError
from upstream.times import from_epoch_ms, to_epoch_ms

INTERRUPTED = 130


def _moment(text: str) -> datetime:
    """`2026-01-31` (midnight UTC) or an ISO time (naive is UTC)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date or ISO time: {text!r}") from None
    if len(text) == 10:
        moment = datetime.combine(date.fromisoformat(text), datetime.min.time())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tradergraph history")
    commands = parser.add_subparsers(dest="command", required=True)
    sync = commands.add_parser("sync", help="backfill the deal mirror from the upstream")
    sync.add_argument("--from", dest="start", type=_moment, required=True, help="DATE or time")
    sync.add_argument("--to", dest="end", type=_moment, default=None, help="default: now")
    sync.add_argument("--database-url", default=None, help="default: TRADERGRAPH_DATABASE_URL")
    sync.add_argument("--upstream-url", default=None, help="default: TRADERGRAPH_UPSTREAM_URL")
    return parser


def client_for(
    settings: ServiceSettings, transport: httpx.AsyncBaseTransport | None = None
) -> WebServicesClient:
    return WebServicesClient(settings.upstream_config(), transport=transport)


def _line(number: int, total: int, done: WindowDone) -> str:
    counted = f": {done.deals} deals" if done.deals or done.outcome.value == "read" else ""
    return f"[{number}/{total}] {done.window} {done.outcome.value}{counted}"


def _print(number: int, total: int, done: WindowDone) -> None:
    print(_line(number, total, done), flush=True)


async def backfill(
    settings: ServiceSettings,
    start: datetime,
    end: datetime,
    *,
    report: Callable[[int, int, WindowDone], None] = _print,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """Sync [start, end); answers how many deals were saved. `transport` is the test seam."""
    engine = make_engine(settings.database_url)
    client = client_for(settings, transport)
    locks = locks_for(settings, engine)
    try:
        await create_tables(engine)
        horizon = int(settings.history_horizon_seconds * 1000)
        sync = Sync(engine, client, locks, horizon_ms=horizon)
        done = await sync.backfill(to_epoch_ms(start), to_epoch_ms(end), report)
        return sum(result.deals for result in done)
    finally:
        await locks.aclose()
        await client.aclose()
        await engine.dispose()


def history_main(argv: list[str]) -> int:
    """Entry point of `tradergraph history`; returns the process exit status."""
    args = _parser().parse_args(argv)
    given = {
        key: value
        for key, value in (("database_url", args.database_url), ("upstream_url", args.upstream_url))
        if value is not None
    }
    settings = ServiceSettings(**given)
    end = args.end or from_epoch_ms(wall_clock_ms())
    if not args.start < end:
        print("tradergraph history: --from must be before --to", file=sys.stderr)
        return 2
    print(f"syncing closed deals {args.start.isoformat()} .. {end.isoformat()}", flush=True)
    try:
        deals = asyncio.run(backfill(settings, args.start, end))
    except KeyboardInterrupt:
        print("interrupted: saved windows stay; run the same command to continue", file=sys.stderr)
        return INTERRUPTED
    except UpstreamError as error:
        print(f"tradergraph history: the upstream failed: {type(error).__name__}", file=sys.stderr)
        return 1
    print(f"done: {deals} deals saved", flush=True)
    return 0
