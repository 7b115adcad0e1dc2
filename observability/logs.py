"""Structured logs: one JSON object per line, each carrying the request id, whoever logged it.

Configured once at start-up (`configure_logging`). structlog's loggers and the standard library's
(uvicorn, httpx, SQLAlchemy) end in the same handler and the same renderer, so an operator's log
pipeline parses one format. The request id comes from structlog's context variables, which the
ASGI middleware binds for each request; a line logged outside any request (start-up, shutdown,
background recovery) says `"request_id": null` rather than leaving the key out, so a query for
the key never silently skips lines.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import structlog
from structlog.types import EventDict, Processor, WrappedLogger

from settings.service import LogFormat

UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")
ACCESS_LOGGER = "uvicorn.access"
"""Muted: the middleware's `request` line replaces it, with the request id and without the query
string (a GET /graphql query string may hold a document with a password in it)."""


PARAMETER_LOGGERS = ("aiosqlite", "sqlalchemy.engine")
"""Held at WARNING or above whatever the level: below it they print each SQL statement with its
parameters, and those include session rows with upstream tokens (tests/security/test_secrecy)."""

DUPLICATE_LOGGERS = ("httpx",)
"""Held at WARNING or above too: httpx logs every request at INFO with its full URL, a second line
for what the upstream client's `upstream_call` line already says (method, route template, status,
duration), at the price of one more rendered line per upstream call."""


def _ensure_request_id(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    event.setdefault("request_id", None)
    return event


def _shared_processors() -> list[Processor]:
    """What every line gets, from structlog or from the standard library alike."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _ensure_request_id,
    ]


def _renderer(log_format: LogFormat) -> Processor:
    if log_format is LogFormat.CONSOLE:
        return structlog.dev.ConsoleRenderer(colors=False)
    return structlog.processors.JSONRenderer()


def configure_logging(
    log_format: LogFormat = LogFormat.JSON, level: str = "INFO", stream: TextIO | None = None
) -> logging.Handler:
    """Route structlog and the standard library through one handler on `stream` (stderr).

    Replaces the root logger's handlers and makes uvicorn's loggers propagate to it (uvicorn
    installs its own handlers before it loads the app) except its access log, which stays
    silent. Returns the handler, for tests.
    """
    shared = _shared_processors()
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            _renderer(log_format),
        ],
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter)
    _install(handler, level)
    return handler


def _install(handler: logging.Handler, level: str) -> None:
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    for name in (*PARAMETER_LOGGERS, *DUPLICATE_LOGGERS):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
    access = logging.getLogger(ACCESS_LOGGER)
    access.handlers = []
    access.propagate = False
