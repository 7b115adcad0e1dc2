"""Attack: guess the schema from "Did you mean ...?" in error messages, one typo at a time:
input fields (inline and in variables), enum values (inline and in variables), arguments, types,
fields, directives, over HTTP and over the websocket. Defence: production removes every
suggestion, wherever it stands in the message (`schema/extensions/hardening.py`, applied in
`schema/extensions/error_codes.py` to every error raised before execution); development keeps
them."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette

from schema.extensions.hardening import without_suggestions
from server import create_app
from tests.live.ws import live_client
from tests.resolvers.harness import service_settings
from tests.security.wire import REQUEST_ID, Answer, wire_on
from tests.support.lifespan import started
from tests.support.sandbox import SandboxTransport

PAGE = "edges { node { login } }"
MOVEMENTS = "moneyMovements(filter: $f) { edges { node { id } } }"
FILTER = "Expected value of type 'TraderFilterInput' not to include unknown field 'grop'."
KIND = "Value 'DEPOSITT' does not exist in 'MovementKind' enum."
CASES = [
    (
        f'{{ traders(filter: {{grop: "x"}}) {{ {PAGE} }} }}',
        {},
        f'{FILTER} Found: {{ grop: "x" }}.',
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        f"query ($f: TraderFilterInput) {{ traders(filter: $f) {{ {PAGE} }} }}",
        {"f": {"grop": "x"}},
        f"Variable '$f' has invalid value: {FILTER} Found: {{'grop': 'x'}}.",
        "BAD_USER_INPUT",
    ),
    (
        "{ moneyMovements(filter: {kind: DEPOSITT}) { edges { node { id } } } }",
        {},
        KIND,
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        f"query ($f: MoneyMovementFilter) {{ {MOVEMENTS} }}",
        {"f": {"kind": "DEPOSITT"}},
        f"Variable '$f' has invalid value at .kind: {KIND}",
        "BAD_USER_INPUT",
    ),
    (
        f"{{ traders(firs: 5) {{ {PAGE} }} }}",
        {},
        "Unknown argument 'firs' on field 'Query.traders'.",
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "{ traderz { login } }",
        {},
        "Cannot query field 'traderz' on type 'Query'.",
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        f"query ($f: TraderFiltr) {{ traders(filter: $f) {{ {PAGE} }} }}",
        {},
        "Unknown type 'TraderFiltr'.",
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "{ trader(login: 1) { ... on Tradr { login } } }",
        {},
        "Unknown type 'Tradr'.",
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "{ trader(login: 1) @skipp(if: true) { login } }",
        {},
        "Unknown directive '@skipp'.",
        "GRAPHQL_VALIDATION_FAILED",
    ),
]


def only_error(answer: Answer) -> tuple[int, str, object]:
    """The status, the message and the extensions of an answer's one error (data null)."""
    assert isinstance(answer.body, dict)
    assert answer.body["data"] is None
    [error] = answer.body["errors"]
    return answer.status, error["message"], error["extensions"]


@pytest.mark.parametrize(("query", "variables", "message", "code"), CASES)
async def test_production_suggests_nothing_in_any_message(
    sandbox: Starlette, tmp_path: Path, query: str, variables: object, message: str, code: str
) -> None:
    async with wire_on(sandbox, tmp_path, mode="production") as wire:
        answer = await wire.send_json({"query": query, "variables": variables})

    assert only_error(answer) == (200, message, {"code": code, "requestId": REQUEST_ID})


async def test_development_keeps_suggestions_for_input_fields(
    sandbox: Starlette, tmp_path: Path
) -> None:
    async with wire_on(sandbox, tmp_path, mode="development") as wire:
        answer = await wire.post(f'{{ traders(filter: {{grop: "x"}}) {{ {PAGE} }} }}')

    message = f"{FILTER} Did you mean 'group'? Found: {{ grop: \"x\" }}."
    code = {"code": "GRAPHQL_VALIDATION_FAILED", "requestId": REQUEST_ID}
    assert only_error(answer) == (200, message, code)


async def test_production_suggests_nothing_over_the_websocket(
    sandbox: Starlette, tmp_path: Path
) -> None:
    settings = service_settings(tmp_path, mode="production")
    app = create_app(settings, upstream_transport=SandboxTransport(sandbox))
    async with started(app) as served, live_client(served) as client:
        await client.subscribe("1", "subscription { accountChanged(logins: [1]) { logn } }")
        refused = await client.receive()

    payload = refused.pop("payload")
    assert isinstance(payload, list)
    [error] = payload
    assert isinstance(error["extensions"].pop("requestId"), str)
    assert (refused, error) == (
        {"id": "1", "type": "error"},
        {
            "message": "Cannot query field 'logn' on type 'AccountChange'.",
            "locations": [{"line": 1, "column": 46}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
        },
    )


@pytest.mark.parametrize(
    ("message", "bare"),
    [
        ("Unknown argument 'firs'. Did you mean 'first'?", "Unknown argument 'firs'."),
        ("x. Did you mean 'a', 'b', or 'c'? Found: 1.", "x. Found: 1."),
        ("Value 'A' does not exist. Did you mean the enum value 'B'?", "Value 'A' does not exist."),
        ("Did you mean to use an inline fragment on 'T'?", ""),
    ],
)
def test_every_suggestion_shape_is_removed(message: str, bare: str) -> None:
    assert without_suggestions(message) == bare
