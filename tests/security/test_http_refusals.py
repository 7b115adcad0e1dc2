"""Requests refused at the HTTP door of /graphql, before GraphQL parses them and before any
upstream call: form posts, batches, mutations over GET, oversized bodies."""

from __future__ import annotations

import json

from tests.resolvers.harness import Upstream
from tests.security.wire import Answer, Wire, refused

TRADERS = "{ traders(first: 5) { edges { node { login } } } }"
DEPOSIT = 'mutation { deposit(input: {login: 1, amount: "1", idempotencyKey: "k"}) { __typename } }'


async def test_a_form_encoded_post_is_refused_as_a_csrf_risk(
    wire: Wire, upstream: Upstream
) -> None:
    answer = await wire.send("POST", f"query={TRADERS}", "application/x-www-form-urlencoded")

    message = "POST /graphql takes only Content-Type: application/json."
    assert answer == Answer(415, refused("UNSUPPORTED_CONTENT_TYPE", message))
    assert await upstream.calls() == {}


async def test_a_text_plain_post_is_refused(wire: Wire, upstream: Upstream) -> None:
    answer = await wire.send("POST", json.dumps({"query": TRADERS}), "text/plain")

    message = "POST /graphql takes only Content-Type: application/json."
    assert answer == Answer(415, refused("UNSUPPORTED_CONTENT_TYPE", message))
    assert await upstream.calls() == {}


async def test_a_batch_of_operations_is_refused(wire: Wire, upstream: Upstream) -> None:
    answer = await wire.send_json([{"query": TRADERS}, {"query": TRADERS}])

    message = "Send one operation per request, not an array."
    assert answer == Answer(400, refused("BATCHING_DISABLED", message))
    assert await upstream.calls() == {}


async def test_a_mutation_over_get_is_refused(wire: Wire, upstream: Upstream) -> None:
    answer = await wire.get(DEPOSIT)

    message = "Mutations are not allowed over GET; use POST."
    assert answer == Answer(405, refused("MUTATION_OVER_GET", message))
    assert await upstream.calls() == {}


async def test_a_body_over_the_limit_is_refused(wire: Wire, upstream: Upstream) -> None:
    padding = " " * (64 * 1024)

    answer = await wire.send("POST", json.dumps({"query": TRADERS + padding}), "application/json")

    assert answer == Answer(413, refused("REQUEST_TOO_LARGE", "The request body is too large."))
    assert await upstream.calls() == {}


async def test_a_query_over_get_is_still_answered(wire: Wire, upstream: Upstream) -> None:
    answer = await wire.get("{ __typename }")

    assert answer == Answer(200, {"data": {"__typename": "Query"}})
    assert await upstream.calls() == {}
