"""What a GraphQL request over HTTP says, read once: `Params` from a POST body or a GET's query.

A POST body is read at most `max_body_bytes` long (refused while it is read, never buffered
whole), decoded as UTF-8 once and parsed as JSON once; JSON nested deeper than `max_json_depth`
(objects and arrays, variables included) is refused before the parser sees it, so no recursion
in the parser, GraphQL's variable coercion or our own walks can run away. GET's `variables` and
`extensions` are JSON text and go through the same bound. Every refusal is `Refused`, a 4xx with
a code (`limits/codes.py`): nothing here ever answers a plain-text error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TypeVar

from starlette.datastructures import Headers, QueryParams
from starlette.types import Receive

from limits.codes import HttpRefusal, Refused

TOO_LARGE = HttpRefusal(413, "REQUEST_TOO_LARGE", "The request body is too large.")
NOT_UTF8 = HttpRefusal(400, "INVALID_ENCODING", "The request body is not valid UTF-8.")
NOT_JSON = HttpRefusal(400, "INVALID_JSON", "The request body is not valid JSON.")
BATCH = HttpRefusal(400, "BATCHING_DISABLED", "Send one operation per request, not an array.")
NOT_OBJECT = HttpRefusal(400, "INVALID_REQUEST", "The request body must be a JSON object.")
NO_QUERY = HttpRefusal(
    400, "MISSING_QUERY", "The request has no GraphQL document: send `query` (or a known hash)."
)

T = TypeVar("T")
_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def too_deep(limit: int) -> HttpRefusal:
    message = f"The JSON is nested more than {limit} levels deep."
    return HttpRefusal(400, "JSON_TOO_DEEP", message, extensions={"limit": limit})


def invalid(parameter: str, expected: str) -> HttpRefusal:
    message = f"The request's `{parameter}` must be {expected}."
    return HttpRefusal(400, "INVALID_REQUEST", message)


@dataclass(frozen=True)
class Params:
    """The four parameters of a GraphQL request, each checked for its JSON type."""

    query: str | None
    operation_name: str | None
    variables: dict[str, object] | None
    extensions: dict[str, object] | None


async def read_body(receive: Receive, limit: int, headers: Headers) -> bytes:
    """The whole body, refused as soon as it is known to exceed `limit` bytes."""
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refused(TOO_LARGE)
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise Refused(TOO_LARGE)
        chunks.append(chunk)
        more = bool(message.get("more_body", False))
    return b"".join(chunks)


def depth_of(raw: bytes) -> int:
    """How deep the JSON's arrays and objects nest, strings (and their brackets) left out."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub(b'""', raw)):
        depth += 1 if bracket in (b"[", b"{") else -1
        deepest = max(deepest, depth)
    return deepest


def load_json(raw: bytes, max_depth: int) -> object:
    """`raw` decoded as UTF-8 and parsed as JSON, each once, with its nesting bounded."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(NOT_UTF8) from None
    brackets = raw.count(b"[") + raw.count(b"{")  # no deeper than it has openings: skip the scan
    if brackets > max_depth and depth_of(raw) > max_depth:
        raise Refused(too_deep(max_depth))
    try:
        return json.loads(text)
    except ValueError:
        raise Refused(NOT_JSON) from None


def message_json(data: str | bytes, max_bytes: int, max_depth: int) -> object:
    """A websocket message, under the body's bounds; `JSONDecodeError` when past one of them, so
    the websocket protocol closes the socket as it does for any message that is not JSON."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if len(raw) > max_bytes:
            raise Refused(TOO_LARGE)
        return load_json(raw, max_depth)
    except Refused as refused:
        raise json.JSONDecodeError(refused.refusal.message, "", 0) from None


def post_params(raw: bytes, max_depth: int) -> Params:
    payload = load_json(raw, max_depth)
    if isinstance(payload, list):
        raise Refused(BATCH)
    if not isinstance(payload, dict):
        raise Refused(NOT_OBJECT)
    return _params(payload)


def get_params(query_string: bytes, max_depth: int) -> Params:
    params = QueryParams(query_string)
    payload: dict[str, object] = {
        "query": params.get("query"),
        "operationName": params.get("operationName"),
    }
    for name in ("variables", "extensions"):
        text = params.get(name)
        payload[name] = None if text in (None, "") else _json_parameter(name, text, max_depth)
    return _params(payload)


def _json_parameter(name: str, text: str, max_depth: int) -> object:
    try:
        return load_json(text.encode("utf-8"), max_depth)
    except Refused as refused:
        if refused.refusal.code == "INVALID_JSON":
            raise Refused(invalid(name, "a JSON object")) from None
        raise


def _params(payload: dict[str, object]) -> Params:
    return Params(
        query=_typed(payload, "query", str, "a string"),
        operation_name=_typed(payload, "operationName", str, "a string"),
        variables=_typed(payload, "variables", dict, "an object"),
        extensions=_typed(payload, "extensions", dict, "an object"),
    )


def _typed(payload: dict[str, object], name: str, kind: type[T], expected: str) -> T | None:
    value = payload.get(name)
    if value is None or isinstance(value, kind):
        return value
    raise Refused(invalid(name, f"{expected} or null"))
