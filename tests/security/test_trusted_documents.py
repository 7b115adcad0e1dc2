"""Trusted documents: automatic persisted queries in open mode (over POST and over GET, bounded in
size), only the manifest's documents in require mode, and `tradergraph documents add` writing that
manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from starlette.applications import Starlette

from auth.secrets import KEY_PREFIX, digest, new_token
from limits.cli import documents_main
from limits.gate import LOG_IN_FIRST
from tests.resolvers.harness import Upstream
from tests.security.test_rate_limits import DAY, rate_limited
from tests.security.wire import REQUEST_ID, Answer, Wire, refused, wire_on

QUERY = "{ __typename }"
DIGEST = hashlib.sha256(QUERY.encode()).hexdigest()
TYPENAME = Answer(200, {"data": {"__typename": "Query"}})
NOT_FOUND = Answer(200, refused("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound"))
TRADER = "query Trader($login: Int!) { trader(login: $login) { login } }"
TRADERS = "{ traders(first: 1) { totalCount } }"
DEPOSIT = 'mutation { deposit(input: {login: 1, amount: "1", idempotencyKey: "k"}) { __typename } }'
INVALID = Answer(
    200,
    {
        "data": None,
        "errors": [
            {
                "message": "Cannot query field 'noSuchField' on type 'Query'.",
                "locations": [{"line": 1, "column": 3}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED", "requestId": REQUEST_ID},
            }
        ],
    },
)
GET_MUTATION = Answer(
    405, refused("MUTATION_OVER_GET", "Mutations are not allowed over GET; use POST.")
)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(digest: str, query: str | None = None) -> dict[str, object]:
    body: dict[str, object] = {"extensions": by_hash(digest)}
    return body if query is None else {**body, "query": query}


def by_hash(digest: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


async def get(wire: Wire, **params: object) -> Answer:
    """GET /graphql as Apollo's link sends it: objects (extensions, variables) as JSON text."""
    query = {name: v if isinstance(v, str) else json.dumps(v) for name, v in params.items()}
    headers = {"Accept": "application/json", "X-Request-ID": REQUEST_ID}
    response = await wire.http.get("/graphql", params=query, headers=headers)
    return Answer(response.status_code, response.json())


async def test_an_unknown_hash_asks_the_client_for_the_text(wire: Wire) -> None:
    answer = await wire.send_json(persisted(DIGEST))

    assert answer == NOT_FOUND


async def test_a_document_sent_once_with_its_hash_runs_by_hash_after(wire: Wire) -> None:
    first = await wire.send_json(persisted(DIGEST, QUERY))

    second = await wire.send_json(persisted(DIGEST))

    assert (first, second) == (TYPENAME, TYPENAME)


async def test_a_hash_that_is_not_the_texts_is_refused(wire: Wire) -> None:
    answer = await wire.send_json(persisted("0" * 64, QUERY))

    assert answer == Answer(
        400, refused("PERSISTED_QUERY_HASH_MISMATCH", "sha256Hash is not the query's.")
    )


async def test_a_query_registered_once_runs_over_get_by_hash(
    wire: Wire, upstream: Upstream
) -> None:
    login = await upstream.create_trader()
    await wire.send_json({**persisted(sha256(TRADER), TRADER), "variables": {"login": login}})
    await upstream.reset_calls()

    answer = await get(wire, extensions=by_hash(sha256(TRADER)), variables={"login": login})

    assert answer == Answer(200, {"data": {"trader": {"login": login}}})
    assert await upstream.calls() == {"GET /v2/webserv/traders/{login}": 1}


async def test_an_unknown_hash_over_get_asks_for_the_text(wire: Wire, upstream: Upstream) -> None:
    answer = await get(wire, extensions=by_hash(sha256(TRADERS)))

    assert answer == NOT_FOUND
    assert await upstream.calls() == {}


async def test_a_query_sent_over_get_with_its_hash_registers_it(wire: Wire) -> None:
    first = await get(wire, query=QUERY, extensions=by_hash(DIGEST))

    second = await get(wire, extensions=by_hash(DIGEST))

    assert (first, second) == (TYPENAME, TYPENAME)


async def test_a_mutation_named_by_hash_is_refused_over_get(wire: Wire, upstream: Upstream) -> None:
    mutation = "mutation { __typename }"
    registered = await wire.send_json(persisted(sha256(mutation), mutation))

    answer = await get(wire, extensions=by_hash(sha256(mutation)))

    assert (registered, answer) == (Answer(200, {"data": {"__typename": "Mutation"}}), GET_MUTATION)
    assert await upstream.calls() == {}


async def test_a_hash_that_is_not_the_texts_is_refused_over_get(
    wire: Wire, upstream: Upstream
) -> None:
    answer = await get(wire, query=TRADERS, extensions=by_hash(DIGEST))

    assert answer == Answer(
        400, refused("PERSISTED_QUERY_HASH_MISMATCH", "sha256Hash is not the query's.")
    )
    assert await upstream.calls() == {}


