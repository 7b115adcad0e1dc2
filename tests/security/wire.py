"""`Wire`: the service over ASGI, spoken to as raw HTTP; answers are (status, JSON body)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from starlette.applications import Starlette

from server import create_app
from tests.resolvers.harness import service_settings
from tests.support.lifespan import started
from tests.support.sandbox import SandboxTransport

Json = dict[str, object]
REQUEST_ID = "security-test"


@dataclass(frozen=True)
class Answer:
    status: int
    body: object


@dataclass
class Wire:
    http: httpx.AsyncClient
    bearer: str | None = None

    def as_bearer(self, token: str) -> Wire:
        """The same service, each request sent with `Authorization: Bearer <token>`."""
        return Wire(self.http, token)

    async def post(self, query: str, **variables: object) -> Answer:
        return await self.send_json({"query": query, "variables": variables})

    async def post_asking_cost(self, query: str) -> Answer:
        return await self.send_json({"query": query, "extensions": {"cost": True}})

    async def send_json(self, payload: object) -> Answer:
        return await self.send("POST", json.dumps(payload), "application/json")

    async def send(self, method: str, body: str, content_type: str) -> Answer:
        headers = {"Content-Type": content_type, "X-Request-ID": REQUEST_ID, **self._auth()}
        response = await self.http.request(method, "/graphql", content=body, headers=headers)
        return Answer(response.status_code, response.json())

    async def get(self, query: str) -> Answer:
        headers = {"Accept": "application/json", "X-Request-ID": REQUEST_ID, **self._auth()}
        response = await self.http.get("/graphql", params={"query": query}, headers=headers)
        return Answer(response.status_code, response.json())

    def _auth(self) -> dict[str, str]:
        return {} if self.bearer is None else {"Authorization": f"Bearer {self.bearer}"}


def refused(code: str, message: str, **extensions: object) -> Json:
    """The body of a request refused before execution, as the client sees it."""
    details = {"code": code, **extensions, "requestId": REQUEST_ID}
    return {"data": None, "errors": [{"message": message, "extensions": details}]}


@asynccontextmanager
async def wire_on(sandbox: Starlette, tmp_path: Path, **overrides: object) -> AsyncIterator[Wire]:
    settings = service_settings(tmp_path, **overrides)
    app = create_app(settings, upstream_transport=SandboxTransport(sandbox))
    async with started(app) as served:
        transport = httpx.ASGITransport(app=served)
        async with httpx.AsyncClient(transport=transport, base_url="http://service.test") as http:
            yield Wire(http)
