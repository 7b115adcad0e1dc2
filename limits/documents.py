"""Trusted documents: persisted queries by SHA-256, and automatic persisted queries (APQ).

A request may name its document by hash, Apollo's way:
`{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}}`, with or without the
`query` text. This ASGI layer resolves the hash to the text before GraphQL sees the request.

- `open` mode (the default): any document runs. A request carrying both the text and its hash
  registers the text (APQ, in this process's memory, up to `MAX_REMEMBERED` documents); later
  requests may send the hash alone. An unknown hash alone is `PERSISTED_QUERY_NOT_FOUND`, the
  signal for an APQ client to resend with the text.
- `require` mode: only the documents of the manifest run (`trusted_documents_file`, a JSON object
  `{"<sha256 hex>": "<document>"}`, written by `tradergraph documents add`). Anything else, text
  or hash, is `DOCUMENT_NOT_TRUSTED`.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.datastructures import QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from limits.codes import HttpRefusal
from limits.http import refuse, replay

MAX_REMEMBERED = 10_000
NOT_FOUND = HttpRefusal(200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
NOT_TRUSTED = HttpRefusal(
    400, "DOCUMENT_NOT_TRUSTED", "Only registered documents run here; send a known sha256Hash."
)
HASH_MISMATCH = HttpRefusal(400, "PERSISTED_QUERY_HASH_MISMATCH", "sha256Hash is not the query's.")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def read_manifest(path: Path | None) -> dict[str, str]:
    """The manifest's documents by hash, each hash checked against its text."""
    if path is None:
        return {}
    loaded = json.loads(path.read_text(encoding="utf-8"))
    documents = {str(k): str(v) for k, v in loaded.items()}
    wrong = [key for key, text in documents.items() if sha256(text) != key]
    if wrong:
        raise ValueError(f"{path}: hashes that are not their document's: {wrong}")
    return documents


class TrustedDocuments:
    def __init__(self, app: ASGIApp, *, require: bool, manifest: dict[str, str]) -> None:
        self._app, self._require, self._manifest = app, require, manifest
        self._remembered: OrderedDict[str, str] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in {"GET", "POST"}:
            await self._app(scope, receive, send)
            return
        if scope["method"] == "GET":
            await self._get(scope, receive, send)
            return
        body = b"".join([m.get("body", b"") async for m in _messages(receive)])
        resolved = self._resolve(body)
        if isinstance(resolved, HttpRefusal):
            await refuse(resolved, scope, receive, send)
            return
        await self._app(scope, replay(resolved), send)

    async def _get(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = QueryParams(scope.get("query_string", b"")).get("query")
        if self._require and query is not None and sha256(query) not in self._manifest:
            await refuse(NOT_TRUSTED, scope, receive, send)
            return
        await self._app(scope, receive, send)

    def _resolve(self, body: bytes) -> bytes | HttpRefusal:
        """The body with its document's text in `query`, or why it may not run."""
        try:
            payload = json.loads(body)
        except ValueError:
            return body  # GraphQL says what is wrong with it
        if not isinstance(payload, dict):
            return body
        query, digest = payload.get("query"), _hash(payload)
        if self._require:
            return self._required(payload, query, digest)
        if digest is None:
            return body
        return self._automatic(payload, query, digest)

    def _required(
        self, payload: dict[str, object], query: object, digest: str | None
    ) -> bytes | HttpRefusal:
        key = sha256(query) if isinstance(query, str) else digest
        if key is None or key not in self._manifest:
            return NOT_TRUSTED
        return json.dumps({**payload, "query": self._manifest[key]}).encode()

    def _automatic(
        self, payload: dict[str, object], query: object, digest: str
    ) -> bytes | HttpRefusal:
        if isinstance(query, str):
            if sha256(query) != digest:
                return HASH_MISMATCH
            self._remember(digest, query)
            return json.dumps(payload).encode()
        known = self._manifest.get(digest) or self._remembered.get(digest)
        if known is None:
            return NOT_FOUND
        return json.dumps({**payload, "query": known}).encode()

    def _remember(self, digest: str, query: str) -> None:
        self._remembered[digest] = query
        self._remembered.move_to_end(digest)
        while len(self._remembered) > MAX_REMEMBERED:
            self._remembered.popitem(last=False)


def _hash(payload: dict[str, object]) -> str | None:
    extensions = payload.get("extensions")
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    return digest if isinstance(digest, str) else None


async def _messages(receive: Receive) -> AsyncIterator[Message]:
    more = True
    while more:
        message = await receive()
        yield message
        more = bool(message.get("more_body", False))
