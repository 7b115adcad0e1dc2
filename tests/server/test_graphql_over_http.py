"""The graphql-http server audits (GraphQL over HTTP), written as pytest cases by their ids.

Each case is one audit of the `graphql-http` package's `serverAudits` (src/audits/server.ts):
the same request, the same expectation. They run against the service in development mode (the
audits ask `__type`, which production refuses as introspection) with the default caller.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from server import create_app
from tests.resolvers.harness import service_settings
from tests.support.lifespan import started
from tests.support.sandbox import SandboxTransport, running_sandbox

GRJ = "application/graphql-response+json"
JSON = "application/json"
TYPENAME = json.dumps({"query": "{ __typename }"})
TYPE_QUERY = "query Type($name: String!) { __type(name: $name) { name } }"
UNKNOWN_FIELD = json.dumps({"query": "{ 8f31403dfe404bccbb0e835f2629c6a7 }"})
COERCE = json.dumps(
    {"query": "query CoerceFailure($id: ID!){ __typename }", "variables": {"id": None}}
)


@dataclass(frozen=True)
class Audit:
    id: str
    body: str | None = TYPENAME
    accept: str | None = None
    content_type: str | None = JSON
    method: str = "POST"
    params: dict[str, str] = field(default_factory=dict)
    status: tuple[int, int] = (200, 200)
    media_type: str | None = None
    no_errors: bool = False
    no_data: bool = False


def _post(
    id: str,
    payload: object,
    accept: str | None = None,
    *,
    status: tuple[int, int] = (200, 200),
    no_errors: bool = False,
    no_data: bool = False,
) -> Audit:
    return Audit(
        id, json.dumps(payload), accept, status=status, no_errors=no_errors, no_data=no_data
    )


BAD = (400, 400)
AUDITS = [
    Audit("22EB", accept=GRJ, media_type=GRJ),
    Audit("4655", accept=JSON, media_type=JSON),
    Audit("47DE", accept="*/*", media_type=JSON),
    Audit("80D8", media_type=JSON),
    Audit("82A3"),
    _post("BF61", {"query": '{ __type(name: "Run🏃Swim🏊") { name } }'}),
    Audit("78D5"),
    Audit("2C94"),
    Audit("5A70", method="GET", body=None, content_type=None, params={"query": "{ __typename }"}),
    Audit(
        "9C48",
        method="GET",
        body=None,
        content_type=None,
        accept=GRJ,
        params={"query": "mutation { __typename }"},
        status=(400, 499),
    ),
    Audit("9ABE", content_type=None, status=(400, 499)),
    Audit("03D4"),
    Audit("A5BF", body=None, status=(400, 400)),
    _post("423L", {"notquery": "{ __typename }"}, GRJ, status=BAD),
    *[
        _post(f"LKJ{i}", {"query": bad}, status=BAD)
        for i, bad in enumerate([{"obj": "ect"}, 0, False, ["array"]])
    ],
    Audit("34A2", accept=GRJ),
    Audit("13EE", accept=JSON, no_errors=True),
    *[
        _post(f"6C0{i}", {"operationName": bad, "query": "{ __typename }"}, status=BAD)
        for i, bad in enumerate([{"obj": "ect"}, 0, False, ["array"]])
    ],
    _post("8161", {"operationName": "Query", "query": "query Query { __typename }"}, GRJ),
    _post(
        "B8B3",
        {"operationName": "Query", "query": "query Query { __typename }"},
        JSON,
        no_errors=True,
    ),
    *[
        _post(f"94B{i}", {"query": "{ __typename }", name: None}, GRJ, no_errors=True)
        for i, name in enumerate(["variables", "operationName", "extensions"])
    ],
    *[
        _post(f"022{i}", {"query": "{ __typename }", name: None}, JSON, no_errors=True)
        for i, name in enumerate(["variables", "operationName", "extensions"])
    ],
    *[
        _post(f"476{i}", {"query": "{ __typename }", "variables": bad}, status=BAD)
        for i, bad in enumerate(["string", 0, False, ["array"]])
    ],
    _post("2EA1", {"query": TYPE_QUERY, "variables": {"name": "sometype"}}, GRJ),
    _post("28B9", {"query": TYPE_QUERY, "variables": {"name": "sometype"}}, JSON, no_errors=True),
    Audit(
        "D6D5",
        method="GET",
        body=None,
        content_type=None,
        accept=GRJ,
        params={"query": TYPE_QUERY, "variables": json.dumps({"name": "sometype"})},
        no_errors=True,
    ),
    Audit(
        "6A70",
        method="GET",
        body=None,
        content_type=None,
        accept=JSON,
        params={"query": TYPE_QUERY, "variables": json.dumps({"name": "sometype"})},
        no_errors=True,
    ),
    *[
        _post(f"58B{i}", {"query": "{ __typename }", "extensions": bad}, status=BAD)
        for i, bad in enumerate(["string", 0, False, ["array"]])
    ],
    _post("428F", {"query": "{ __typename }", "extensions": {"some": "value"}}, GRJ),
    _post(
        "1B7A",
        {"query": "{ __typename }", "extensions": {"some": "value"}},
        JSON,
        no_errors=True,
    ),
    Audit("B6DC", body='{ "not a JSON', accept=JSON, status=(200, 599)),
    Audit("BCF8", body='{ "not a JSON', accept=JSON, status=(400, 400)),
    Audit("B7N8", body='{ "not a JSON', accept=GRJ, status=(400, 400)),
    _post("8764", {"qeury": "{ __typename }"}, status=(400, 599)),
    _post("3E3A", {"qeury": "{ __typename }"}, status=BAD),
    _post("572B", {"query": "{"}, JSON),
    Audit("FDE2", body=UNKNOWN_FIELD, accept=JSON),
    Audit("7B9B", body=COERCE, accept=JSON),
    _post("865D", {"query": "{"}, GRJ, status=(400, 599)),
    _post("556A", {"query": "{"}, GRJ, status=BAD),
    _post("D586", {"query": "{"}, GRJ, status=(400, 400), no_data=True),
    Audit("51FE", body=UNKNOWN_FIELD, accept=GRJ, status=(400, 599)),
    Audit("74FF", body=UNKNOWN_FIELD, accept=GRJ, status=(400, 400)),
    Audit("5E5B", body=UNKNOWN_FIELD, accept=GRJ, status=(400, 400), no_data=True),
    Audit("86EE", body=COERCE, accept=GRJ, status=(400, 400)),
]


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = service_settings(tmp_path, mode="development")
    async with running_sandbox() as (sandbox, _):
        app: Starlette = create_app(settings, upstream_transport=SandboxTransport(sandbox))
        async with started(app) as served:
            transport = httpx.ASGITransport(app=served)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                yield http


async def send(http: httpx.AsyncClient, audit: Audit) -> httpx.Response:
    headers = {}
    if audit.accept is not None:
        headers["Accept"] = audit.accept
    if audit.content_type is not None:
        headers["Content-Type"] = audit.content_type
    content = audit.body.encode() if audit.body is not None else None
    return await http.request(
        audit.method, "/graphql", params=audit.params, content=content, headers=headers
    )


@pytest.mark.parametrize("audit", AUDITS, ids=[audit.id for audit in AUDITS])
async def test_graphql_http_server_audit(service: httpx.AsyncClient, audit: Audit) -> None:
    response = await send(service, audit)

    low, high = audit.status
    assert low <= response.status_code <= high, (response.status_code, response.text)
    body = response.content.decode("utf-8")  # 82A3: the answer is UTF-8
    if audit.media_type is not None:
        assert audit.media_type in response.headers["content-type"]
    if audit.no_errors:
        assert "errors" not in json.loads(body), body
    if audit.no_data:
        assert "data" not in json.loads(body), body