async def test_a_document_over_the_size_cap_is_refused_and_not_remembered(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    cap = len(QUERY)  # `{ __typename }` fits exactly; TRADERS is longer
    async with wire_on(sandbox, tmp_path, apq_max_document_bytes=cap) as wire:
        await upstream.reset_calls()
        fits = await wire.send_json(persisted(DIGEST, QUERY))
        over = await wire.send_json(persisted(sha256(TRADERS), TRADERS))
        later = await wire.send_json(persisted(sha256(TRADERS)))

    message = f"Documents over {cap} bytes are not persisted; send this one without its hash."
    assert (fits, over, later) == (
        TYPENAME,
        Answer(413, refused("PERSISTED_QUERY_TOO_LARGE", message)),
        NOT_FOUND,
    )
    assert await upstream.calls() == {}


async def test_a_request_refused_before_graphql_registers_nothing(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    async with wire_on(sandbox, tmp_path, default_caller=False) as wire:
        await upstream.reset_calls()
        anonymous = await wire.send_json(persisted(sha256(TRADERS), TRADERS))
        later = await wire.send_json(persisted(sha256(TRADERS)))

    assert (anonymous, later) == (Answer(401, refused("UNAUTHENTICATED", LOG_IN_FIRST)), NOT_FOUND)
    assert await upstream.calls() == {}


async def test_a_document_the_rate_limit_refuses_is_not_remembered(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    """Registering costs a request of the caller's rate, as running does: past the limit, new
    texts sent with their hashes do not fill the store (another caller, with a rate of its own,
    finds nothing under the hash)."""
    key = new_token(KEY_PREFIX)
    keys = {digest(key): {"partner": "IB-0230"}}
    async with wire_on(
        sandbox, tmp_path, rate_queries=1, rate_window_seconds=DAY, partner_keys=keys
    ) as wire:
        await upstream.reset_calls()
        first = await wire.send_json(persisted(DIGEST, QUERY))
        limited = await wire.send_json(persisted(sha256(TRADERS), TRADERS))
        later = await wire.as_bearer(key).send_json(persisted(sha256(TRADERS)))

    assert (first, limited, later) == (TYPENAME, rate_limited("query", 1, limited), NOT_FOUND)
    assert await upstream.calls() == {}


async def test_a_document_that_does_not_validate_is_not_remembered(wire: Wire) -> None:
    text = "{ noSuchField }"
    invalid = await wire.send_json(persisted(sha256(text), text))
    later = await wire.send_json(persisted(sha256(text)))

    assert (invalid, later) == (INVALID, NOT_FOUND)


def test_documents_add_writes_the_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "typename.graphql"
    document.write_text(QUERY, encoding="utf-8")
    manifest = tmp_path / "trusted.json"

    status = documents_main(["add", str(document), "--manifest", str(manifest)])

    assert (status, capsys.readouterr().out, json.loads(manifest.read_text())) == (
        0,
        f"{DIGEST}  {document}\n",
        {DIGEST: QUERY},
    )


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "trusted.json"
    path.write_text(json.dumps({DIGEST: QUERY, sha256(DEPOSIT): DEPOSIT}), encoding="utf-8")
    return path


async def test_require_mode_runs_a_registered_hash(
    sandbox: Starlette, tmp_path: Path, manifest: Path
) -> None:
    settings = {"trusted_documents": "require", "trusted_documents_file": manifest}
    async with wire_on(sandbox, tmp_path, **settings) as wire:
        answer = await wire.send_json(persisted(DIGEST))

    assert answer == TYPENAME


async def test_require_mode_refuses_any_other_document(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path, manifest: Path
) -> None:
    settings = {"trusted_documents": "require", "trusted_documents_file": manifest}
    async with wire_on(sandbox, tmp_path, **settings) as wire:
        await upstream.reset_calls()
        answer = await wire.post("{ traders(first: 5) { edges { node { login } } } }")

    message = "Only registered documents run here; send a known sha256Hash."
    assert answer == Answer(400, refused("DOCUMENT_NOT_TRUSTED", message))
    assert await upstream.calls() == {}


async def test_require_mode_runs_a_registered_hash_over_get(
    sandbox: Starlette, tmp_path: Path, manifest: Path
) -> None:
    settings = {"trusted_documents": "require", "trusted_documents_file": manifest}
    async with wire_on(sandbox, tmp_path, **settings) as wire:
        answer = await get(wire, extensions=by_hash(DIGEST))

    assert answer == TYPENAME


async def test_require_mode_refuses_a_registered_mutation_over_get(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path, manifest: Path
) -> None:
    settings = {"trusted_documents": "require", "trusted_documents_file": manifest}
    async with wire_on(sandbox, tmp_path, **settings) as wire:
        await upstream.reset_calls()
        answer = await get(wire, extensions=by_hash(sha256(DEPOSIT)))

    assert answer == GET_MUTATION
    assert await upstream.calls() == {}
