"""The real PostgreSQL and Redis the tests may use: their URLs from the environment (`.ci/run`
sets both), and a parameter that runs a test on one, or skips it with the reason shown."""

from __future__ import annotations

import os
from typing import Any

import pytest

POSTGRES_URL = os.environ.get("TRADERGRAPH_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("TRADERGRAPH_TEST_REDIS_URL")


def on_postgres(*values: object, id: str = "postgresql") -> Any:
    """`pytest.param(*values)` run on PostgreSQL, skipped when no database is named."""
    return pytest.param(
        *values,
        id=id,
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                POSTGRES_URL is None, reason="TRADERGRAPH_TEST_POSTGRES_URL is not set"
            ),
        ],
    )


def on_redis(*values: object, id: str = "redis") -> Any:
    """`pytest.param(*values)` run on Redis, skipped when no server is named."""
    return pytest.param(
        *values,
        id=id,
        marks=[
            pytest.mark.redis,
            pytest.mark.skipif(REDIS_URL is None, reason="TRADERGRAPH_TEST_REDIS_URL is not set"),
        ],
    )
