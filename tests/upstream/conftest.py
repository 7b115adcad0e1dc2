"""Fixtures for the client's specification over a scripted upstream (see fake.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.upstream.fake import FakeTime, FakeUpstream, client_for
from upstream.client import WebServicesClient


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
