"""Fixtures shared by every room of tests that drives the service in front of a sandbox.

`sandbox` is a fresh in-process sandbox (seeded as docs/sandbox.md says), `upstream` the CRM's
view of it (direct calls, `/_sandbox/stats` counters), `graph` the whole service in front of it
with the default test settings. A room that needs other settings overrides `graph` in its own
conftest (tests/lifecycle does); one that needs the service's telemetry or clock adds its own
fixture beside these (tests/observability, tests/live).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from tests.resolvers.harness import Graph, Upstream, service_on, service_settings, upstream_on
from tests.support.sandbox import running_sandbox


@pytest.fixture
async def sandbox() -> AsyncIterator[Starlette]:
    async with running_sandbox() as (app, _):
        yield app


@pytest.fixture
async def upstream(sandbox: Starlette) -> AsyncIterator[Upstream]:
    async with upstream_on(sandbox) as crm:
        yield crm


@pytest.fixture
async def graph(sandbox: Starlette, tmp_path: Path) -> AsyncIterator[Graph]:
    async with service_on(sandbox, service_settings(tmp_path)) as service:
        yield service
