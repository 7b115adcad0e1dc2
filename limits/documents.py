"""Trusted documents: persisted queries by SHA-256, and automatic persisted queries (APQ).

A request may name its document by hash, Apollo's way: over POST,
`{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}}`, with or without the
`query` text; over GET, the same object as the `extensions` parameter
(`GET /graphql?extensions=...&variables=...`). The front door's stage (`limits/stage.py`) asks
`Documents.text_of` for the text to run before it identifies the caller and parses, so a
document named by hash goes through every check a text does (GET mutations, the caller gate,
the token cap, the rates).

- `open` mode (the default): any document runs. A request carrying both the text and its hash
  registers the text (APQ) once GraphQL admitted its operation (`limits/admission.py`): a
  request refused at the door (401, 405...), by validation or by a limit registers nothing; a
  text over `apq_max_document_bytes` is refused with `PERSISTED_QUERY_TOO_LARGE`. Later requests
  may send the hash alone. An unknown hash alone is `PERSISTED_QUERY_NOT_FOUND`, the signal for
  an APQ client to resend with the text. Where the registered documents live (this process, or
  Redis for every replica) is `limits/apq.py`.
- `require` mode: only the documents of the manifest run (`trusted_documents_file`, a JSON object
  `{"<sha256 hex>": "<document>"}`, written by `tradergraph documents add`). Anything else, text
  or hash, is `DOCUMENT_NOT_TRUSTED`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from limits.apq import ApqStore
from limits.body import NO_QUERY, Params
from limits.codes import HttpRefusal, Refused
from settings.limits import LimitSettings

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
    """The text a request runs, and the hash to register it under once admitted, if any."""

    text: str
    register: str | None = None


class Documents:
    def __init__(self, settings: LimitSettings, store: ApqStore) -> None:
        self._store = store
        self._require = settings.trusted_documents == "require"
        self._manifest = read_manifest(settings.trusted_documents_file)
        self._max_bytes = settings.apq_max_document_bytes

    async def text_of(self, params: Params) -> Resolved:
        """The document `params` asks to run; `Refused` when there is none it may run."""
        query, digest = params.query, _digest(params.extensions)
        if self._require:
            return self._required(query, digest)
        if digest is None:
            if query is None:
                raise Refused(NO_QUERY)
            return Resolved(query)
        if query is not None:
            return self._registering(query, digest)
        known = self._manifest.get(digest) or await self._store.get(digest)
        if known is None:
            raise Refused(NOT_FOUND)
        return Resolved(known)

    async def admitted(self, digest: str, text: str) -> None:
        """Remember a registering request's text, now that GraphQL admitted its operation."""
        await self._store.put(digest, text)

    def _required(self, query: str | None, digest: str | None) -> Resolved:
        key = sha256(query) if query is not None else digest
        if key is None or key not in self._manifest:
            raise Refused(NOT_TRUSTED)
        return Resolved(self._manifest[key])

    def _registering(self, query: str, digest: str) -> Resolved:
        if len(query.encode()) > self._max_bytes:
            raise Refused(too_large(self._max_bytes))
        if sha256(query) != digest:
            raise Refused(HASH_MISMATCH)
        return Resolved(query, None if digest in self._manifest else digest)


def _digest(extensions: dict[str, object] | None) -> str | None:
    persisted = extensions.get("persistedQuery") if extensions is not None else None
    digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    return digest if isinstance(digest, str) else None
