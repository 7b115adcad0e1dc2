"""Trusted documents: automatic persisted queries in open mode, only the manifest's documents in
require mode, and `tradergraph documents add` writing that manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from starlette.applications import Starlette

from limits.cli import documents_main
from tests.resolvers.harness import Upstream
from tests.security.wire import Answer, Wire, refused, wire_on

QUERY = "{ __typename }"
DIGEST = hashlib.sha256(QUERY.encode()).hexdigest()
TYPENAME = Answer(200, {"data": {"__typename": "Query"}})


def persisted(digest: str, query: str | None = None) -> dict[str, object]:
    body: dict[str, object] = {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    }
    return body if query is None else {**body, "query": query}


async def test_an_unknown_hash_asks_the_client_for_the_text(wire: Wire) -> None:
    answer = await wire.send_json(persisted(DIGEST))

    assert answer == Answer(200, refused("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound"))


async def test_a_document_sent_once_with_its_hash_runs_by_hash_after(wire: Wire) -> None:
    first = await wire.send_json(persisted(DIGEST, QUERY))

    second = await wire.send_json(persisted(DIGEST))

    assert (first, second) == (TYPENAME, TYPENAME)


async def test_a_hash_that_is_not_the_texts_is_refused(wire: Wire) -> None:
    answer = await wire.send_json(persisted("0" * 64, QUERY))

    assert answer == Answer(
        400, refused("PERSISTED_QUERY_HASH_MISMATCH", "sha256Hash is not the query's.")
    )


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
    path.write_text(json.dumps({DIGEST: QUERY}), encoding="utf-8")
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
