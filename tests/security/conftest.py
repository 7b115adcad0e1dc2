"""The service over ASGI in front of an in-process sandbox, for the security tests.

`Wire` posts raw HTTP to the service (any method, body and content type), because most refusals
happen before a well-formed GraphQL request exists.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from tests.resolvers.harness import Upstream
from tests.security.wire import Wire, wire_on
from tests.support.fixtures import sandbox_config
from tests.support.sandbox import BASE_URL, SandboxTransport
from upstream.client import WebServicesClient


@pytest.fixture
async def wire(sandbox: Starlette, upstream: Upstream, tmp_path: Path) -> AsyncIterator[Wire]:
    async with wire_on(sandbox, tmp_path) as service:
        await upstream.reset_calls()
        yield service


@pytest.fixture
async def upstream_client(sandbox: Starlette) -> AsyncIterator[WebServicesClient]:
    """The service's real client on the sandbox, as manager 1001 (the super-admin)."""
    config = sandbox_config(BASE_URL)
    async with WebServicesClient(config, transport=SandboxTransport(sandbox)) as client:
        yield client
