"""Request documents and their JSON and XML bodies.

A request body is a `Document`: wire keys to str, int, bool, Decimal, lists and nested documents.
JSON is written by hand so that a `Decimal` amount becomes a JSON number with exactly its digits
(json.dumps would need float, and 0.1 + 0.2 is how money goes wrong). XML follows §12: a root
named after the payload, one child element per key, arrays as repeated elements.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeAlias
from xml.etree.ElementTree import Element, SubElement, tostring

WireValue: TypeAlias = (
    "str | int | bool | Decimal | Sequence[WireValue] | Mapping[str, WireValue] | None"
)
Document: TypeAlias = Mapping[str, WireValue]


def json_body(document: Document) -> bytes:
    return _json(document).encode()


def xml_body(root: str, document: Document) -> bytes:
    element = Element(root)
    _xml_children(element, document)
    body: bytes = tostring(element, encoding="utf-8", xml_declaration=True)
    return body


def _json(value: WireValue) -> str:
    if isinstance(value, bool | str | None):
        return json.dumps(value)
    if isinstance(value, int | Decimal):
        return _number(value)
    if isinstance(value, Mapping):
        pairs = (f"{json.dumps(k)}:{_json(v)}" for k, v in value.items() if v is not None)
        return "{" + ",".join(pairs) + "}"
    return "[" + ",".join(_json(item) for item in value) + "]"


def _number(value: int | Decimal) -> str:
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("only finite amounts go on the wire")
    return str(value) if isinstance(value, int) else format(value, "f")


def _xml_children(parent: Element, document: Document) -> None:
    for key, value in document.items():
        if isinstance(value, Sequence) and not isinstance(value, str):
            for item in value:
                _xml_child(parent, key, item)
        else:
            _xml_child(parent, key, value)


def _xml_child(parent: Element, key: str, value: WireValue) -> None:
    if value is None:
        return
    child = SubElement(parent, key)
    if isinstance(value, Mapping):
        _xml_children(child, value)
    else:
        child.text = _xml_text(value)


def _xml_text(value: WireValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return _number(value)
    if isinstance(value, str):
        return value
    raise TypeError("nested arrays have no XML form")
