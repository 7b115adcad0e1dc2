"""Secrets never reach the logs or the traces: a run of the security scenarios (log in, read,
be refused, move money, fail upstream, log out) is captured whole, at DEBUG, and searched for
every upstream token, password, password hash, session token and partner key it used."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
import structlog
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from starlette.applications import Starlette

from observability.logs import PARAMETER_LOGGERS, configure_logging
from observability.telemetry import Telemetry
from server import create_app
from settings import LogFormat
from tests.resolvers.harness import Upstream, service_settings
from tests.security.test_sessions import LOGIN
from tests.security.wire import Wire
from tests.support.lifespan import started
from tests.support.sandbox import SandboxTransport

JSON = {"Accept": "application/json"}
PASSWORDS = ("sandbox-admin", "sandbox-desk", "sandbox-partner", "trader-secret", "wrong-one")


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    root, quiet = logging.getLogger(), [logging.getLogger(n) for n in PARAMETER_LOGGERS]
    saved = (root.handlers[:], root.level, structlog.get_config(), [q.level for q in quiet])
    stream = io.StringIO()
    configure_logging(LogFormat.JSON, "DEBUG", stream)
    try:
        yield stream
    finally:
        root.handlers, root.level = saved[0], saved[1]
        structlog.configure(**saved[2])
        for logger, level in zip(quiet, saved[3], strict=True):
            logger.setLevel(level)


@asynccontextmanager
async def traced_service(
    sandbox: Starlette, tmp_path: Path, spans: InMemorySpanExporter
) -> AsyncIterator[Wire]:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    settings = service_settings(tmp_path, default_caller=False, mode="development")
    app = create_app(
        settings,
        upstream_transport=SandboxTransport(sandbox),
        telemetry=Telemetry(provider=provider),
    )
    async with started(app) as served:
        transport = httpx.ASGITransport(app=served)
        async with httpx.AsyncClient(transport=transport, base_url="http://service.test") as http:
            yield Wire(http)


async def scenarios(wire: Wire, upstream: Upstream) -> list[str]:
    """Runs the scenarios; answers the secrets they handled that the client may see."""
    trader = await upstream.create_trader()
    await wire.post(LOGIN, m=1002, p="wrong-one")
    admin = await _session(wire, 1001, "sandbox-admin")
    desk = await _session(wire, 1002, "sandbox-desk")
    await desk.post(f"{{ trader(login: {trader}) {{ login }} }}")  # forbidden upstream
    await admin.post(
        "{ traders(first: 50) { edges { node { login account { balance { amount } } } } } }"
    )
    move = f'{{login: {trader}, amount: "10", idempotencyKey: "secrecy-1"}}'
    await admin.post(f"mutation {{ deposit(input: {move}) {{ __typename }} }}")
    await upstream.fault('{"path": "/v2/webserv/openPositions", "action": "error", "status": 500}')
    await admin.post("{ traders(first: 5) { edges { node { openPositions { symbol } } } } }")
    await admin.get("mutation { logout }")  # refused: no mutation over GET
    await admin.post("mutation { logout }")
    return [str(admin.bearer), str(desk.bearer)]


async def _session(wire: Wire, login: int, password: str) -> Wire:
    answer = await wire.post(LOGIN, m=login, p=password)
    assert isinstance(answer.body, dict), answer
    return wire.as_bearer(str(answer.body["data"]["login"]["token"]))


async def upstream_tokens(upstream: Upstream) -> list[str]:
    tokens = [upstream.token]
    for login, password in ((1002, "sandbox-desk"), (1003, "sandbox-partner")):
        body = {"login": login, "hashedPassword": md5(password)}
        answer = await upstream.http.post("/v2/webserv/managers/token", json=body, headers=JSON)
        tokens.append(str(answer.json()["webservToken"]))
    return tokens


async def test_no_secret_reaches_the_logs_or_the_traces(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    spans = InMemorySpanExporter()
    with captured_logs() as logs:
        async with traced_service(sandbox, tmp_path, spans) as wire:
            sessions = await scenarios(wire, upstream)
    traces = "\n".join(span.to_json() for span in spans.get_finished_spans())
    secrets = [*await upstream_tokens(upstream), *sessions]
    secrets += [*PASSWORDS, *map(md5, PASSWORDS)]

    found = {secret: (secret in logs.getvalue(), secret in traces) for secret in secrets}

    assert found == {secret: (False, False) for secret in secrets}
    assert (logs.getvalue().count("upstream_call") > 5, len(spans.get_finished_spans()) > 5) == (
        True,
        True,
    )
