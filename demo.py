"""`tradergraph demo`: the service with an embedded, seeded sandbox, both on loopback.

The composition root of the demo, and the only service-side module that imports the sandbox: the
two still meet over HTTP, on real ports, exactly as the service meets a real upstream.

Steps: serve the sandbox (seeded deterministically) -> export its cTrader ID users and links over
its control API -> import them into the service's own database -> serve the service against the
sandbox -> print the GraphiQL address.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn
from pydantic import SecretStr
from starlette.applications import Starlette

from auth.exposure import announce
from explorer.operations import MONTHS, month_start
from history.cli import backfill
from sandbox import SandboxSettings
from sandbox import create_app as create_sandbox_app
from server import create_app as create_service_app
from settings import Mode, ServiceSettings, WhiteLabel
from store.cli import import_users
from store.users_csv import parse_users_csv

# The sandbox's white labels and their jurisdictions (docs/sandbox.md, "Fixed facts").
DEMO_WHITE_LABELS = {
    "sandbox": WhiteLabel(environment="demo", jurisdiction="CY"),
    "atlas-markets": WhiteLabel(environment="demo", jurisdiction="AU"),
    "borealis-fx": WhiteLabel(environment="demo", jurisdiction="SC"),
}
DEMO_MANAGER_LOGIN = 1001
DEMO_MANAGER_PASSWORD = "sandbox-admin"  # noqa: S105 - the sandbox's documented demo credential


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tradergraph demo", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address of the service")
    parser.add_argument("--port", type=int, default=8000, help="port of the service")
    parser.add_argument("--sandbox-port", type=int, default=8081, help="port of the sandbox")
    parser.add_argument("--seed", type=int, default=42, help="seed of the sandbox's data")
    parser.add_argument("--traders", type=int, default=2000, help="traders to seed")
    parser.add_argument(
        "--history-days",
        type=int,
        default=120,
        help="days of closed positions seeded for each trader (default 120)",
    )
    parser.add_argument(
        "--database-url", default=None, help="service database (default: a fresh temporary file)"
    )
    parser.add_argument(
        "--unsafe-public-bind",
        action="store_true",
        help="bind a non-loopback --host although anonymous callers act as the manager",
    )
    return parser


def service_settings(args: argparse.Namespace, database_url: str) -> ServiceSettings:
    return ServiceSettings(
        upstream_url=f"http://127.0.0.1:{args.sandbox_port}",
        manager_login=DEMO_MANAGER_LOGIN,
        manager_password=SecretStr(DEMO_MANAGER_PASSWORD),
        database_url=database_url,
        white_labels=DEMO_WHITE_LABELS,
        mode=Mode.DEVELOPMENT,
        host=args.host,
        port=args.port,
        unsafe_public_bind=args.unsafe_public_bind,
    )


async def wait_until_started(server: uvicorn.Server, task: asyncio.Task[None], name: str) -> None:
    """Wait for uvicorn to bind (the sandbox seeds in its lifespan, before that)."""
    while not server.started:
        if task.done():
            task.result()  # re-raise why it stopped
            raise RuntimeError(f"the {name} stopped before it started serving")
        await asyncio.sleep(0.05)


async def until_stopped(task: asyncio.Task[None], stop: asyncio.Event | None) -> None:
    """Return when the server stops by itself (Ctrl-C) or when `stop` is set."""
    if stop is None:
        await task
        return
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()


async def import_sandbox_users(sandbox_url: str, database_url: str) -> str:
    async with httpx.AsyncClient(base_url=sandbox_url, timeout=60.0) as client:
        response = await client.get("/_sandbox/users.csv")
        response.raise_for_status()
    users, links = await import_users(parse_users_csv(response.text), database_url)
    return f"{users.created} users and {links.created} links imported from the sandbox"


async def backfill_history(settings: ServiceSettings) -> str:
    """The deal mirror from the activity example's first month to now (docs/history.md)."""
    start, now = time.perf_counter(), datetime.now(UTC)
    since = month_start(now.date(), MONTHS - 1)
    deals = await backfill(settings, since, now, report=lambda *_: None)
    return f"{deals} closed deals since {since:%Y-%m-%d} mirrored in {seconds_since(start)}"


def uvicorn_server(app: Starlette, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    return uvicorn.Server(config)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def say_seeded(step: str, done: int, total: int) -> None:
    """The sandbox's seeding progress, a line per 10,000 traders: large seeds take a while."""
    say(f"  {step} {done:,}/{total:,} traders ({done * 100 // total}%)")


def seconds_since(start: float) -> str:
    return f"{time.perf_counter() - start:.1f} s"


async def run(
    args: argparse.Namespace,
    database_url: str,
    *,
    ready: asyncio.Event | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve sandbox and service until Ctrl-C (or `stop`); `ready` is set once both serve."""
    say(f"seeding the sandbox: seed {args.seed}, {args.traders} traders ...")
    start = time.perf_counter()
    sandbox_settings = SandboxSettings(
        seed=args.seed, traders=args.traders, history_days=args.history_days
    )
    sandbox_app = create_sandbox_app(sandbox_settings, progress=say_seeded)
    sandbox = uvicorn_server(sandbox_app, "127.0.0.1", args.sandbox_port)
    sandbox_task = asyncio.create_task(sandbox.serve())
    try:
        await wait_until_started(sandbox, sandbox_task, "sandbox")
        sandbox_url = f"http://127.0.0.1:{args.sandbox_port}"
        say(f"sandbox (emulated WebServices API) at {sandbox_url}, ready in {seconds_since(start)}")
        say("importing the sandbox's cTrader ID users and links ...")
        start = time.perf_counter()
        say(f"{await import_sandbox_users(sandbox_url, database_url)} in {seconds_since(start)}")
        say(f"{await backfill_history(service_settings(args, database_url))}")
        app = create_service_app(service_settings(args, database_url))
        service = uvicorn_server(app, args.host, args.port)
        service_task = asyncio.create_task(service.serve())
        try:
            await wait_until_started(service, service_task, "service")
            say(f"GraphiQL: http://{args.host}:{args.port}/graphql   (Ctrl-C stops)")
            if ready is not None:
                ready.set()
            await until_stopped(service_task, stop)
        finally:
            service.should_exit = True
            await service_task
    finally:
        sandbox.should_exit = True
        await sandbox_task


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tradergraph-demo-") as scratch:
        database_url = args.database_url or f"sqlite+aiosqlite:///{Path(scratch) / 'demo.db'}"
        if not announce(service_settings(args, database_url), args.host):
            return 2
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run(args, database_url))
    say("demo stopped")
    return 0
