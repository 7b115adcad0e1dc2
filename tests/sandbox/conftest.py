"""Fixtures for the black-box specification of the emulated WebServices API.

The tests talk to the sandbox only over in-process ASGI, as a client would over HTTP, and decide
what is right from `../shared/reference/webservices-api.md` (its §12 where the real docs are
silent), never from `sandbox/`. Every test runs on SQLite and, when
`TRADERGRAPH_TEST_POSTGRES_URL` is set, on PostgreSQL.

The helpers the tests share live beside this file: `wire` (paths, headers, JSON and XML),
`clock` (the sandbox's time), `matchers` (whole-value assertions), `calls` (a served sandbox,
managers, money, positions) and `traders` (trader bodies, entities and expectations).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from sandbox import SandboxSettings
from tests.sandbox.calls import ADMIN, serve, token_of

SQLITE_URL = "sqlite+aiosqlite:///:memory:"
POSTGRES_ENV = "TRADERGRAPH_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def private_postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test session's own, next to the one the environment names:
    the sandbox wipes its tables at start-up, and others' suites may share that database."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is unset: the PostgreSQL variant is not run")
    shared = make_url(url)
    private = shared.set(database=f"{shared.database}_sandbox_{os.getpid()}")
    asyncio.run(_administer(url, f'CREATE DATABASE "{private.database}"'))
    yield private.render_as_string(hide_password=False)
    asyncio.run(_administer(url, f'DROP DATABASE IF EXISTS "{private.database}" WITH (FORCE)'))


async def _administer(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(statement))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return SQLITE_URL
    url = request.getfixturevalue("private_postgres_url")
    assert isinstance(url, str)
    return url


@pytest.fixture
def settings(db_url: str) -> SandboxSettings:
    return SandboxSettings(db_url=db_url)


@pytest.fixture
async def client(settings: SandboxSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(settings) as sandbox_client:
        yield sandbox_client


@pytest.fixture
async def admin_token(client: httpx.AsyncClient) -> str:
    return await token_of(client, *ADMIN)
