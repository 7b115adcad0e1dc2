"""Spans leave the process only for a configured OTLP endpoint (here a loopback collector)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from observability.metrics import Metrics
from observability.telemetry import Telemetry, bound, record_upstream_call
from observability.tracing import tracer_provider
from upstream.hooks import CallRecord


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


def test_without_a_collector_no_upstream_call_span_is_made_and_the_call_is_counted() -> None:
    quiet = Telemetry.exporting_to(None)
    exported = InMemorySpanExporter()
    recorded = TracerProvider()
    recorded.add_span_processor(SimpleSpanProcessor(exported))
    loud = Telemetry(Metrics(), recorded)
    record = CallRecord("POST", "/v2/webserv/traders/{login}/changebalance", 200, 0.004)
    for telemetry in (quiet, loud):
        with bound(telemetry):
            record_upstream_call(record)
    counted = [
        t.metrics.registry.get_sample_value(
            "tradergraph_upstream_calls_total",
            {"method": "POST", "route": record.path, "status": "200"},
        )
        for t in (quiet, loud)
    ]
    names = [span.name for span in exported.get_finished_spans()]
    assert (quiet.records_spans, loud.records_spans, counted, names) == (
        False,
        True,
        [1.0, 1.0],
        ["POST /v2/webserv/traders/{login}/changebalance"],
    )
