"""Scenes for the mirror's tests: deals closed on known days, and a backfill over the sandbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from starlette.applications import Starlette

from history.cli import backfill
from history.sync import WindowDone
from settings import ServiceSettings
from tests.resolvers.harness import Upstream
from tests.support.sandbox import SandboxTransport

T0_MS = 1_772_446_830_456  # 2026-03-02T10:20:30.456Z, the sandbox clock pinned here
T0 = datetime.fromtimestamp(T0_MS / 1000, tz=UTC)
DAY_MS = 86_400_000


@dataclass(frozen=True)
class Trade:
    login: int
    symbol: str
    volume: str
    close_price: str
    day: int


async def trade(upstream: Upstream, trades: list[Trade]) -> None:
    """Open every position at T0, then close each on its day (its own close time)."""
    await upstream.pin_clock(T0_MS)
    opened = [await upstream.open_position(t.login, t.volume, t.symbol) for t in trades]
    for offset, (position, t) in enumerate(zip(opened, trades, strict=True)):
        await upstream.pin_clock(T0_MS + t.day * DAY_MS + offset * 1000)
        await upstream.close_position(position, price=t.close_price)


async def sync(
    sandbox: Starlette, settings: ServiceSettings, start: datetime, end: datetime
) -> list[str]:
    """Backfill [start, end) over the sandbox; the progress lines it printed."""
    lines: list[str] = []

    def report(number: int, total: int, done: WindowDone) -> None:
        lines.append(f"{number}/{total} {done.window} {done.outcome.value} {done.deals}")

    await backfill(settings, start, end, report=report, transport=SandboxTransport(sandbox))
    return lines


def days(n: float) -> timedelta:
    return timedelta(days=n)
