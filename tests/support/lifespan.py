"""An app with its lifespan running as a server runs it: the ASGI lifespan protocol, with the
lifespan's state handed to every request (asgi-lifespan's `LifespanManager`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from asgi_lifespan import LifespanManager
from starlette.types import ASGIApp, Receive, Scope, Send

PATIENCE = 60.0
"""Seconds start-up and shutdown may take on a loaded machine before the test fails."""


@dataclass(frozen=True)
class Running:
    app: ASGIApp
    """The app to send requests to: each carries the lifespan state, as a server's do."""
    state: MutableMapping[str, Any]
    """What the lifespan yielded."""


@asynccontextmanager
async def running(app: ASGIApp) -> AsyncIterator[Running]:
    """`app` started through its lifespan, and stopped on exit."""
    states: list[MutableMapping[str, Any]] = []

    async def recording(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            states.append(scope["state"])
        await app(scope, receive, send)

    async with LifespanManager(recording, PATIENCE, PATIENCE) as manager:
        yield Running(manager.app, states[0])


@asynccontextmanager
async def started(app: ASGIApp) -> AsyncIterator[ASGIApp]:
    """`app` started; the app to send requests to."""
    async with running(app) as run:
        yield run.app
