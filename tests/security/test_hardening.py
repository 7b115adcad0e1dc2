"""Production mode hides the schema from a prober: no introspection, no field suggestions.
Development mode (the demo, GraphiQL's docs) keeps both."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from tests.resolvers.harness import Upstream
from tests.security.wire import Answer, refused, wire_on

INTROSPECTION = "{ __schema { __typename } }"


async def test_production_refuses_introspection(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    async with wire_on(sandbox, tmp_path, mode="production") as wire:
        await upstream.reset_calls()
        answer = await wire.post(INTROSPECTION)

    message = (
        "GraphQL introspection has been disabled,"
        " but the requested query contained the field '__schema'."
    )
    expected = refused("GRAPHQL_VALIDATION_FAILED", message)
    assert answer == Answer(200, _located(expected, 1, 3))
    assert await upstream.calls() == {}


async def test_development_allows_introspection(sandbox: Starlette, tmp_path: Path) -> None:
    async with wire_on(sandbox, tmp_path, mode="development") as wire:
        answer = await wire.post(INTROSPECTION)

    assert answer == Answer(200, {"data": {"__schema": {"__typename": "__Schema"}}})


async def test_production_gives_no_field_suggestions(sandbox: Starlette, tmp_path: Path) -> None:
    async with wire_on(sandbox, tmp_path, mode="production") as wire:
        answer = await wire.post("{ traderz { login } }")

    message = "Cannot query field 'traderz' on type 'Query'."
    assert answer == Answer(200, _located(refused("GRAPHQL_VALIDATION_FAILED", message), 1, 3))


async def test_development_suggests_fields(sandbox: Starlette, tmp_path: Path) -> None:
    async with wire_on(sandbox, tmp_path, mode="development") as wire:
        answer = await wire.post("{ traderz { login } }")

    message = "Cannot query field 'traderz' on type 'Query'. Did you mean 'trader' or 'traders'?"
    assert answer == Answer(200, _located(refused("GRAPHQL_VALIDATION_FAILED", message), 1, 3))


def _located(body: dict[str, object], line: int, column: int) -> dict[str, object]:
    """`body` with its one error located at `line`:`column`, as validation errors are."""
    errors = body["errors"]
    assert isinstance(errors, list)
    return {**body, "errors": [{**errors[0], "locations": [{"line": line, "column": column}]}]}
