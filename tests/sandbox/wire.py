"""How the emulated WebServices API writes things on the wire, for tests to send and read.

Paths (`WEBSERV`, `TRADERS`) and `Accept` headers, MD5 password digests (§1.2), JSON bodies with
exact Decimal literals (`to_json`), XML request bodies (`to_xml`), XML answers parsed into plain
values (`xml_value`), what a JSON value looks like once written as XML (`as_xml_text`, §12), and
a response's media type.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

import httpx
from defusedxml import ElementTree

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

Json = dict[str, object]

WEBSERV = "/v2/webserv"
TRADERS = f"{WEBSERV}/traders"
ACCEPT_JSON = {"Accept": "application/json"}
ACCEPT_XML = {"Accept": "application/xml"}


def md5(text: str) -> str:
    """Passwords travel as lowercase MD5 hex digests (§1.2)."""
    return hashlib.md5(text.encode()).hexdigest()


def media_type(response: httpx.Response) -> str:
    return str(response.headers.get("content-type", "")).split(";")[0].strip()


def to_json(value: object) -> str:
    """JSON text where a Decimal is written as an exact number literal (never through a float)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, dict):
        return "{" + ",".join(f"{to_json(str(k))}:{to_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(to_json(item) for item in value) + "]"
    if isinstance(value, str | int):
        return json.dumps(value)
    raise TypeError(f"not JSON: {value!r}")


def to_xml(root: str, value: Mapping[str, object]) -> str:
    """An XML request body: elements named after the JSON keys, arrays as repeated elements."""
    return f"<{root}>{_xml_children(value)}</{root}>"


def _xml_children(value: Mapping[str, object]) -> str:
    parts: list[str] = []
    for key, item in value.items():
        for element in item if isinstance(item, list) else [item]:
            parts.append(f"<{key}>{_xml_text(element)}</{key}>")
    return "".join(parts)


def _xml_text(value: object) -> str:
    if isinstance(value, Mapping):
        return _xml_children(value)
    return _xml_leaf(value)


def _xml_leaf(value: object) -> str:
    """A scalar as XML text: `true`/`false` for booleans, markup characters escaped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_value(text: str | bytes, arrays: frozenset[str] = frozenset()) -> tuple[str, object]:
    """Parse an XML payload into (root name, value): elements become dicts, leaves text, and the
    element names in `arrays` lists (§12: arrays repeat the element with the key's name)."""
    root = ElementTree.fromstring(text)
    return root.tag, _element_value(root, arrays)


def _element_value(element: Element, arrays: frozenset[str]) -> object:
    children = list(element)
    if not children:
        return element.text or ""
    value: Json = {}
    for child in children:
        item = _element_value(child, arrays)
        if child.tag in arrays:
            existing = value.setdefault(child.tag, [])
            assert isinstance(existing, list)
            existing.append(item)
        else:
            assert child.tag not in value, f"repeated element {child.tag}"
            value[child.tag] = item
    return value


def as_xml_text(value: object) -> object:
    """What a JSON value looks like once written as XML (§12): text leaves, `true`/`false`, no
    element for null or for an empty array, and an empty element for an empty object."""
    if isinstance(value, dict):
        kept = {k: as_xml_text(v) for k, v in value.items() if v is not None and v != []}
        return kept or ""
    if isinstance(value, list):
        return [as_xml_text(item) for item in value]
    return _xml_leaf(value)
