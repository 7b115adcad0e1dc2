"""Schemathesis over every query and mutation of `schema.graphql`, against the service wired to
an in-process sandbox (ASGI both, no socket): generated operations with generated arguments,
hostile decimals included, a few examples each. No answer may be a server error (5xx), and every
error in an answer must carry `extensions.code`.

Schemathesis runs the ASGI app on an event loop of its own (a portal thread) and starts its
lifespan once, so the app below is the service and the sandbox under one lifespan; the module's
fixture stops it after the last example.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes
from schemathesis.python.asgi import shutdown_lifespans
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from server import create_app
from tests.resolvers.harness import service_settings
from tests.support.lifespan import started
from tests.support.sandbox import SandboxTransport, running_sandbox

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 6
GENEROUS_RATES = {"rate_queries": 10**6, "rate_mutations": 10**6, "rate_money_mutations": 10**6}

schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
        st.sampled_from(["1e999999999", "1e999990", "NaN", "-Infinity", "9" * 40, "1_000", ""]),
        st.text(max_size=12),
    ).map(nodes.String),
)


class Service:
    """The service in front of a sandbox, both opened by this app's own lifespan."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None

    @asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        with tempfile.TemporaryDirectory(prefix="schemathesis-") as scratch:
            async with running_sandbox() as (sandbox, _):
                settings_ = service_settings(Path(scratch), **GENEROUS_RATES)
                app = create_app(settings_, upstream_transport=SandboxTransport(sandbox))
                async with started(app) as served:
                    self.app = served
                    yield

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await Starlette(lifespan=self.lifespan)(scope, receive, send)
            return
        assert self.app is not None, "the lifespan has not started"
        await self.app(scope, receive, send)


SCHEMA = schemathesis.graphql.from_path(ROOT / "schema.graphql")
SCHEMA.location = "/graphql"
SCHEMA.app = Service()


@pytest.fixture(scope="module", autouse=True)
def stopped_afterwards() -> Iterator[None]:
    yield
    shutdown_lifespans()


def uncoded(body: object) -> list[object]:
    """The errors of a GraphQL answer that carry no `extensions.code`."""
    errors = body.get("errors") or [] if isinstance(body, dict) else [body]
    return [
        e for e in errors if not (isinstance(e, dict) and (e.get("extensions") or {}).get("code"))
    ]


@SCHEMA.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error_or_an_uncoded_error(
    case: schemathesis.Case[Any],
) -> None:
    response = case.call()

    assert response.status_code < 500, (case.body, response.text)
    assert uncoded(response.json()) == [], (case.body, response.text)
