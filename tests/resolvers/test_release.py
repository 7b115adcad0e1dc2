"""What a request loaded is let go when its answer is complete, not when the collector runs.

Strawberry's execution context is a reference cycle that holds the request's context and its
loaders; the service collects cycles rarely (`server.tune_collector`), so without
`Loaders.release` everyone's open positions grid of every page outlived its request.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

import httpx

from resolvers.batching import Loader, Once
from tests.resolvers.harness import Graph, Upstream
from upstream.position_grid import PositionGrid

PAGE = "{ traders(first: 5) { edges { node { login openPositions { positionId } } } } }"


def grids_alive() -> int:
    return sum(isinstance(found, PositionGrid) for found in gc.get_objects())


def upstream_responses() -> dict[int, str]:
    """The upstream responses alive, by identity (the test's own calls to the service aside)."""
    alive = (found for found in gc.get_objects() if isinstance(found, httpx.Response))
    paths = {id(found): _path(found) for found in alive}
    return {key: path for key, path in paths.items() if path.startswith("/v2/webserv/")}


def _path(response: httpx.Response) -> str:
    try:
        return response.request.url.path
    except RuntimeError:  # a response another test made by hand, with no request
        return ""


async def test_a_page_query_leaves_no_position_grid_behind(
    graph: Graph, upstream: Upstream
) -> None:
    first, second = await upstream.create_trader(), await upstream.create_trader()
    position = await upstream.open_position(first)
    gc.collect()
    gc.disable()  # only reference counting frees what the request held
    try:
        result = await graph.query(PAGE)
        alive = grids_alive()
    finally:
        gc.enable()
    assert (result["data"], alive) == (
        {
            "traders": {
                "edges": [
                    {"node": {"login": first, "openPositions": [{"positionId": position}]}},
                    {"node": {"login": second, "openPositions": []}},
                ]
            }
        },
        0,
    )


async def test_a_page_query_leaves_no_upstream_response_behind(
    graph: Graph, upstream: Upstream
) -> None:
    """httpx's response and its stream hold each other; each body (everyone's open positions
    grid, the page's list) would wait for the cyclic collector, run rarely when serving."""
    first = await upstream.create_trader()
    position = await upstream.open_position(first)
    await graph.query(PAGE)  # the token and the index, fetched once
    gc.collect()
    gc.disable()
    try:
        before = upstream_responses()
        result = await graph.query(PAGE)
        left = sorted(path for key, path in upstream_responses().items() if key not in before)
    finally:
        gc.enable()
    assert (result["data"], left) == (
        {
            "traders": {
                "edges": [{"node": {"login": first, "openPositions": [{"positionId": position}]}}]
            }
        },
        [],
    )


async def test_a_released_loader_asks_again_and_a_forgotten_once_fetches_again() -> None:
    asked: list[list[int]] = []
    fetched: list[str] = []

    async def batch(keys: Sequence[int]) -> list[int | BaseException]:
        asked.append(list(keys))
        return [key * 10 for key in keys]

    async def fetch() -> str:
        fetched.append("grid")
        return "grid"

    loader: Loader[int, int] = Loader(batch, max_batch_size=10, name="test")
    once = Once(fetch)
    first = (await loader.load(1), await loader.load(1), await once.get(), await once.get())
    loader.clear_all()
    once.forget()
    again = (await loader.load(1), await once.get())
    assert (first, again, asked, fetched) == (
        (10, 10, "grid", "grid"),
        (10, "grid"),
        [[1], [1]],
        ["grid", "grid"],
    )
