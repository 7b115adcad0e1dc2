"""The workers benchmark's parts: its clients, the replay upstream, `/proc` readings, the report."""

from __future__ import annotations

import asyncio
import os
import socket
from collections import Counter

import pytest

from bench.replay import NOT_RECORDED, Replay, response
from bench.workers import Clocks, connections, listening
from bench.workers_clients import Tally, open_askers
from bench.workers_report import Usage, report, side

EXPECTED = b'{"data": 1}'
ANSWERS = [
    response(200, "application/json", EXPECTED),
    response(200, "application/json", b'{"data": 2}'),
    response(500, "application/json", EXPECTED),
]


async def test_a_client_counts_only_the_expected_body_with_200_as_answered() -> None:
    """Three connections, one request each (the round is over before it starts): the server
    answers each with the next of ANSWERS, its head and body in two writes."""
    served = iter(ANSWERS)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        head, body = next(served).split(b"\r\n\r\n", 1)
        writer.write(head + b"\r\n\r\n")
        await writer.drain()
        writer.write(body)
        writer.close()
        await writer.wait_closed()

    tally = Tally()
    async with await asyncio.start_server(answer, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        for _ in ANSWERS:
            [(transport, asker)] = await open_askers(
                port, [(b"GET / HTTP/1.1\r\n\r\n", EXPECTED)], 0.0, tally
            )
            await asker.done
            transport.close()
    assert (len(tally.latencies), tally.failures, tally.first_failure) == (
        1,
        2,
        ANSWERS[1].decode(),
    )


async def test_the_replay_answers_a_call_whatever_its_token_and_counts_it() -> None:
    recorded = {"GET /v2/webserv/traders?fields=login": (200, "application/json", b"[1]")}
    replay = Replay(recorded, 0.0, None)
    answers = [
        await replay.answer(("GET", f"/v2/webserv/traders?token={token}&fields=login", {}, b""))
        for token in ("a", "b")
    ]
    answers.append(await replay.answer(("GET", "/v2/webserv/traders?fields=name", {}, b"")))
    assert (answers, replay.calls) == (
        [response(200, "application/json", b"[1]")] * 2 + [NOT_RECORDED],
        {"GET /v2/webserv/traders": 3},
    )


def test_connections_and_listening_sockets_are_read_from_proc() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)), server.accept()[0]:
            # Ours: the listening socket, the accepted end (local port `port`), the client end.
            found = connections(os.getpid(), port), listening(os.getpid(), port)
        inode = str(os.fstat(server.fileno()).st_ino)
    assert found == (1, [inode])


def clocks(at: float, workers: dict[int, float], others: float, waited: float = 0.0) -> Clocks:
    """Each worker's loop ran for 9/10 of its CPU time and waited `waited` for a core."""
    replay, clients = at / 100, at / 50
    loops = {pid: (cpu * 0.9, waited) for pid, cpu in workers.items()}
    total = sum(workers.values()) + others + replay + clients
    return Clocks(at, workers, loops, 0.0, replay, clients, total)


def test_the_report_shows_each_process_share_of_the_cores_and_the_ceiling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Workers 1: 100 queries in 1 s, 1 core busy; workers 2: 180 in 1 s, 0.9 core each."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    one = Usage(calls=Counter({"GET /traders": 10, "GET /positions": 10}))
    two = Usage(calls=Counter({"GET /traders": 72, "GET /positions": 18}))
    one.add(clocks(0.0, {7: 0.0}, 0.0), clocks(1.0, {7: 1.0}, 0.5, 0.05), [16])
    two.add(clocks(0.0, {8: 0.0, 9: 0.0}, 0.0), clocks(1.0, {8: 0.9, 9: 0.9}, 0.1, 0.02), [9, 7])
    sides = [side(1, Tally([0.05] * 100), one), side(2, Tally([0.05] * 180), two)]
    assert report(sides, "same").splitlines()[:-1] == [
        "pages same: every client asks the first page (identical reads in flight shared within a"
        " worker)",
        "workers  queries  failed     q/s   p50 ms   p95 ms  calls/q  cpu ms/q  replay  clients",
        "1            100       0   100.0     50.0     50.0     0.20     10.00    0.10     0.20",
        "2            180       0   180.0     50.0     50.0     0.50     10.00    0.06     0.11",
        "",
        "workers 2 / workers 1 throughput: 1.80 (target >= 1.7) PASS",
        "upstream calls per query, by call: workers 1: GET /positions 0.10, GET /traders 0.10;"
        " workers 2: GET /positions 0.10, GET /traders 0.40",
        "cores kept busy over the rounds (CPU seconds / wall seconds):",
        "workers 1: worker(s) 1.00, supervisor 0.00, replay 0.01, clients 0.02, rest of the"
        " machine 0.50; busy 1.53 of 2",
        "workers 2: worker(s) 0.90 + 0.90, supervisor 0.00, replay 0.01, clients 0.02, rest of"
        " the machine 0.10; busy 1.93 of 2",
        "each worker's event loop (its main thread, /proc/<pid>/schedstat; idle: nothing to do):",
        "workers 1: ran 0.90, waited for a core 0.05, idle 0.05",
        "workers 2: ran 0.81, waited for a core 0.02, idle 0.17 / ran 0.81, waited for a core"
        " 0.02, idle 0.17",
        "ceilings on 2 idle cores at these CPU costs per query: workers 1 100.0 q/s, workers 2"
        " 196.7 q/s: 1.97x",
        "connections per worker, each round: workers 1 [[16]]; workers 2 [[9, 7]]",
    ]
