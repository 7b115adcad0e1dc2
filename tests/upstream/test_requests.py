"""An upstream request built by `RequestForm` is the one `httpx.AsyncClient.build_request` makes."""

from __future__ import annotations

import httpx
import pytest

from upstream.requests import RequestForm

Query = list[tuple[str, str | int | float | bool | None]]
CLIENT = httpx.AsyncClient(
    base_url="http://127.0.0.1:8080/crm",
    headers={"User-Agent": "tradergraph-upstream"},
    timeout=httpx.Timeout(connect=3.0, read=10.0, write=10.0, pool=5.0),
)
JSON = {"Accept": "application/json", "Content-Type": "application/json"}


def seen(request: httpx.Request) -> tuple[object, ...]:
    return (
        request.method,
        str(request.url),
        request.url.raw_path,
        list(request.headers.raw),
        request.content,
        request.extensions,
    )


@pytest.mark.parametrize(
    ("method", "path", "query", "content", "headers"),
    [
        ("GET", "/v2/webserv/traders/1234", [("token", "t-1")], None, {"Accept": "text/csv"}),
        ("POST", "/v2/webserv/traders/1/changebalance", [("token", "a+b/c")], b"{}", JSON),
        (
            "GET",
            "/v2/webserv/traders/",
            [("from", "2024-01-01T00:00:00.000"), ("fields", "login,balance"), ("token", "é %")],
            None,
            {"Accept": "application/xml"},
        ),
        ("POST", "/v2/webserv/managers/token", [], b"<x/>", {"Accept": "application/xml"}),
    ],
)
def test_a_formed_request_is_the_one_httpx_builds(
    method: str,
    path: str,
    query: Query,
    content: bytes | None,
    headers: dict[str, str],
) -> None:
    built = CLIENT.build_request(method, path, params=query, content=content, headers=headers)
    text_query = [(name, str(value)) for name, value in query]
    formed = RequestForm.of(CLIENT).request(method, path, text_query, content, headers)
    assert seen(formed) == seen(built)


def test_a_base_url_without_a_path_gets_its_slash() -> None:
    bare = httpx.AsyncClient(base_url="https://upstream.example:8443")
    formed = RequestForm.of(bare).request("GET", "/v2/webserv/traders", [], None, {})
    built = bare.build_request("GET", "/v2/webserv/traders")
    assert (str(formed.url), seen(formed)) == (
        "https://upstream.example:8443/v2/webserv/traders",
        seen(built),
    )
