"""Trusted documents: persisted queries by SHA-256, and automatic persisted queries (APQ).

A request may name its document by hash, Apollo's way: over POST,
`{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}}`, with or without the
`query` text; over GET, the same object as the `extensions` parameter
(`GET /graphql?extensions=...&variables=...`). This ASGI layer resolves the hash to the text before
the caller gate and GraphQL see the request (over GET it adds the `query` parameter).

- `open` mode (the default): any document runs. A request carrying both the text and its hash
  registers the text (APQ) once the service answers it with 200 and GraphQL admitted its operation
  (`limits/admission.py`), so a request refused before GraphQL (401, 405...), by validation or by
  the rate limit registers nothing; a text over `apq_max_document_bytes` is refused with
  `PERSISTED_QUERY_TOO_LARGE`. Later requests may send the hash alone. An unknown hash alone is
  `PERSISTED_QUERY_NOT_FOUND`, the signal for an APQ client to resend with the text. Where the
  registered documents live (this process, or Redis for every replica) is `limits/apq.py`.
- `require` mode: only the documents of the manifest run (`trusted_documents_file`, a JSON object
  `{"<sha256 hex>": "<document>"}`, written by `tradergraph documents add`). Anything else, text
  or hash, is `DOCUMENT_NOT_TRUSTED`.

Over GET a document named by hash is still only a query: a mutation is `MUTATION_OVER_GET`, as
when its text is sent (limits/http.py refuses those before this layer).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from limits.admission import awaiting_admission
from limits.apq import ApqStore
from limits.codes import HttpRefusal
from limits.http import GET_MUTATION, is_mutation, refuse, replay
from limits.settings import LimitSettings

NOT_FOUND = HttpRefusal(200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
NOT_TRUSTED = HttpRefusal(
    400, "DOCUMENT_NOT_TRUSTED", "Only registered documents run here; send a known sha256Hash."
)
HASH_MISMATCH = HttpRefusal(400, "PERSISTED_QUERY_HASH_MISMATCH", "sha256Hash is not the query's.")


def too_large(limit: int) -> HttpRefusal:
    message = f"Documents over {limit} bytes are not persisted; send this one without its hash."
    return HttpRefusal(413, "PERSISTED_QUERY_TOO_LARGE", message)


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


@dataclass(frozen=True)
class Resolved:
    """What a request runs: `text` when it named its document by hash alone (else the `query`
    it sent), and the hash to register under once the service answers 200, if any."""

    text: str | None = None
    register: str | None = None


class TrustedDocuments:
    def __init__(self, app: ASGIApp, settings: LimitSettings, store: ApqStore) -> None:
        self._app, self._store = app, store
        self._require = settings.trusted_documents == "require"
        self._manifest = read_manifest(settings.trusted_documents_file)
        self._max_bytes, self._max_tokens = settings.apq_max_document_bytes, settings.max_tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in {"GET", "POST"}:
            await self._app(scope, receive, send)
            return
        if scope["method"] == "GET":
            await self._get(scope, receive, send)
            return
        await self._post(scope, receive, send)

    async def _post(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b"".join([m.get("body", b"") async for m in _messages(receive)])
        payload = _json_object(body)
        if payload is None:  # GraphQL says what is wrong with it
            await self._app(scope, replay(body), send)
            return
        query = payload.get("query")
        resolved = await self._resolve(query, _digest(payload.get("extensions")))
        if isinstance(resolved, HttpRefusal):
            await refuse(resolved, scope, receive, send)
            return
        if resolved.text is not None:
            body = json.dumps({**payload, "query": resolved.text}).encode()
        answering = self._answering(scope, send, query, resolved.register)
        await self._app(scope, replay(body), answering)

    async def _get(self, scope: Scope, receive: Receive, send: Send) -> None:
        params = QueryParams(scope.get("query_string", b""))
        query, digest = params.get("query"), _digest(_json(params.get("extensions")))
        if query is None and digest is None:  # the GraphiQL page, or GraphQL's own refusal
            await self._app(scope, receive, send)
            return
        resolved = await self._resolve(query, digest)
        if isinstance(resolved, HttpRefusal):
            await refuse(resolved, scope, receive, send)
            return
        if resolved.text is not None:
            if is_mutation(resolved.text, params.get("operationName"), self._max_tokens):
                await refuse(GET_MUTATION, scope, receive, send)
                return
            scope = {**scope, "query_string": _with_query(scope, resolved.text)}
        await self._app(scope, receive, self._answering(scope, send, query, resolved.register))

    async def _resolve(self, query: object, digest: str | None) -> Resolved | HttpRefusal:
        if self._require:
            return self._required(query, digest)
        if digest is None:
            return Resolved()
        if isinstance(query, str):
            return self._registering(query, digest)
        known = self._manifest.get(digest) or await self._store.get(digest)
        return NOT_FOUND if known is None else Resolved(text=known)

    def _required(self, query: object, digest: str | None) -> Resolved | HttpRefusal:
        key = sha256(query) if isinstance(query, str) else digest
        if key is None or key not in self._manifest:
            return NOT_TRUSTED
        return Resolved() if isinstance(query, str) else Resolved(text=self._manifest[key])

    def _registering(self, query: str, digest: str) -> Resolved | HttpRefusal:
        if len(query.encode()) > self._max_bytes:
            return too_large(self._max_bytes)
        if sha256(query) != digest:
            return HASH_MISMATCH
        return Resolved(register=None if digest in self._manifest else digest)

    def _answering(self, scope: Scope, send: Send, query: object, register: str | None) -> Send:
        """`send`, registering `query` under `register` just before a 200 answer starts (so the
        client cannot send the hash alone before the document is remembered), and only when its
        operation was admitted (`limits/admission.py`)."""
        if register is None or not isinstance(query, str):
            return send
        admission = awaiting_admission(scope)

        async def answering(message: Message) -> None:
            started = message["type"] == "http.response.start" and message["status"] == 200
            if started and admission.admitted:
                await self._store.put(register, query)
            await send(message)

        return answering


def _json(text: str | bytes | None) -> object:
    try:
        return None if text is None else json.loads(text)
    except ValueError:  # GraphQL says what is wrong with it
        return None


def _json_object(body: bytes) -> dict[str, object] | None:
    payload = _json(body)
    return payload if isinstance(payload, dict) else None


def _digest(extensions: object) -> str | None:
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    return digest if isinstance(digest, str) else None


def _with_query(scope: Scope, text: str) -> bytes:
    """The request's query string with `query=<text>` added, as a GET naming its text sends it."""
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    return urlencode([*pairs, ("query", text)]).encode("ascii")


async def _messages(receive: Receive) -> AsyncIterator[Message]:
    more = True
    while more:
        message = await receive()
        yield message
        more = bool(message.get("more_body", False))
