"""`OperationTelemetry`: the Strawberry extension that times and traces each GraphQL operation.

One span per operation, named like `query PartnerPortal`, the parent of the upstream call spans
the operation causes; and one latency observation per operation name. The span carries the
operation's name and type and the request id, never the document or the variables: either may
hold a password (a trader's, in `createTrader`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from graphql import GraphQLError
from opentelemetry.trace import Span, Status, StatusCode
from strawberry.extensions import SchemaExtension

from observability.middleware import current_request_id
from observability.telemetry import current
from observability.tracing import safe

UNKNOWN = "unknown"


class OperationTelemetry(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        telemetry = current()
        started = time.perf_counter()
        attributes = safe({"tradergraph.request_id": current_request_id()})
        with telemetry.tracer.start_as_current_span(
            "graphql.operation", attributes=attributes, record_exception=False
        ) as span:
            try:
                yield
            finally:
                name, kind = self._operation()
                self._describe(span, name, kind)
                telemetry.metrics.operation(name, kind, time.perf_counter() - started)

    def _operation(self) -> tuple[str | None, str]:
        """The operation's name and type; a document that did not parse has neither."""
        context = self.execution_context
        try:
            return context.operation_name, context.operation_type.value
        except RuntimeError:
            return None, UNKNOWN

    def _errors(self) -> list[GraphQLError]:
        """The answer's errors (those found before execution when it never ran)."""
        context = self.execution_context
        answered = getattr(context.result, "errors", None)
        return list(answered or context.pre_execution_errors or [])

    def _describe(self, span: Span, name: str | None, kind: str) -> None:
        span.update_name(f"{kind} {name}" if name else kind)
        span.set_attributes(safe({"graphql.operation.name": name, "graphql.operation.type": kind}))
        errors = self._errors()
        if errors:
            span.set_status(Status(StatusCode.ERROR))
            span.set_attribute("graphql.errors", len(errors))
        for error in errors:
            current().metrics.graphql_error(str((error.extensions or {}).get("code", UNKNOWN)))
