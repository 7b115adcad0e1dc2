"""OpenTelemetry traces: a span per GraphQL operation and per upstream call, secrets kept out.

Only this service makes spans (no auto-instrumentation), and every attribute goes through
`safe()` first: a key naming a secret is dropped and a `token=` in a value is masked. The upstream
call spans are built from the client's `CallRecord`, which carries the path template and never
the URL, so the token has no way in to begin with; `safe()` is the second fence.

Nothing leaves the machine unless `otlp_endpoint` is set: then spans are batched to that
OTLP/HTTP collector. Tests pass a provider with the SDK's in-memory exporter instead.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from opentelemetry.trace import SpanKind, Status, StatusCode

SERVICE_NAME = "tradergraph"
TRACER_NAME = "tradergraph"
Attribute = str | int | float | bool
_SECRET_KEY = re.compile(r"token|password|secret|authorization", re.IGNORECASE)
_TOKEN_VALUE = re.compile(r"(token=)[^&\s\"']+", re.IGNORECASE)


def tracer_provider(otlp_endpoint: str | None) -> TracerProvider:
    """A provider for this process: exporting to `otlp_endpoint` when set, else to no one.

    With nowhere to send them no span is recorded at all (the `ALWAYS_OFF` sampler hands out
    non-recording spans): recording spans that no processor reads is work for nothing on every
    request and every upstream call.
    """
    resource = Resource.create({"service.name": SERVICE_NAME})
    if not otlp_endpoint:
        return TracerProvider(resource=resource, sampler=ALWAYS_OFF)
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_endpoint)))
    return provider


def safe(attributes: Mapping[str, Attribute | None]) -> dict[str, Attribute]:
    """The attributes fit to leave the process: no secret-named keys, no token in any value."""
    kept: dict[str, Attribute] = {}
    for key, value in attributes.items():
        if value is None or _SECRET_KEY.search(key):
            continue
        kept[key] = _TOKEN_VALUE.sub(r"\1***", value) if isinstance(value, str) else value
    return kept


def upstream_span(
    tracer: trace.Tracer, method: str, route: str, status: int | None, seconds: float
) -> None:
    """Record one finished upstream exchange as a client span under the current span.

    The client reports an exchange after it ends, so the span is written after the fact with
    the start time the exchange's duration implies.
    """
    end = time.time_ns()
    start = end - int(seconds * 1e9)
    attributes = safe(
        {"http.request.method": method, "url.template": route, "http.response.status_code": status}
    )
    span = tracer.start_span(
        f"{method} {route}", kind=SpanKind.CLIENT, attributes=attributes, start_time=start
    )
    if status is None or status >= 500:
        span.set_status(Status(StatusCode.ERROR))
    span.end(end_time=end)
