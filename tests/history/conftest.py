"""The deal mirror's tests use the root's sandbox and upstream (tests/conftest.py), and these
service settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import ServiceSettings
from tests.resolvers.harness import service_settings


@pytest.fixture
def settings(tmp_path: Path) -> ServiceSettings:
    """The service with no catch-up worker: these tests sync by hand and count every call."""
    return service_settings(tmp_path, history_sync_enabled=False)
