"""`tradergraph serve`: uvicorn, with one worker or several on one port, running `server`'s app.

Each worker is a process of its own that builds the app with `server:app_from_environment`, so
the command line's options travel to it as this process's `TRADERGRAPH_*` variables, checked
here once first. This module imports only the settings, the logging set-up, the public-bind
check (auth/exposure.py) and uvicorn: with `--workers N` this process only supervises (restarts
a worker that dies, forwards signals), and the app's imports would be about 45 MB of memory it
never uses. With one worker, uvicorn serves in this process and imports the app itself. What is
per worker: docs/operations.md.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from typing import Any

import structlog
import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess

from auth.exposure import announce
from listening import WorkersListener, reuse_port_socket
from observability.logs import configure_logging
from settings import ServiceSettings

log = structlog.get_logger("tradergraph.serve")

APP = "server:app_from_environment"
OPTIONS = (
    "host",
    "port",
    "workers",
    "upstream_url",
    "manager_login",
    "manager_password_file",
    "unsafe_public_bind",
)
REMOVED_OPTION = (
    "--manager-password was removed: a password on the command line shows in `ps` to every"
    " user of the machine. Set TRADERGRAPH_MANAGER_PASSWORD, or give --manager-password-file"
    " (TRADERGRAPH_MANAGER_PASSWORD_FILE)."
)


class _Removed(argparse.Action):
    """An option that is refused with the reason, rather than reported unknown."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        parser.error(REMOVED_OPTION)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tradergraph serve",
        description="Serve the GraphQL API; every option falls back to TRADERGRAPH_<OPTION>.",
    )
    parser.add_argument("--host")
    parser.add_argument("--port", type=int)
    parser.add_argument("--workers", type=int, help="worker processes on the one port")
    parser.add_argument("--upstream-url")
    parser.add_argument("--manager-login", type=int)
    parser.add_argument("--manager-password-file", help="file whose first line is the password")
    parser.add_argument("--manager-password", action=_Removed, help=argparse.SUPPRESS)
    parser.add_argument(
        "--unsafe-public-bind",
        action="store_const",
        const=True,
        help="bind a non-loopback address even though anonymous callers act as the manager",
    )
    return parser


def _given(argv: list[str]) -> dict[str, Any]:
    args = vars(_parser().parse_args(argv))
    return {name: args[name] for name in OPTIONS if args[name] is not None}


def settings_from(argv: list[str]) -> ServiceSettings:
    """The environment's settings, with the command line's options on top."""
    return ServiceSettings(**_given(argv))


def environment_from(argv: list[str]) -> dict[str, str]:
    """The command line's options, as the `TRADERGRAPH_*` variables they stand for."""
    return {f"TRADERGRAPH_{name.upper()}": str(value) for name, value in _given(argv).items()}


def per_process_warnings(settings: ServiceSettings) -> list[str]:
    """What several workers without Redis do not share (docs/operations.md)."""
    if settings.workers == 1 or settings.redis_url is not None:
        return []
    return [
        "each worker counts request rates on its own: a caller may send up to"
        f" {settings.workers} times its limit; set TRADERGRAPH_REDIS_URL to share them",
        "each worker polls the upstream for its own subscribers: up to"
        f" {settings.workers} pollers per watched resource; set TRADERGRAPH_REDIS_URL to share"
        " them",
    ]


def workers_refusal(settings: ServiceSettings) -> str | None:
    """Why these workers cannot start together, or None."""
    if settings.workers == 1 or not settings.ops_port:
        return None
    return (
        f"refusing {settings.workers} workers with TRADERGRAPH_OPS_PORT={settings.ops_port}: each"
        " worker serves the operations port itself, so all but one would fail to bind it; run one"
        " worker, or leave the operations port unset"
    )


def serve_main(argv: list[str]) -> int:
    """Entry point of `tradergraph serve`; blocks until uvicorn (and its workers) stop.

    The command line's options become this process's `TRADERGRAPH_*` variables, so each worker,
    which builds its app with `app_from_environment` in a process of its own, reads the same
    settings; they are checked here once first. One worker is served in this process.
    """
    settings = settings_from(argv)
    configure_logging(settings.log_format, settings.log_level)
    if not announce(settings, settings.host):
        return 2
    if (refusal := workers_refusal(settings)) is not None:
        log.error("refusing to start", reason=refusal)
        sys.stderr.write(f"tradergraph serve: {refusal}\n")
        return 2
    for warning in per_process_warnings(settings):
        log.warning("per-process state", workers=settings.workers, detail=warning)
    os.environ.update(environment_from(argv))
    options: dict[str, Any] = {
        "factory": True,
        "workers": settings.workers,
        "host": settings.host,
        "port": settings.port,
        "lifespan": "on",
        "proxy_headers": False,
        "log_level": settings.log_level.lower(),
        "log_config": None,
        "access_log": False,
    }
    if settings.workers == 1:
        uvicorn.run(APP, **options)
        return 0
    return supervise(uvicorn.Config(APP, **options))


def supervise(config: uvicorn.Config) -> int:
    """uvicorn's supervisor (restarts, signals) over workers that each listen on a socket of
    their own (listening.py), so the kernel spreads connections over them."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    try:
        listener = reuse_port_socket(family, (config.host, config.port), WorkersListener)
    except OSError as error:
        log.error("cannot bind", host=config.host, port=config.port, error=str(error))
        sys.stderr.write(f"tradergraph serve: cannot bind {config.host}:{config.port}: {error}\n")
        return STARTUP_FAILURE
    log.info("listening", address=listener.getsockname(), workers=config.workers, reuse_port=True)
    with listener:
        Multiprocess(config, sockets=[listener]).run()
    return 0
