"""Response bodies into `Fields`: JSON with exact numbers, XML with defusedxml.

Parsers' own exceptions never leave this module: a body that does not parse raises `ShapeError`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from upstream.fields import Fields, ShapeError


def parse_json(body: bytes) -> Fields:
    """Floats are read as Decimal, so a JSON 0.1 stays 0.1."""
    try:
        value = json.loads(body, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise ShapeError("the body is not JSON") from None
    if not isinstance(value, dict):
        raise ShapeError("the JSON body is not an object")
    return Fields(value)


def parse_xml(body: bytes) -> tuple[str, Fields]:
    """The root element's name and its children as a document (see `Fields` for arrays)."""
    try:
        root = fromstring(body)
    except (ParseError, DefusedXmlException, ValueError):
        raise ShapeError("the body is not well-formed XML") from None
    value = _element(root)
    return root.tag, Fields(value if isinstance(value, dict) else {})


def _element(element: Element) -> object:
    """Text for a leaf, a document otherwise; XML has no other lists than repeated elements."""
    children = list(element)
    if not children:
        return element.text or ""
    document: dict[str, object] = {}
    for child in children:
        value = _element(child)
        if child.tag not in document:
            document[child.tag] = value
            continue
        previous = document[child.tag]
        if isinstance(previous, list):
            previous.append(value)
        else:
            document[child.tag] = [previous, value]
    return document
