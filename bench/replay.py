"""A replay upstream: recorded sandbox answers, after a fixed latency, for next to no CPU.

    python -m bench.replay --file ANSWERS.json --port P [--latency-ms 20] [--record-from URL]

The sandbox spends far more CPU per call than a real upstream spends of *our* machine's (it runs
on another one), so on a 2-core machine it hides the facade's own ceiling. This server answers
from recorded bytes instead: a raw asyncio HTTP/1.1 server (keep-alive, `Content-Length` bodies)
that parses a request line and headers, waits `--latency-ms` on a timer (no CPU), and writes the
recorded response. With `--record-from URL` it forwards every call to that sandbox first and
records the answer; `SIGTERM` (or the end of the run) writes the recording to `--file`.

A call is recognised by its method, path and query without `token` (the replayed token call hands
out the recorded token, which nothing checks); a `to` more than a year past the clock is kept as
"future": the trader index asks up to now plus ten years, which moves with the clock. A call
never recorded answers 599, so a benchmark never mistakes it for an upstream answer.
`/_sandbox/stats` and `/_sandbox/stats/reset` count the calls per method and path, as the
sandbox's own counters do, so `bench.graph_measure.SandboxStats` reads either.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import signal
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx

FUTURE = "future"
WIRE_TIME = "%Y-%m-%dT%H:%M:%S.%f"
STATS, RESET = "/_sandbox/stats", "/_sandbox/stats/reset"
Answer = tuple[int, str, bytes]
"""Status, content type and body of one recorded response."""


def call_key(method: str, target: str, now: datetime) -> str:
    """What makes two calls the same call: method, path, query without `token`."""
    parts = urlsplit(target)
    params = []
    for name, value in sorted(parse_qsl(parts.query)):
        if name == "token":
            continue
        if name == "to" and _later_than(value, now):
            value = FUTURE
        params.append(f"{name}={value}")
    return f"{method} {parts.path}?{'&'.join(params)}"


def _later_than(wire_time: str, now: datetime) -> bool:
    try:
        moment = datetime.strptime(wire_time, WIRE_TIME).replace(tzinfo=UTC)
    except ValueError:
        return False
    return moment > now + timedelta(days=365)


def load(path: Path) -> dict[str, Answer]:
    stored = json.loads(path.read_text())
    return {key: (a["status"], a["type"], base64.b64decode(a["body"])) for key, a in stored.items()}


def save(path: Path, answers: dict[str, Answer]) -> None:
    stored = {
        key: {"status": s, "type": t, "body": base64.b64encode(b).decode()}
        for key, (s, t, b) in answers.items()
    }
    path.write_text(json.dumps(stored))


def response(status: int, content_type: str, body: bytes) -> bytes:
    head = f"HTTP/1.1 {status} R\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}"
    return head.encode() + b"\r\n\r\n" + body


NOT_RECORDED = response(599, "text/plain", b"not recorded")
Request = tuple[str, str, dict[str, str], bytes]
"""Method, target (path and query), headers (lower-case names) and body."""


class Replay:
    """The connection handler: stats, recorded answers, or (recording) the sandbox's.

    Replaying costs a dictionary look-up per call: each recorded answer is kept as the response's
    bytes, built once, and each request target (with its token) is mapped to its key once.
    """

    def __init__(
        self, answers: dict[str, Answer], latency: float, upstream: httpx.AsyncClient | None
    ) -> None:
        self.answers, self.latency, self.upstream = answers, latency, upstream
        self.built = {key: response(*answer) for key, answer in answers.items()}
        self.keys: dict[tuple[str, str], tuple[str, str]] = {}
        self.calls: Counter[str] = Counter()
        self.started = datetime.now(UTC)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while (request := await _read_request(reader)) is not None:
                writer.write(await self.answer(request))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def answer(self, request: Request) -> bytes:
        method, target, _, _ = request
        if (known := self.keys.get((method, target))) is None:
            path = urlsplit(target).path
            if path == STATS:
                body = json.dumps({"requests": self.calls}).encode()
                return response(200, "application/json", body)
            if path == RESET:
                self.calls.clear()
                return response(200, "application/json", b"{}")
            known = self.keys[method, target] = (
                f"{method} {path}",
                call_key(method, target, self.started),
            )
        route, key = known
        self.calls[route] += 1
        if self.upstream is not None:
            self.answers[key] = await self.forward(request)
            self.built[key] = response(*self.answers[key])
        await asyncio.sleep(self.latency)
        return self.built.get(key, NOT_RECORDED)

    async def forward(self, request: Request) -> Answer:
        assert self.upstream is not None
        method, target, headers, body = request
        sent = {k: v for k, v in headers.items() if k in {"accept", "content-type"}}
        got = await self.upstream.request(method, target, headers=sent, content=body)
        return got.status_code, got.headers.get("content-type", "text/plain"), got.content


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    """One request (line, headers, `Content-Length` body); None when the client has gone."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return method, target, headers, body


async def run(args: argparse.Namespace) -> None:
    answers = {} if args.record_from else load(args.file)
    upstream = httpx.AsyncClient(base_url=args.record_from) if args.record_from else None
    replay = Replay(answers, args.latency_ms / 1000, upstream)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    server = await asyncio.start_server(replay.serve, args.host, args.port)
    async with server:
        await stop.wait()
    if upstream is not None:
        await upstream.aclose()
        save(args.file, replay.answers)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.replay", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--file", type=Path, required=True, help="the recorded answers (JSON)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency-ms", type=float, default=20.0, help="wait before answering")
    parser.add_argument("--record-from", default=None, help="record from this sandbox URL")
    asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
