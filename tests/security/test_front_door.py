"""The front door under attack (issue 12): hostile bodies, expensive anonymous documents, login
floods and schema guessing, each answered with a coded 4xx before any upstream call."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from tests.resolvers.harness import Upstream
from tests.security.test_rate_limits import DAY
from tests.security.wire import REQUEST_ID, Answer, Wire, refused, wire_on

LOGIN = "mutation ($m: Int!, $p: String!) { login(managerLogin: $m, password: $p) {"
LOGIN += " __typename ... on Session { token } } }"
GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture
async def door(sandbox: Starlette, upstream: Upstream, tmp_path: Path) -> AsyncIterator[Wire]:
    """The service in production with no default caller, as `tradergraph serve` runs."""
    async with wire_on(sandbox, tmp_path, default_caller=False) as wire:
        await upstream.reset_calls()
        yield wire


def nested(depth: int) -> str:
    """A JSON array `depth` deep, as text (the json module itself cannot write it)."""
    return "[" * depth + '"x"' + "]" * depth


def answer_of(response: httpx.Response) -> Answer:
    return Answer(response.status_code, response.json())


async def post_raw(wire: Wire, body: bytes, **headers: str) -> httpx.Response:
    sent = {"Content-Type": "application/json", "X-Request-ID": REQUEST_ID, **headers}
    return await wire.http.post("/graphql", content=body, headers=sent)


async def test_invalid_utf8_with_a_bearer_token_is_a_coded_400(
    door: Wire, upstream: Upstream
) -> None:
    body = b'{"query": "{ __typename \xff\xfe }"}'

    response = await post_raw(door, body, Authorization="Bearer tgs_whatever")

    message = "The request body is not valid UTF-8."
    assert answer_of(response) == Answer(400, refused("INVALID_ENCODING", message))
    assert response.headers["content-type"] == "application/json"
    assert await upstream.calls() == {}


async def test_variables_nested_a_thousand_deep_are_a_coded_400(
    door: Wire, upstream: Upstream
) -> None:
    body = '{"query": "{ __typename }", "variables": {"v": ' + nested(1000) + "}}"

    answer = answer_of(await post_raw(door, body.encode()))

    message = "The JSON is nested more than 32 levels deep."
    assert answer == Answer(400, refused("JSON_TOO_DEEP", message, limit=32))
    assert await upstream.calls() == {}


async def test_deep_variables_over_get_are_refused_the_same_way(door: Wire) -> None:
    params = {"query": "{ __typename }", "variables": f'{{"v": {nested(1000)}}}'}

    response = await door.http.get("/graphql", params=params, headers={"X-Request-ID": REQUEST_ID})

    message = "The JSON is nested more than 32 levels deep."
    assert answer_of(response) == Answer(400, refused("JSON_TOO_DEEP", message, limit=32))


async def test_brackets_inside_strings_do_not_count_as_nesting(door: Wire) -> None:
    answer = await door.send_json({"query": "{ __typename }", "variables": {"v": "[" * 5000}})

    assert answer == Answer(200, {"data": {"__typename": "Query"}})


async def test_a_subscription_over_get_is_a_coded_400(door: Wire, upstream: Upstream) -> None:
    answer = await door.get("subscription { accountChanged(logins: [1]) { login } }")

    message = "Subscriptions are served over the websocket at /graphql (graphql-transport-ws)."
    assert answer == Answer(400, refused("SUBSCRIPTION_OVER_HTTP", message))
    assert await upstream.calls() == {}


async def test_a_subscription_over_post_is_a_coded_400(door: Wire) -> None:
    answer = await door.post("subscription { accountChanged(logins: [1]) { login } }")

    message = "Subscriptions are served over the websocket at /graphql (graphql-transport-ws)."
    assert answer == Answer(400, refused("SUBSCRIPTION_OVER_HTTP", message))


async def test_an_anonymous_62kb_document_is_refused_by_the_token_cap(
    door: Wire, upstream: Upstream
) -> None:
    document = 'mutation { login(managerLogin: 1, password: "p") { __typename '
    document += "__typename " * 5_600 + "} }"
    assert 60_000 < len(document) < 64_000

    answer = await door.post(document)

    message = "Syntax Error: Document contains more than 3000 tokens. Parsing aborted."
    assert isinstance(answer.body, dict)
    assert answer.status == 200
    assert [e["message"] for e in answer.body["errors"]] == [message]
    assert answer.body["errors"][0]["extensions"] == {
        "code": "TOO_MANY_TOKENS",
        "requestId": REQUEST_ID,
    }
    assert await upstream.calls() == {}


async def test_ten_aliased_logins_in_one_request_are_refused(
    door: Wire, upstream: Upstream
) -> None:
    fields = " ".join(
        f'a{n}: login(managerLogin: 1002, password: "guess{n}") {{ __typename }}' for n in range(10)
    )

    answer = await door.post(f"mutation {{ {fields} }}")

    message = "A request may hold one `login` field."
    assert answer == Answer(400, refused("TOO_MANY_LOGINS", message))
    assert await upstream.calls() == {}


async def test_a_login_hidden_in_a_fragment_counts_too(wire: Wire) -> None:
    document = (
        'mutation { login(managerLogin: 1, password: "a") { __typename } ...more }'
        ' fragment more on Mutation { again: login(managerLogin: 1, password: "b")'
        " { __typename } }"
    )

    answer = await wire.post(document)

    assert answer == Answer(
        400, refused("TOO_MANY_LOGINS", "A request may hold one `login` field.")
    )


async def test_a_syntax_error_asked_as_graphql_response_json_is_a_400_in_that_type(
    door: Wire,
) -> None:
    body = json.dumps({"query": "{ __typename"}).encode()

    response = await post_raw(door, body, Accept=GRAPHQL_RESPONSE)

    error = {
        "message": "Syntax Error: Expected Name, found <EOF>.",
        "locations": [{"line": 1, "column": 13}],
        "extensions": {"code": "GRAPHQL_PARSE_FAILED", "requestId": REQUEST_ID},
    }
    assert answer_of(response) == Answer(400, {"errors": [error]})
    assert response.headers["content-type"] == GRAPHQL_RESPONSE


async def test_a_rate_limited_query_is_a_429_with_retry_after(
    sandbox: Starlette, tmp_path: Path
) -> None:
    async with wire_on(sandbox, tmp_path, rate_queries=1, rate_window_seconds=DAY) as wire:
        await wire.post("{ __typename }")
        response = await post_raw(wire, json.dumps({"query": "{ __typename }"}).encode())

    body = response.json()
    wait = body["errors"][0]["extensions"]["retryAfter"]
    message = f"Too many query requests: at most 1 per {DAY} s; retry in {wait} s."
    assert answer_of(response) == Answer(429, refused("RATE_LIMITED", message, retryAfter=wait))
    assert response.headers["retry-after"] == str(wait)


async def test_invalid_documents_count_against_the_rate(sandbox: Starlette, tmp_path: Path) -> None:
    """Guessing the schema one validation error at a time is throttled like any query."""
    async with wire_on(sandbox, tmp_path, rate_queries=3, rate_window_seconds=DAY) as wire:
        guesses = [await wire.post(f"{{ guess{n} }}") for n in range(3)]
        fourth = await wire.post("{ __typename }")

    assert [a.status for a in guesses] == [200, 200, 200]
    codes = [a.body["errors"][0]["extensions"]["code"] for a in guesses]  # type: ignore[index]
    assert codes == ["GRAPHQL_VALIDATION_FAILED"] * 3
    assert fourth.status == 429


async def test_unparseable_documents_count_against_the_rate(
    sandbox: Starlette, tmp_path: Path
) -> None:
    async with wire_on(sandbox, tmp_path, rate_queries=2, rate_window_seconds=DAY) as wire:
        broken = [await wire.post("{") for _ in range(2)]
        third = await wire.post("{ __typename }")

    assert [a.status for a in broken] == [200, 200]
    assert third.status == 429


async def test_unknown_tokens_count_against_the_addresss_rate(
    sandbox: Starlette, tmp_path: Path
) -> None:
    """Guessing bearer tokens is throttled like anonymous requests from that address."""
    async with wire_on(sandbox, tmp_path, rate_queries=2, rate_window_seconds=DAY) as wire:
        guesses = [await wire.as_bearer(f"tgs_guess{n}").post("{ __typename }") for n in range(3)]

    assert [a.status for a in guesses] == [401, 401, 429]


async def test_unknown_hashes_count_against_the_rate(sandbox: Starlette, tmp_path: Path) -> None:
    """Probing which documents are registered is throttled too."""
    async with wire_on(sandbox, tmp_path, rate_queries=2, rate_window_seconds=DAY) as wire:
        probes = [
            await wire.send_json(
                {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": f"{n:064x}"}}}
            )
            for n in range(3)
        ]

    codes = [a.body["errors"][0]["extensions"]["code"] for a in probes]  # type: ignore[index]
    assert codes == ["PERSISTED_QUERY_NOT_FOUND", "PERSISTED_QUERY_NOT_FOUND", "RATE_LIMITED"]
