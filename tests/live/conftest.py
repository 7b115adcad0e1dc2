"""The service with a hand-moved poll clock, in front of an in-process sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.types import ASGIApp

from server import create_app
from settings import ServiceSettings
from tests.live.clock import ManualClock
from tests.resolvers.harness import service_settings
from tests.support.lifespan import started
from tests.support.sandbox import SandboxTransport

INTERVAL = 5.0


def live_settings(tmp_path: Path, **overrides: object) -> ServiceSettings:
    return service_settings(tmp_path, live_poll_interval_seconds=INTERVAL, **overrides)


@asynccontextmanager
async def serving(
    sandbox: Starlette, settings: ServiceSettings, clock: ManualClock
) -> AsyncIterator[ASGIApp]:
    """The service (lifespan entered) polling `sandbox` on `clock`."""
    app = create_app(settings, upstream_transport=SandboxTransport(sandbox), live_clock=clock)
    async with started(app) as served:
        yield served


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def service(sandbox: Starlette, clock: ManualClock, tmp_path: Path) -> AsyncIterator[ASGIApp]:
    async with serving(sandbox, live_settings(tmp_path), clock) as app:
        yield app
