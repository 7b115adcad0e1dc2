"""Pytest fixtures over the in-process sandbox; import them into a conftest with
`from tests.support.fixtures import sandbox_app, sandbox_http, upstream_client  # noqa: F401`.

`upstream_client` is the service's real client, connected as manager 1001 (`sandbox-admin`, the
super-admin of docs/sandbox.md), speaking JSON.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from tests.support.sandbox import SandboxTransport, running_sandbox
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


@pytest.fixture
async def sandbox_app() -> AsyncIterator[Starlette]:
    async with running_sandbox() as (app, _):
        yield app


@pytest.fixture
async def sandbox_http(sandbox_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A plain HTTP client on the sandbox, for its control API (`/_sandbox/...`)."""
    transport = SandboxTransport(sandbox_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as http:
        yield http


@pytest.fixture
async def upstream_client(sandbox_app: Starlette) -> AsyncIterator[WebServicesClient]:
    config = sandbox_config("http://sandbox.test")
    async with WebServicesClient(config, transport=SandboxTransport(sandbox_app)) as client:
        yield client
