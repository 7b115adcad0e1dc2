"""`Call`: one upstream request described without HTTP details, and how it is negotiated.

The path is kept as a template (`/v2/webserv/traders/{login}`) because that, not the URL, is what
errors, logs and the call-count hook show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from upstream.enums import WireFormat
from upstream.wire import Document, json_body, xml_body


class Answer(StrEnum):
    """What the call answers: a document (JSON or XML), a CSV grid, or nothing worth reading."""

    DOCUMENT = "document"
    GRID = "grid"
    NOTHING = "nothing"


@dataclass(frozen=True, slots=True)
class Call:
    method: str
    template: str
    params: Mapping[str, int] = field(default_factory=dict)
    query: tuple[tuple[str, str], ...] = ()
    body: Document | None = None
    root: str = ""
    """The XML root element of the body, named after the payload (§12)."""
    answer: Answer = Answer.DOCUMENT
    json_only: bool = False
    """`/cid` calls speak JSON whatever the configured wire format."""
    read: bool | None = None
    """Safe to repeat; None means "when the method is GET"."""
    authenticated: bool = True

    @property
    def path(self) -> str:
        return self.template.format_map(self.params)

    @property
    def is_read(self) -> bool:
        return self.method == "GET" if self.read is None else self.read


def media_type(call: Call, wire_format: WireFormat) -> str:
    if call.json_only or wire_format is WireFormat.JSON:
        return "application/json"
    return "application/xml"


def headers(call: Call, wire_format: WireFormat) -> dict[str, str]:
    media = media_type(call, wire_format)
    accept = "text/csv" if call.answer is Answer.GRID else media
    return {"Accept": accept} | ({"Content-Type": media} if call.body is not None else {})


def content(call: Call, wire_format: WireFormat) -> bytes | None:
    if call.body is None:
        return None
    if media_type(call, wire_format) == "application/json":
        return json_body(call.body)
    return xml_body(call.root, call.body)
