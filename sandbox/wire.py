"""The wire: request bodies parsed by Content-Type, responses rendered by Accept (§1.7, §12).

`/v2/webserv` speaks JSON and XML (XML when no Accept or `*/*`); `/cid` and the control API speak
JSON only. XML is parsed with defusedxml, so entity bombs and DTDs are refused; any body that is
malformed, too large or not an object is `INVALID_REQUEST`, never a 500.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # only to *build* XML; parsing goes through defusedxml
from decimal import Decimal
from enum import Enum

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from starlette.requests import Request
from starlette.responses import Response

from sandbox.exceptions import InvalidRequest, RequestFrequencyExceeded, SandboxError
from sandbox.jsonvalue import Json, JsonObject, dumps

JSON_TYPE = "application/json"
XML_TYPE = "application/xml"
CSV_TYPE = "text/csv; charset=utf-8"


class Dialect(Enum):
    WEBSERV = "webserv"  # JSON or XML by negotiation
    JSON = "json"  # /cid and /_sandbox: JSON only


def wants_json(request: Request, dialect: Dialect) -> bool:
    if dialect is Dialect.JSON:
        return True
    accept = request.headers.get("accept", "").lower()
    return "json" in accept


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InvalidRequest(f"Request body larger than {limit} bytes")
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise InvalidRequest(f"Request body larger than {limit} bytes")
    return bytes(data)


def parse_body(raw: bytes, content_type: str, dialect: Dialect) -> JsonObject:
    if not raw.strip():
        return {}
    is_xml = "xml" in content_type.lower() or (not content_type and raw.lstrip().startswith(b"<"))
    if is_xml and dialect is Dialect.JSON:
        raise InvalidRequest("This endpoint accepts JSON only")
    return parse_xml(raw) if is_xml else parse_json(raw)


def parse_json(raw: bytes) -> JsonObject:
    try:
        value = json.loads(raw, parse_float=Decimal)
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise InvalidRequest("Malformed JSON body") from None
    if not isinstance(value, dict):
        raise InvalidRequest("The request body must be a JSON object")
    body: JsonObject = value
    return body


def parse_xml(raw: bytes) -> JsonObject:
    try:
        value = _from_element(SafeET.fromstring(raw, forbid_dtd=True))
    except (ET.ParseError, DefusedXmlException, ValueError, RecursionError):
        raise InvalidRequest("Malformed or forbidden XML body") from None
    return value if isinstance(value, dict) else {}


def _from_element(element: ET.Element) -> Json:
    children = list(element)
    if not children:
        return (element.text or "").strip()
    out: JsonObject = {}
    for child in children:
        value = _from_element(child)
        if child.tag not in out:
            out[child.tag] = value
            continue
        existing = out[child.tag]
        if isinstance(existing, list):  # XML has no arrays but repetition
            existing.append(value)
        else:
            out[child.tag] = [existing, value]
    return out


def to_xml(root: str, payload: JsonObject) -> bytes:
    element = ET.Element(root)
    _fill(element, payload)
    return bytes(ET.tostring(element, encoding="utf-8", xml_declaration=True))


def _fill(element: ET.Element, payload: JsonObject) -> None:
    for key, value in payload.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item is not None:
                _add(element, key, item)


def _add(parent: ET.Element, key: str, value: Json) -> None:
    child = ET.SubElement(parent, key)
    if isinstance(value, dict):
        _fill(child, value)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    else:
        child.text = str(value)


def payload_response(
    request: Request, payload: JsonObject, root: str, dialect: Dialect, status: int = 200
) -> Response:
    if wants_json(request, dialect):
        return Response(dumps(payload), status, media_type=JSON_TYPE)
    return Response(to_xml(root, payload), status, media_type=XML_TYPE)


def json_response(payload: Json, status: int = 200) -> Response:
    return Response(dumps(payload), status, media_type=JSON_TYPE)


def error_payload(code: str, description: str) -> JsonObject:
    return {"error": {"errorCode": code, "description": description}}


def error_response(request: Request, error: SandboxError, dialect: Dialect) -> Response:
    headers: dict[str, str] = {}
    if isinstance(error, RequestFrequencyExceeded):
        headers["Retry-After"] = str(error.retry_after_s)
    if wants_json(request, dialect):
        body = dumps(error_payload(error.code, error.description))
        return Response(body, error.status, headers=headers, media_type=JSON_TYPE)
    inner: JsonObject = {"errorCode": error.code, "description": error.description}
    return Response(to_xml("error", inner), error.status, headers=headers, media_type=XML_TYPE)
