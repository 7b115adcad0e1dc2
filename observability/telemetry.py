"""`Telemetry`: one app's metrics and tracer, and how code without a handle on the app finds them.

`create_app` builds one `Telemetry`; the ASGI middleware (`observability.middleware`) binds it in
a context variable for every request and for the lifespan, so whatever runs inside (resolvers,
loaders, the upstream client's hook, tasks started from there) reaches it with `current()`.
Outside any app (a script, a unit test of a resolver) `current()` answers a process-wide default
that exports nothing, so instrumented code never has to ask whether telemetry is on.

For other rooms, the API is `current().metrics` (see `observability.metrics.Metrics`) and
`record_upstream_call`, the upstream client's `on_request` hook.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

from observability.metrics import Metrics
from observability.tracing import TRACER_NAME, tracer_provider, upstream_span
from upstream.hooks import CallRecord


@dataclass(frozen=True)
class Telemetry:
    """The metrics registry and tracer provider of one app."""

    metrics: Metrics = field(default_factory=Metrics)
    provider: TracerProvider = field(default_factory=lambda: tracer_provider(None))

    @classmethod
    def exporting_to(cls, otlp_endpoint: str | None) -> Telemetry:
        return cls(Metrics(), tracer_provider(otlp_endpoint))

    @cached_property
    def tracer(self) -> trace.Tracer:
        """Made once: `get_tracer` builds a new tracer (and its scope) on every call."""
        return self.provider.get_tracer(TRACER_NAME)

    @cached_property
    def records_spans(self) -> bool:
        """False for the provider with nowhere to export (`ALWAYS_OFF`): its spans are dropped
        unread, so the upstream call spans are not even made."""
        return self.provider.sampler is not ALWAYS_OFF

    def shutdown(self) -> None:
        """Flush spans still batched for export; called once the app's lifespan has ended."""
        self.provider.shutdown()


_DEFAULT = Telemetry()
_CURRENT: ContextVar[Telemetry] = ContextVar("tradergraph_telemetry", default=_DEFAULT)


def current() -> Telemetry:
    """The telemetry of the app serving the current request (or the process default)."""
    return _CURRENT.get()


@contextmanager
def bound(telemetry: Telemetry) -> Iterator[Telemetry]:
    """Make `telemetry` the `current()` one for the code inside the block."""
    token = _CURRENT.set(telemetry)
    try:
        yield telemetry
    finally:
        _CURRENT.reset(token)


def record_upstream_call(record: CallRecord) -> None:
    """The upstream client's `on_request` hook: one counter increment and one span per exchange."""
    telemetry = current()
    telemetry.metrics.upstream_call(record.method, record.path, record.status, record.duration)
    if telemetry.records_spans:
        upstream_span(telemetry.tracer, record.method, record.path, record.status, record.duration)
