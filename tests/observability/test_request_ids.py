"""Request ids: the caller's when it is a sane token, a fresh one otherwise, answered back."""

from __future__ import annotations

import re

from observability.middleware import request_id_from
from tests.observability.served import Observed


async def test_the_callers_request_id_is_answered_back(service: Observed) -> None:
    response = await service.http.get("/healthz", headers={"X-Request-ID": "req-77"})
    assert (response.status_code, response.headers["x-request-id"]) == (200, "req-77")


async def test_a_request_without_an_id_gets_a_fresh_one(service: Observed) -> None:
    first = (await service.http.get("/healthz")).headers["x-request-id"]
    second = (await service.http.get("/healthz")).headers["x-request-id"]
    assert (bool(re.fullmatch(r"[0-9a-f]{32}", first)), first != second) == (True, True)


async def test_graphql_errors_carry_the_same_id_as_the_header(service: Observed) -> None:
    response = await service.http.post("/graphql", json={"query": "{ nope }"})
    errors = response.json()["errors"]
    assert errors[0]["extensions"]["requestId"] == response.headers["x-request-id"]


def test_an_id_that_could_forge_log_lines_is_replaced() -> None:
    offered = 'x" injected\nline'
    replaced = request_id_from({"x-request-id": offered})
    assert (replaced != offered, bool(re.fullmatch(r"[0-9a-f]{32}", replaced))) == (True, True)


def test_an_overlong_id_is_replaced() -> None:
    assert len(request_id_from({"x-request-id": "a" * 129})) == 32
