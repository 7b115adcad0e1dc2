"""The workers benchmark's pages: the same page for every client, or a page of its own each."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable

import pytest

from bench.graph_clients import ACCEPTANCE_QUERY, PAGE_QUERY
from bench.replay import response
from bench.workers_bench import client_asks
from bench.workers_clients import AFTER_QUERY, Tally, open_askers, page_cursors, page_request
from bench.workers_report import Side, Usage, report, reports, side

Answer = Callable[[bytes], bytes]


async def _body(reader: asyncio.StreamReader) -> bytes:
    head = (await reader.readuntil(b"\r\n\r\n")).lower()
    length = int(head.split(b"content-length:")[1].split(b"\r\n")[0])
    return await reader.readexactly(length)


class JsonServer:
    """A keep-alive JSON server whose answer's body is `answer(request body)`; `idle` is set
    once every connection it accepted is closed."""

    def __init__(self, answer: Answer) -> None:
        self.answer, self.open, self.idle = answer, 0, asyncio.Event()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open += 1
        try:
            while True:
                body = await _body(reader)
                writer.write(response(200, "application/json", self.answer(body)))
                await writer.drain()
        except asyncio.IncompleteReadError:
            pass
        finally:
            writer.close()
            await writer.wait_closed()
            self.open -= 1
            if not self.open:
                self.idle.set()


def request_body(request: bytes) -> object:
    return json.loads(request.split(b"\r\n\r\n", 1)[1])


def test_a_later_page_is_the_acceptance_query_after_a_cursor() -> None:
    assert (request_body(page_request(80)), request_body(page_request(80, "c1"))) == (
        {"query": ACCEPTANCE_QUERY, "variables": {"first": 50}},
        {"query": AFTER_QUERY, "variables": {"first": 50, "after": "c1"}},
    )
    assert AFTER_QUERY.split("{", 2)[2] == ACCEPTANCE_QUERY.split("{", 2)[2]


def test_same_pages_ask_the_first_page_of_every_client_and_distinct_ones_a_page_each() -> None:
    answers = {b"r0": b"a0", b"r1": b"a1", b"r2": b"a2"}
    assert [client_asks(mode, answers, clients) for mode, clients in MODES_AND_CLIENTS] == [
        [(b"r0", b"a0")] * 3,
        [(b"r0", b"a0"), (b"r1", b"a1"), (b"r2", b"a2")],
        [(b"r0", b"a0"), (b"r1", b"a1")],
    ]


MODES_AND_CLIENTS = [("same", 3), ("distinct", 3), ("distinct", 2)]


def _page_info(body: bytes) -> bytes:
    """Three pages: the cursor after page n is `cn`."""
    after = json.loads(body)["variables"]["after"]
    n = 1 if after is None else int(after[1:]) + 1
    info = {"endCursor": f"c{n}", "hasNextPage": n < 3}
    return json.dumps({"data": {"traders": {"pageInfo": info}}}).encode()


async def test_the_cursors_are_walked_with_page_info_and_too_few_pages_fail() -> None:
    fake = JsonServer(_page_info)
    async with await asyncio.start_server(fake.serve, "127.0.0.1", 0) as listening:
        port = listening.sockets[0].getsockname()[1]
        cursors = await page_cursors(port, 3)
        with pytest.raises(RuntimeError) as raised:
            await page_cursors(port, 4)
        await fake.idle.wait()
    last = _page_info(json.dumps({"query": PAGE_QUERY, "variables": {"after": "c2"}}).encode())
    assert (cursors, str(raised.value)) == (
        [None, "c1", "c2"],
        f"fewer than 4 pages of 50: 200 {last!r}",
    )


def _echo(body: bytes) -> bytes:
    return b'{"asked": ' + body + b"}"


async def test_each_client_must_get_its_own_page_answer() -> None:
    """Three clients, one request each: the third expects the first one's answer."""
    tally = Tally()
    fake = JsonServer(_echo)
    async with await asyncio.start_server(fake.serve, "127.0.0.1", 0) as listening:
        port = listening.sockets[0].getsockname()[1]
        first, second = page_request(port), page_request(port, "c1")
        asks = [(request, _echo(request_body_bytes(request))) for request in (first, second)]
        asks.append((page_request(port, "c2"), asks[0][1]))
        opened = await open_askers(port, asks, 0.0, tally)
        await asyncio.gather(*(asker.done for _, asker in opened))
        for transport, _ in opened:
            transport.close()
        await fake.idle.wait()
    third = response(200, "application/json", _echo(request_body_bytes(asks[2][0])))
    assert (len(tally.latencies), tally.failures, tally.first_failure) == (
        2,
        1,
        third[:300].decode(),
    )


def request_body_bytes(request: bytes) -> bytes:
    return request.split(b"\r\n\r\n", 1)[1]


def _sides(one: int, two: int) -> list[Side]:
    """Workers 1 and 2 over 1 s, `one` and `two` queries, one list call per query each."""
    used = [Usage(seconds=1.0, calls=Counter({"GET /traders": n})) for n in (one, two)]
    for usage in used:
        usage.workers, usage.machine = [0.5], 1.0
    return [side(w, Tally([0.05] * n), u) for w, n, u in zip((1, 2), (one, two), used, strict=True)]


def test_both_modes_print_both_reports_and_both_ratios() -> None:
    same, distinct = _sides(100, 120), _sides(100, 170)
    assert reports({"same": same, "distinct": distinct}) == (
        f"{report(same, 'same')}\n\n{report(distinct, 'distinct')}\n\n"
        "workers 2 / workers 1 throughput: same pages 1.20, distinct pages 1.70"
    )
    assert reports({"distinct": distinct}) == report(distinct, "distinct")
    assert report(distinct, "distinct").splitlines()[:2] + report(
        distinct, "distinct"
    ).splitlines()[4:7] == [
        "pages distinct: each client asks a page of its own (no two clients' list calls the same)",
        "workers  queries  failed     q/s   p50 ms   p95 ms  calls/q  cpu ms/q  replay  clients",
        "",
        "workers 2 / workers 1 throughput: 1.70 (target >= 1.7) PASS",
        "upstream calls per query, by call: workers 1: GET /traders 1.00; workers 2: GET /traders"
        " 1.00",
    ]
