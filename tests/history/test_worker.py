"""The catch-up worker: each pass re-reads the windows not settled yet, so new deals appear, and
never reads a settled window again; a failing pass shows in the status and the gauges, and the
next good pass clears it. The worker's clock is the test's: passes are driven by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from history.locks import LocalLocks
from history.mirror import HistoryMirror
from history.sync import Sync
from observability.telemetry import Telemetry, bound
from settings.history import HistorySettings
from store.db import create_tables, make_engine
from tests.history.kit import DAY_MS, T0_MS
from tests.history.test_locks import StillClock
from tests.resolvers.harness import ADMIN, Upstream
from tests.support.sandbox import BASE_URL, SandboxTransport
from upstream.client import WebServicesClient
from upstream.config import ClientConfig
from upstream.times import from_epoch_ms

HOUR_MS = 3_600_000
CLOSED = "GET /v2/webserv/closedPositions"


@dataclass
class Now:
    ms: int

    def __call__(self) -> int:
        return self.ms


@dataclass
class Scene:
    mirror: HistoryMirror
    sync: Sync
    now: Now
    upstream: Upstream
    telemetry: Telemetry


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    telemetry = Telemetry()
    with bound(telemetry):
        yield telemetry


@pytest.fixture
async def scene(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path, telemetry: Telemetry
) -> AsyncIterator[Scene]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'mirror.db'}")
    await create_tables(engine)
    config = ClientConfig(
        base_url=BASE_URL, manager_login=ADMIN[0], manager_password=SecretStr(ADMIN[1])
    )
    client = WebServicesClient(config, transport=SandboxTransport(sandbox))
    now = Now(T0_MS + HOUR_MS)
    sync = Sync(engine, client, LocalLocks(), horizon_ms=DAY_MS, now_ms=now)
    mirror = HistoryMirror(sync, HistorySettings(), clock=StillClock())
    yield Scene(mirror, sync, now, upstream, telemetry)
    await client.aclose()
    await engine.dispose()


async def _window_reads(scene: Scene) -> int:
    calls = (await scene.upstream.calls()).get(CLOSED, 0)
    await scene.upstream.reset_calls()
    return calls


async def _deals(scene: Scene, login: int) -> int:
    start, end = from_epoch_ms(T0_MS - 4 * DAY_MS), from_epoch_ms(T0_MS + 10 * DAY_MS)
    return len(await scene.mirror.deals_of([login], start, end))


async def _close_one(scene: Scene, login: int, at_ms: int) -> None:
    await scene.upstream.pin_clock(at_ms)
    await scene.upstream.close_position(await scene.upstream.open_position(login))


async def test_passes_read_what_is_not_settled_and_new_deals_appear(scene: Scene) -> None:
    login = await scene.upstream.create_trader()
    await _close_one(scene, login, T0_MS)
    await scene.sync.backfill(T0_MS - 4 * DAY_MS, scene.now.ms, lambda *_: None)
    await scene.upstream.reset_calls()
    await _close_one(scene, login, T0_MS + 2 * HOUR_MS)
    scene.now.ms = T0_MS + 3 * HOUR_MS
    first = await scene.mirror.worker.pass_once()
    reads = [await _window_reads(scene)]
    scene.now.ms = T0_MS + 3 * DAY_MS
    second = await scene.mirror.worker.pass_once()
    reads.append(await _window_reads(scene))
    third = await scene.mirror.worker.pass_once()
    reads.append(await _window_reads(scene))
    # T0 is 10:20 on the first day of its window W0. The backfill read W-2 (settled: read over a
    # day after its end), W-1 and W0 (not). Pass 1 re-reads W-1 and W0; pass 2, three days on,
    # W-1, W0 and the new W1; pass 3 only W1, the others having been read past their horizon.
    assert (reads, [p.windows_read for p in (first, second, third)]) == ([2, 3, 1], [2, 3, 1])
    assert (await _deals(scene, login), scene.mirror.status()["lastError"]) == (2, None)


async def test_a_failing_pass_is_reported_until_a_pass_succeeds(scene: Scene) -> None:
    login = await scene.upstream.create_trader()
    await _close_one(scene, login, T0_MS)
    await scene.sync.backfill(T0_MS - 2 * DAY_MS, scene.now.ms, lambda *_: None)
    fault = '{"action": "error", "path": "/v2/webserv/closedPositions", "status": 500, "times": 1}'
    await scene.upstream.fault(fault)
    failed = await scene.mirror.worker.pass_once()
    failing = (scene.mirror.status()["lastError"], _gauge(scene, "tradergraph_history_failing"))
    await scene.mirror.worker.pass_once()
    assert (failed.error, failing) == ("ServerError", ("ServerError", 1.0))
    assert (scene.mirror.status()["lastError"], _gauge(scene, "tradergraph_history_failing")) == (
        None,
        0.0,
    )


def _gauge(scene: Scene, name: str) -> float | None:
    return scene.telemetry.metrics.registry.get_sample_value(name)
