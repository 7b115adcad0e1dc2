"""Spans leave the process only for a configured OTLP endpoint (here a loopback collector)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from observability.tracing import tracer_provider


class Collector(BaseHTTPRequestHandler):
    """Records each POST's path, content type and body size; answers 200 with no body."""

    received: list[tuple[str, str, int]]

    def do_POST(self) -> None:
        size = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(size)
        self.received.append((self.path, self.headers.get("Content-Type", ""), size))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        return


@pytest.fixture
def collector() -> Iterator[tuple[str, list[tuple[str, str, int]]]]:
    received: list[tuple[str, str, int]] = []
    handler = type("Handler", (Collector,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/traces", received
    server.shutdown()
    server.server_close()
    thread.join()


def test_spans_are_sent_to_the_configured_collector_when_the_app_stops(
    collector: tuple[str, list[tuple[str, str, int]]],
) -> None:
    endpoint, received = collector
    provider = tracer_provider(endpoint)
    with provider.get_tracer("test").start_as_current_span("query Assets"):
        pass
    provider.shutdown()
    assert [(path, kind, size > 0) for path, kind, size in received] == [
        ("/v1/traces", "application/x-protobuf", True)
    ]


def test_without_a_collector_spans_are_not_recorded_at_all() -> None:
    provider = tracer_provider(None)
    with provider.get_tracer("test").start_as_current_span("query Assets") as span:
        recording = span.is_recording()
    provider.shutdown()
    assert recording is False
