"""Pytest fixtures over the in-process sandbox. Import them into a conftest with
`from tests.support.fixtures import sandbox_app_fixture, ...  # noqa: F401`; each registers
under the name without `_fixture` (`sandbox_app`, `sandbox_http`, `upstream_client`), so a test
asking for `sandbox_app` does not shadow an imported name.

`upstream_client` is the service's real client, connected as manager 1001 (`sandbox-admin`, the
super-admin of docs/sandbox.md), speaking JSON.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from tests.support.sandbox import BASE_URL, SandboxTransport, running_sandbox
from upstream.client import WebServicesClient
from upstream.config import ClientConfig
from upstream.enums import WireFormat

ADMIN_LOGIN = 1001
ADMIN_PASSWORD = "sandbox-admin"


def sandbox_config(base_url: str, wire_format: WireFormat = WireFormat.JSON) -> ClientConfig:
    return ClientConfig(
        base_url=base_url,
        manager_login=ADMIN_LOGIN,
        manager_password=SecretStr(ADMIN_PASSWORD),
        wire_format=wire_format,
    )


@pytest.fixture(name="sandbox_app")
async def sandbox_app_fixture() -> AsyncIterator[Starlette]:
    async with running_sandbox() as (app, _):
        yield app


@pytest.fixture(name="sandbox_http")
async def sandbox_http_fixture(sandbox_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A plain HTTP client on the sandbox, for its control API (`/_sandbox/...`)."""
    transport = SandboxTransport(sandbox_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield http


@pytest.fixture(name="upstream_client")
async def upstream_client_fixture(sandbox_app: Starlette) -> AsyncIterator[WebServicesClient]:
    config = sandbox_config(BASE_URL)
    async with WebServicesClient(config, transport=SandboxTransport(sandbox_app)) as client:
        yield client
