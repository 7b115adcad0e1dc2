"""The explorer page needs nothing but the service: it names only assets the service serves."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from explorer.page import STATIC
from server import create_app
from settings import Mode, ServiceSettings
from tests.support.lifespan import started

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


def settings(scratch: Path) -> ServiceSettings:
    """No upstream listens at its URL: the page and its assets never call it."""
    return ServiceSettings(
        mode=Mode.DEVELOPMENT,
        upstream_url="http://127.0.0.1:9",
        database_url=f"sqlite+aiosqlite:///{scratch / 'service.db'}",
    )


@asynccontextmanager
async def serving(scratch: Path, root_path: str = "") -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings(scratch))
    async with started(app) as served:
        transport = httpx.ASGITransport(app=served, root_path=root_path)
        async with httpx.AsyncClient(transport=transport, base_url="http://service.test") as http:
            yield http


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(tmp_path) as http:
        yield http


async def browser_page(service: httpx.AsyncClient) -> httpx.Response:
    return await service.get("/graphql", headers={"accept": "text/html"})


async def test_the_page_names_only_the_services_own_assets(service: httpx.AsyncClient) -> None:
    page = await browser_page(service)
    assert ASSET.findall(page.text) == [
        "data:,",
        "/explorer/assets/graphiql.min.css",
        "/explorer/assets/react.production.min.js",
        "/explorer/assets/react-dom.production.min.js",
        "/explorer/assets/graphiql.min.js",
        "/explorer/assets/explorer.js",
    ]


async def test_every_asset_of_the_page_is_served(service: httpx.AsyncClient) -> None:
    page = await browser_page(service)
    paths = [path for path in ASSET.findall(page.text) if path.startswith("/")]
    answers = {path: (await service.get(path)).status_code for path in paths}
    assert answers == dict.fromkeys(paths, 200)


async def test_assets_travel_gzipped_and_arrive_byte_for_byte(service: httpx.AsyncClient) -> None:
    answer = await service.get(
        "/explorer/assets/graphiql.min.js", headers={"accept-encoding": "gzip"}
    )
    assert (answer.headers["content-encoding"], answer.content) == (
        "gzip",
        (STATIC / "graphiql.min.js").read_bytes(),
    )


async def test_the_page_allows_scripts_and_requests_to_its_own_origin_only(
    service: httpx.AsyncClient,
) -> None:
    page = await browser_page(service)
    assert (page.status_code, page.headers["content-security-policy"]) == (
        200,
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    )


async def test_assets_are_found_under_a_proxys_root_path(tmp_path: Path) -> None:
    async with serving(tmp_path, root_path="/api") as http:
        page = await browser_page(http)
    assert ASSET.findall(page.text)[1:3] == [
        "/api/explorer/assets/graphiql.min.css",
        "/api/explorer/assets/react.production.min.js",
    ]


async def test_a_client_asking_for_json_still_gets_graphql(service: httpx.AsyncClient) -> None:
    answer = await service.get("/graphql", params={"query": "{ __typename }"})
    assert (answer.status_code, answer.headers["content-type"], answer.json()["data"]) == (
        200,
        "application/json",
        {"__typename": "Query"},
    )
