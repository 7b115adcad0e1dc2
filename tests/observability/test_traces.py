"""Traces: one span per GraphQL operation, one per upstream call under it, and no secret."""

from __future__ import annotations

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from observability.tracing import safe
from tests.observability.served import Observed
from tests.resolvers.harness import ADMIN, Upstream

CREATE_TRADER = """
mutation Create($group: String!, $password: String!) {
  createTrader(input: {
    whiteLabel: "sandbox", group: $group, depositCurrency: "USD", leverage: "100",
    password: $password, name: "Ada"
  }) { __typename }
}
"""


def _kinds(spans: tuple[ReadableSpan, ...]) -> list[tuple[str, SpanKind]]:
    return sorted((span.name, span.kind) for span in spans)


async def test_one_span_per_operation_and_per_upstream_call(
    service: Observed, upstream: Upstream, spans: InMemorySpanExporter
) -> None:
    login = await upstream.create_trader()
    await upstream.reset_calls()
    await service.query(f"query One {{ trader(login: {login}) {{ name }} }}")
    await service.query("query Two { depositAssets }")
    served = await upstream.calls()
    expected = [(route, SpanKind.CLIENT) for route, n in served.items() for _ in range(n)]
    expected += [("query One", SpanKind.INTERNAL), ("query Two", SpanKind.INTERNAL)]
    assert _kinds(spans.get_finished_spans()) == sorted(expected)


async def test_upstream_spans_are_children_of_their_operation(
    service: Observed, spans: InMemorySpanExporter
) -> None:
    await service.query("query Assets { depositAssets }")
    finished = spans.get_finished_spans()
    operation = next(span for span in finished if span.name == "query Assets")
    parents = {span.name: span.parent.span_id if span.parent else None for span in finished}
    assert parents == {
        "POST /v2/webserv/managers/token": operation.context.span_id,
        "GET /v2/webserv/depositAssets": operation.context.span_id,
        "query Assets": None,
    }


async def test_an_operation_span_names_the_operation_and_the_request(
    service: Observed, spans: InMemorySpanExporter
) -> None:
    await service.query("query Assets { depositAssets }", request_id="req-5")
    operation = next(s for s in spans.get_finished_spans() if s.name == "query Assets")
    assert dict(operation.attributes or {}) == {
        "tradergraph.request_id": "req-5",
        "graphql.operation.name": "Assets",
        "graphql.operation.type": "query",
    }


async def test_an_upstream_span_records_method_route_and_status(
    service: Observed, upstream: Upstream, spans: InMemorySpanExporter
) -> None:
    await upstream.fault(
        '{"method": "GET", "path": "/v2/webserv/depositAssets", "action": "error",'
        ' "status": 503, "errorCode": "UNKNOWN_ERROR", "times": 9}'
    )
    await service.query("{ depositAssets }")
    failed = [s for s in spans.get_finished_spans() if s.name == "GET /v2/webserv/depositAssets"]
    described = {
        (tuple(sorted((s.attributes or {}).items())), s.status.status_code) for s in failed
    }
    assert described == {
        (
            (
                ("http.request.method", "GET"),
                ("http.response.status_code", 503),
                ("url.template", "/v2/webserv/depositAssets"),
            ),
            StatusCode.ERROR,
        )
    }


async def test_no_attribute_carries_the_token_or_a_password(
    service: Observed, upstream: Upstream, spans: InMemorySpanExporter
) -> None:
    group = (await upstream.group_names())[0]
    created = await service.query(CREATE_TRADER, group=group, password="trader-Secret-42")
    await service.query("{ depositAssets }")
    secrets = (upstream.token, ADMIN[1], "trader-Secret-42")
    values = [
        f"{key}={value!r}"
        for span in spans.get_finished_spans()
        for key, value in (span.attributes or {}).items()
    ]
    leaks = [value for value in values if any(secret in value for secret in secrets)]
    assert (leaks, created["data"], len(values) > 6) == (
        [],
        {"createTrader": {"__typename": "TraderCreated"}},
        True,
    )


def test_safe_drops_secret_keys_and_masks_tokens_in_values() -> None:
    assert safe(
        {
            "url.full": "http://up/v2/webserv/traders?from=1&token=abc-123",
            "manager.password": "sandbox-admin",
            "webservToken": "abc-123",
            "http.response.status_code": 200,
            "graphql.operation.name": None,
        }
    ) == {
        "url.full": "http://up/v2/webserv/traders?from=1&token=***",
        "http.response.status_code": 200,
    }
