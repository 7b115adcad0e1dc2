"""`create_app`: the Starlette application of the sandbox (emulated API + control API)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware

from sandbox import lifecycle
from sandbox.control import control_routes
from sandbox.middleware import EmulatorMiddleware
from sandbox.settings import SandboxSettings
from sandbox.state import SandboxState
from sandbox.urls import emulated_routes


def create_app(
    settings: SandboxSettings | None = None, *, progress: lifecycle.Progress | None = None
) -> Starlette:
    """The app sets up its database (tables, base dataset, optional seed) in its lifespan."""
    state = SandboxState.build(settings or SandboxSettings())
    emulated = emulated_routes()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await lifecycle.start(state, progress)
        try:
            yield
        finally:
            await state.db.dispose()

    app = Starlette(
        routes=[*emulated, *control_routes()],
        middleware=[Middleware(EmulatorMiddleware, state=state, routes=emulated)],
        lifespan=lifespan,
    )
    app.state.sandbox = state
    return app
