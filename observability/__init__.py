"""Logs, traces and metrics: what an operator sees of the running service (docs/operations.md).

- `logs`: structlog and the standard library through one JSON renderer, request id on each line;
- `middleware`: ASGI; the request id, the app's telemetry bound per request, the `request` line;
- `telemetry`: one app's metrics and tracer, and `current()` for code with no handle on the app;
- `metrics`: the Prometheus instruments and the recorders other rooms call;
- `tracing`: the tracer provider (OTLP only when configured), upstream call spans, `safe()`;
- the Strawberry extension (a span and a latency observation per operation) is
  `schema/extensions/telemetry.py`, with the schema's other extensions;
- `endpoints`: `/metrics`; `readiness`: the Redis check of `/readyz`;
- `configuration`: the settings table of docs/operations.md, generated from `ServiceSettings`.
"""
