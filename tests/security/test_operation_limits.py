"""Documents refused by the operation limits after parsing, before execution: each answer is the
limit's code and message, `data` null, and the sandbox counts zero upstream calls."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from tests.resolvers.harness import Upstream
from tests.security.wire import Answer, Wire, refused, wire_on

LOGINS = " ".join(f"a{n}: login" for n in range(8))
WINDOW = 'closedPositions(from: "2026-01-01T00:00:00+00:00", to: "2026-01-31T00:00:00+00:00")'


def page(alias: str, first: int, fields: str) -> str:
    return f"{alias}: traders(first: {first}) {{ edges {{ node {{ {fields} }} }} }}"


async def test_aliases_multiplied_by_a_fragment_are_counted_where_it_is_spread(
    wire: Wire, upstream: Upstream
) -> None:
    spreads = " ".join(["...Many"] * 4)  # 4 x 8 = 32 aliases, though the text shows 8
    query = f"{{ {page('p', 5, spreads)} }} fragment Many on Trader {{ {LOGINS} }}"

    answer = await wire.post(query)

    message = "The operation has more than 30 aliases."
    assert answer == Answer(200, refused("TOO_MANY_ALIASES", message, limit=30))
    assert await upstream.calls() == {}


async def test_aliased_pages_are_priced_each_in_upstream_calls(
    wire: Wire, upstream: Upstream
) -> None:
    pages = " ".join(page(f"p{n}", 500, f"login {WINDOW} {{ pnl }}") for n in range(5))

    answer = await wire.post(f"{{ {pages} }}")

    message = "The operation would cost an estimated 76 upstream calls; the budget is 60."
    cost = {"estimatedCalls": 76, "budget": 60}
    assert answer == Answer(200, refused("QUERY_TOO_COSTLY", message, cost=cost))
    assert await upstream.calls() == {}


async def test_deep_nesting_is_refused(wire: Wire, upstream: Upstream) -> None:
    nested = "login"
    for _ in range(6):  # trader, 6 x (user, traders), login: 14 levels
        nested = f"user {{ traders {{ {nested} }} }}"

    answer = await wire.post(f"{{ trader(login: 1) {{ {nested} }} }}")

    message = "The operation has more than 12 levels of nesting."
    assert answer == Answer(200, refused("QUERY_TOO_DEEP", message, limit=12))
    assert await upstream.calls() == {}


async def test_a_huge_first_is_refused(wire: Wire, upstream: Upstream) -> None:
    answer = await wire.post(f"{{ {page('p', 100_000, 'login')} }}")

    message = "first may be at most 500, got 100000 (field traders)."
    assert answer == Answer(200, refused("PAGE_TOO_LARGE", message, maxPageSize=500))
    assert await upstream.calls() == {}


async def test_a_huge_first_in_a_variable_is_refused(wire: Wire, upstream: Upstream) -> None:
    query = "query ($n: Int!) { traders(first: $n) { edges { node { login } } } }"

    answer = await wire.post(query, n=100_000)

    message = "first may be at most 500, got 100000 (field traders)."
    assert answer == Answer(200, refused("PAGE_TOO_LARGE", message, maxPageSize=500))
    assert await upstream.calls() == {}


async def test_a_document_with_too_many_tokens_is_refused_while_parsing(
    wire: Wire, upstream: Upstream
) -> None:
    answer = await wire.post("{ " + "__typename " * 3000 + "}")

    message = "Syntax Error: Document contains more than 3000 tokens. Parsing aborted."
    column = len("{ ") + len("__typename ") * 2999 + 1  # where token 3001 starts
    error = {
        "message": message,
        "locations": [{"line": 1, "column": column}],
        "extensions": {"code": "TOO_MANY_TOKENS", "requestId": "security-test"},
    }
    assert answer == Answer(200, {"data": None, "errors": [error]})
    assert await upstream.calls() == {}


async def test_too_many_directives_are_refused(wire: Wire, upstream: Upstream) -> None:
    fields = " ".join(["login @include(if: true)"] * 21)

    answer = await wire.post(f"{{ {page('p', 5, fields)} }}")

    message = "The operation has more than 20 directives."
    assert answer == Answer(200, refused("TOO_MANY_DIRECTIVES", message, limit=20))
    assert await upstream.calls() == {}


async def test_too_many_root_fields_are_refused(wire: Wire, upstream: Upstream) -> None:
    fields = " ".join(f"t{n}: __typename" for n in range(11))

    answer = await wire.post(f"{{ {fields} }}")

    message = "The operation has more than 10 root fields."
    assert answer == Answer(200, refused("TOO_MANY_ROOT_FIELDS", message, limit=10))
    assert await upstream.calls() == {}


async def test_fragments_that_double_at_each_level_are_refused_early(
    wire: Wire, upstream: Upstream
) -> None:
    fragments = ["fragment F0 on Trader { login }"]
    fragments += [f"fragment F{n} on Trader {{ ...F{n - 1} ...F{n - 1} }}" for n in range(1, 40)]
    query = f"{{ {page('p', 5, '...F39')} }} " + " ".join(fragments)

    answer = await wire.post(query)

    message = "The operation has more than 2000 selections."
    assert answer == Answer(200, refused("TOO_MANY_SELECTIONS", message, limit=2000))
    assert await upstream.calls() == {}


async def test_two_money_mutations_in_one_document_are_refused(
    wire: Wire, upstream: Upstream
) -> None:
    move = 'input: {{login: 1, amount: "1", idempotencyKey: "{key}"}}'
    query = (
        f"mutation {{ a: deposit({move.format(key='a')}) {{ __typename }}"
        f" b: withdraw({move.format(key='b')}) {{ __typename }} }}"
    )

    answer = await wire.post(query)

    message = "The operation has more than 1 money mutations."
    assert answer == Answer(200, refused("TOO_MANY_MONEY_MUTATIONS", message, limit=1))
    assert await upstream.calls() == {}


async def test_unknown_directives_count_toward_the_limit(wire: Wire, upstream: Upstream) -> None:
    fields = " ".join(["login @nope"] * 21)

    answer = await wire.post(f"{{ {page('p', 5, fields)} }}")

    message = "The operation has more than 20 directives."
    assert answer == Answer(200, refused("TOO_MANY_DIRECTIVES", message, limit=20))
    assert await upstream.calls() == {}


async def test_ten_unknown_directives_are_one_limit_error(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    async with wire_on(sandbox, tmp_path, max_directives=5) as wire:
        await upstream.reset_calls()
        answer = await wire.post("{ __typename" + " @nope" * 10 + " }")

    message = "The operation has more than 5 directives."
    assert answer == Answer(200, refused("TOO_MANY_DIRECTIVES", message, limit=5))
    assert await upstream.calls() == {}


async def test_directives_of_variables_and_unused_fragments_count(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    variables = "query ($a: Int @v1 @v2 @v3)"
    unused = "fragment Unused on Query @f1 @f2 @f3 { __typename }"
    async with wire_on(sandbox, tmp_path, max_directives=5) as wire:
        await upstream.reset_calls()
        answer = await wire.post(f"{variables} {{ __typename }} {unused}")

    message = "The operation has more than 5 directives."
    assert answer == Answer(200, refused("TOO_MANY_DIRECTIVES", message, limit=5))
    assert await upstream.calls() == {}


async def test_a_few_unknown_directives_stay_validation_errors(wire: Wire) -> None:
    answer = await wire.post("{ __typename @nope }")

    error = {
        "message": "Unknown directive '@nope'.",
        "locations": [{"line": 1, "column": 14}],
        "extensions": {"code": "GRAPHQL_VALIDATION_FAILED", "requestId": "security-test"},
    }
    assert answer == Answer(200, {"data": None, "errors": [error]})
