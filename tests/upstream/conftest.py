"""Fixtures for the client's specification over a scripted upstream (see fake.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from tests.support.fixtures import (  # noqa: F401 - fixtures are found by name
    sandbox_app_fixture,
    sandbox_config,
    sandbox_http_fixture,
    upstream_client_fixture,
)
from tests.support.sandbox import BASE_URL, SandboxTransport
from tests.upstream.fake import FakeTime, FakeUpstream, client_for
from tests.upstream.scene import Scene
from upstream.client import WebServicesClient
from upstream.enums import WireFormat


@pytest.fixture
def fake() -> FakeUpstream:
    return FakeUpstream()


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def client(fake: FakeUpstream, time: FakeTime) -> AsyncIterator[WebServicesClient]:
    async with client_for(fake, time) as c:
        yield c


@pytest.fixture
async def scene(sandbox_http: httpx.AsyncClient) -> Scene:
    scene = Scene(sandbox_http)
    await scene.pin_clock()
    return scene


@pytest.fixture
async def xml_client(sandbox_app: Starlette) -> AsyncIterator[WebServicesClient]:
    config = sandbox_config(BASE_URL, WireFormat.XML)
    async with WebServicesClient(config, transport=SandboxTransport(sandbox_app)) as c:
        yield c
