"""`GET /_sandbox/openapi.json`: an OpenAPI 3.1 document listing every emulated path."""

import httpx
from openapi_spec_validator import OpenAPIV31SpecValidator

from sandbox.urls import CID, WEBSERV


def refs(value: object) -> list[str]:
    if isinstance(value, dict):
        own = [str(value["$ref"])] if "$ref" in value else []
        return own + [r for item in value.values() for r in refs(item)]
    if isinstance(value, list):
        return [r for item in value for r in refs(item)]
    return []


async def document(client: httpx.AsyncClient) -> dict[str, object]:
    response = await client.get("/_sandbox/openapi.json")
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


async def test_it_is_an_openapi_3_1_document(client: httpx.AsyncClient) -> None:
    doc = await document(client)
    assert (doc["openapi"], sorted(doc)) == ("3.1.0", ["components", "info", "openapi", "paths"])


async def test_a_generic_validator_accepts_it(client: httpx.AsyncClient) -> None:
    doc = await document(client)
    assert [error.message for error in OpenAPIV31SpecValidator(doc).iter_errors()] == []


async def test_every_emulated_operation_is_listed(client: httpx.AsyncClient) -> None:
    paths = (await document(client))["paths"]
    assert isinstance(paths, dict)
    listed = {(m.upper(), p) for p, item in paths.items() for m in item}
    routes = {(m, p.replace("{login:int}", "{login}")) for m, p, _ in [*WEBSERV, *CID]}
    assert listed == routes


async def test_every_reference_resolves(client: httpx.AsyncClient) -> None:
    doc = await document(client)
    components = doc["components"]
    assert isinstance(components, dict)
    names = {f"#/components/schemas/{name}" for name in components["schemas"]}
    assert set(refs(doc["paths"])) - names == set()


async def test_operation_ids_are_unique(client: httpx.AsyncClient) -> None:
    paths = (await document(client))["paths"]
    assert isinstance(paths, dict)
    ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(ids) == len(set(ids))
