"""A sandbox, the CRM's view of it, and the service in front of it, acting as the super-admin
or as the read-only manager 1003 of docs/sandbox.md. The service knows one white label more
than the sandbox (`ghost-fx`), so that the upstream's own refusal of it can be shown."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from settings import WhiteLabel
from tests.lifecycle.kit import Books
from tests.resolvers.harness import (
    WHITE_LABELS,
    Graph,
    Upstream,
    service_on,
    service_settings,
)

CONFIGURED = {**WHITE_LABELS, "ghost-fx": WhiteLabel(environment="demo", jurisdiction="MT")}


@pytest.fixture
def books(upstream: Upstream) -> Books:
    return Books(upstream)


@pytest.fixture
async def graph(sandbox: Starlette, tmp_path: Path) -> AsyncIterator[Graph]:
    settings = service_settings(tmp_path, white_labels=CONFIGURED)
    async with service_on(sandbox, settings) as service:
        yield service


@pytest.fixture
async def read_only(sandbox: Starlette, tmp_path: Path) -> AsyncIterator[Graph]:
    """The service acting as manager 1003, whom the sandbox refuses every write."""
    settings = service_settings(
        tmp_path,
        white_labels=CONFIGURED,
        manager_login=1003,
        manager_password=SecretStr("sandbox-partner"),
    )
    async with service_on(sandbox, settings) as service:
        yield service
