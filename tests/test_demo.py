"""`make run` is `tradergraph demo`: prove the whole path on real loopback ports."""

import asyncio
import socket
from pathlib import Path

import httpx
import pytest

import demo

QUERY = """{ traders(first: 2, filter: {whiteLabel: "atlas-markets"}) {
  edges { node { whiteLabel { name jurisdiction } } } } }"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_the_demo_serves_graphiql_over_a_seeded_sandbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port, sandbox_port = free_port(), free_port()
    args = demo.build_parser().parse_args(
        ["--port", str(port), "--sandbox-port", str(sandbox_port), "--traders", "40"]
    )
    ready, stop = asyncio.Event(), asyncio.Event()
    running = asyncio.create_task(
        demo.run(args, f"sqlite+aiosqlite:///{tmp_path / 'd.db'}", ready=ready, stop=stop)
    )
    await asyncio.wait_for(ready.wait(), timeout=60)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        answer = await client.post("/graphql", json={"query": QUERY})
    stop.set()
    await asyncio.wait_for(running, timeout=30)
    assert (page.status_code, "GraphiQL" in page.text) == (200, True)
    wl = {"whiteLabel": {"name": "atlas-markets", "jurisdiction": "AU"}}
    assert answer.json() == {"data": {"traders": {"edges": [{"node": wl}, {"node": wl}]}}}
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "seeding the sandbox: seed 42, 40 traders ..."
    assert f"GraphiQL: http://127.0.0.1:{port}/graphql   (Ctrl-C stops)" in lines
