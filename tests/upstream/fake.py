"""A scripted upstream for `httpx.MockTransport`, for the wire and fault cases.

Answers are queued per (method, path): each request takes the next one, and the last one repeats.
An answer is a response, or an httpx exception class raised as a socket would. Every request is
kept, so tests assert what went on the wire. The token call answers `TOKEN` unless scripted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qsl

import httpx
from pydantic import SecretStr

from upstream.client import WebServicesClient
from upstream.config import BreakerPolicy, ClientConfig, RetryPolicy, Timeouts
from upstream.enums import WireFormat
from upstream.pacing import Pacing

TOKEN = "1dd4ef40-c5b3-61c0-0689-b1b40c97fadc"
TOKEN_CALL = ("POST", "/v2/webserv/managers/token")
Answer = httpx.Response | type[httpx.TransportError] | Callable[[httpx.Request], httpx.Response]


def json_answer(status: int, body: object, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers=_json(headers))


def error_answer(status: int, code: str, description: str) -> httpx.Response:
    return json_answer(status, {"error": {"errorCode": code, "description": description}})


def _json(headers: dict[str, str] | None) -> dict[str, str]:
    return {"content-type": "application/json"} | (headers or {})


@dataclass
class FakeUpstream:
    answers: dict[tuple[str, str], list[Answer]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def on(self, method: str, path: str, *answers: Answer) -> None:
        self.answers[(method, path)] = list(answers)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = (request.method, request.url.path)
        queue = self.answers.get(key)
        if queue is None:
            return self._default(key)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, httpx.Response):
            return answer
        if isinstance(answer, type):
            raise answer("scripted failure", request=request)
        return answer(request)

    def _default(self, key: tuple[str, str]) -> httpx.Response:
        if key == TOKEN_CALL:
            return json_answer(200, {"webservToken": TOKEN})
        return error_answer(404, "NOT_SCRIPTED", f"{key} has no scripted answer")

    def calls(self) -> list[str]:
        """What the client did, as `METHOD path`, token calls included."""
        return [f"{r.method} {r.url.path}" for r in self.requests]

    def queries(self, path: str) -> list[dict[str, str]]:
        return [dict(parse_qsl(r.url.query.decode())) for r in self.requests if r.url.path == path]

    def body(self, index: int) -> object:
        return json.loads(self.requests[index].content, parse_float=Decimal)


@dataclass
class FakeTime:
    """The client's clock and sleep: sleeping advances the clock and is recorded, instantly."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now

    def pacing(self) -> Pacing:
        return Pacing(sleep=self.sleep, clock=self.clock, jitter=lambda: 0.5)


def config(
    wire_format: WireFormat = WireFormat.JSON,
    *,
    total: float = 20.0,
    attempts: int = 3,
    failure_threshold: int = 5,
) -> ClientConfig:
    return ClientConfig(
        base_url="https://upstream.test:8443",
        manager_login=1001,
        manager_password=SecretStr("sandbox-admin"),
        wire_format=wire_format,
        timeouts=Timeouts(total=total),
        retry=RetryPolicy(attempts=attempts, base_delay=0.1, max_delay=2.0),
        breaker=BreakerPolicy(failure_threshold=failure_threshold, reset_after=30.0),
    )


def client_for(
    fake: FakeUpstream,
    time: FakeTime,
    cfg: ClientConfig | None = None,
    on_request: Callable[..., None] | None = None,
) -> WebServicesClient:
    return WebServicesClient(
        cfg or config(),
        transport=httpx.MockTransport(fake),
        pacing=time.pacing(),
        on_request=on_request,
    )
