"""`server:app_from_environment`, the factory the container runs: environment in, app out."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from starlette.routing import Route

import server


def _paths(app: object) -> list[str]:
    routes = getattr(app, "routes", [])
    return [route.path for route in routes if isinstance(route, Route)]


def test_the_factory_reads_the_environment_and_configures_logging(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, restored_logging: None
) -> None:
    monkeypatch.setenv("TRADERGRAPH_METRICS_ENABLED", "false")
    monkeypatch.setenv("TRADERGRAPH_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("TRADERGRAPH_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    app = server.app_from_environment()
    root = logging.getLogger()
    assert ("/metrics" in _paths(app), root.level, len(root.handlers)) == (
        False,
        logging.WARNING,
        1,
    )
