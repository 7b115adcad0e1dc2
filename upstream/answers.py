"""Reading what came back: error bodies into the error tree, documents into `Fields`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from upstream.calls import Call
from upstream.errors import MalformedResponse, UnreadableWriteAnswer, UpstreamError, error_for
from upstream.fields import Fields, ShapeError
from upstream.parsing import parse_json, parse_xml


def document(response: httpx.Response, expected: str = "application/json") -> Fields:
    """The body as `Fields`, by its Content-Type, else as `expected` (XML roots are dropped)."""
    return body_fields(response.headers.get("content-type", ""), response.content, expected)


def body_fields(declared: str, content: bytes, expected: str) -> Fields:
    """`content` as `Fields`, read as its declared Content-Type says, else as `expected`."""
    if "xml" in declared or ("json" not in declared and "xml" in expected):
        return parse_xml(content)[1]
    return parse_json(content)


@contextmanager
def malformed_as(call: Call) -> Iterator[None]:
    """Turn a `ShapeError` raised while reading `call`'s answer into `MalformedResponse`.

    For a write the answer was a success, so the change was applied and only its result is
    lost: that is `UnreadableWriteAnswer`, which is also an `OutcomeUnknown`.
    """
    try:
        yield
    except ShapeError as exc:
        raise malformed(call, exc) from None


def malformed(call: Call, exc: ShapeError) -> MalformedResponse | UnreadableWriteAnswer:
    """What `malformed_as` raises for `exc` (for a loop that cannot afford a `with` per item)."""
    kind = MalformedResponse if call.is_read else UnreadableWriteAnswer
    return kind(f"malformed answer: {exc}", method=call.method, path=call.template)


def rejection(
    call: Call, response: httpx.Response, token: str | None, expected: str
) -> UpstreamError:
    code, description = error_body(response, expected)
    if token:
        description = description.replace(token, "***")
    return error_for(
        response.status_code,
        code,
        description,
        method=call.method,
        path=call.template,
        retry_after=retry_after(response.headers.get("retry-after")),
    )


def error_body(response: httpx.Response, expected: str) -> tuple[str, str]:
    """(errorCode, description) from `{"error": {...}}`, `<error>`, or `CODE: text`."""
    try:
        f = document(response, expected)
        f = f.record("error") if f.has("error") else f
        return f.text("errorCode"), f.opt_text("description") or ""
    except ShapeError:
        return _plain_error(response)


def _plain_error(response: httpx.Response) -> tuple[str, str]:
    text = response.text.strip()
    code, sep, rest = text.partition(":")
    if sep and code.isupper() and " " not in code:
        return code, rest.strip()
    return "", f"upstream answered {response.status_code} without an error body"


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, from either of its forms (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())
