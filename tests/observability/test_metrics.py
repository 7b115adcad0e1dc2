"""`/metrics` after scripted runs: what it counts is what happened, upstream calls above all."""

from __future__ import annotations

from pathlib import Path

import httpx
from starlette.applications import Starlette

from observability.metrics import Metrics
from observability.telemetry import Telemetry
from tests.observability.served import Observed, observed_service
from tests.resolvers.harness import Upstream, service_settings

UPSTREAM_CALLS = "tradergraph_upstream_calls_total"
DEPOSIT = """
mutation ($login: Int!, $key: String!) {
  deposit(input: {login: $login, amount: "12.50", idempotencyKey: $key}) { __typename }
}
"""


async def _script(service: Observed, logins: list[int]) -> None:
    """A little of everything: a page, lookups by login, reference data, a deposit."""
    await service.query("query Page { traders(first: 10) { totalCount } }")
    fields = " ".join(f"t{login}: trader(login: {login}) {{ name }}" for login in logins)
    await service.query(f"query Lookups {{ {fields} }}")
    await service.query("query Assets { depositAssets }")
    await service.query(DEPOSIT, login=logins[0], key="metrics-1")


def _by_route(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float]) -> dict[str, int]:
    """Upstream call counters summed per `METHOD template`, the sandbox's own key."""
    calls: dict[str, int] = {}
    for (_name, labels), value in samples.items():
        label = dict(labels)
        route = f"{label['method']} {label['route']}"
        calls[route] = calls.get(route, 0) + int(value)
    return calls


async def test_upstream_call_counters_match_the_calls_the_sandbox_served(
    service: Observed, upstream: Upstream
) -> None:
    logins = [await upstream.create_trader() for _ in range(3)]
    await upstream.reset_calls()

    await _script(service, logins)

    counted = _by_route(await service.scrape(UPSTREAM_CALLS))
    served = await upstream.calls()
    assert (counted, sum(served.values()) > len(logins)) == (served, True)


async def test_upstream_calls_are_counted_by_status(service: Observed, upstream: Upstream) -> None:
    await upstream.fault(
        '{"method": "GET", "path": "/v2/webserv/depositAssets", "action": "error",'
        ' "status": 400, "errorCode": "INVALID_REQUEST"}'
    )
    await service.query("{ depositAssets }")
    assert await service.scrape(UPSTREAM_CALLS) == {
        (
            UPSTREAM_CALLS,
            (("method", "POST"), ("route", "/v2/webserv/managers/token"), ("status", "200")),
        ): 1.0,
        (
            UPSTREAM_CALLS,
            (("method", "GET"), ("route", "/v2/webserv/depositAssets"), ("status", "400")),
        ): 1.0,
    }


async def test_operation_latency_is_observed_per_operation_name(service: Observed) -> None:
    await service.query("query Assets { depositAssets }")
    await service.query("query Assets { depositAssets }")
    await service.query('{ whiteLabel(name: "sandbox") { jurisdiction } }')
    counts = await service.scrape("tradergraph_graphql_operation_duration_seconds_count")
    assert counts == {
        (
            "tradergraph_graphql_operation_duration_seconds_count",
            (("operation", "Assets"), ("type", "query")),
        ): 2.0,
        (
            "tradergraph_graphql_operation_duration_seconds_count",
            (("operation", "anonymous"), ("type", "query")),
        ): 1.0,
    }


async def test_errors_in_answers_are_counted_by_code(service: Observed, upstream: Upstream) -> None:
    await upstream.fault(
        '{"method": "GET", "path": "/v2/webserv/depositAssets", "action": "error",'
        ' "status": 400, "errorCode": "INVALID_REQUEST"}'
    )
    await service.query("{ depositAssets }")
    await service.query("{ traders(first: -1) { totalCount } }")
    await service.query("{ traders(first: -2) { totalCount } }")
    assert await service.scrape("tradergraph_graphql_errors_total") == {
        ("tradergraph_graphql_errors_total", (("code", "UPSTREAM_REJECTED"),)): 1.0,
        ("tradergraph_graphql_errors_total", (("code", "BAD_USER_INPUT"),)): 2.0,
    }


async def test_a_deposit_is_counted_by_its_outcome(service: Observed, upstream: Upstream) -> None:
    login = await upstream.create_trader()
    await service.query(DEPOSIT, login=login, key="k-1")
    await service.query(DEPOSIT, login=999_999, key="k-2")
    assert await service.scrape("tradergraph_money_operations_total") == {
        (
            "tradergraph_money_operations_total",
            (("operation", "DEPOSIT"), ("outcome", "SUCCEEDED")),
        ): 1.0,
        (
            "tradergraph_money_operations_total",
            (("operation", "DEPOSIT"), ("outcome", "TRADER_NOT_FOUND")),
        ): 1.0,
    }


async def test_the_trader_loaders_batch_is_measured_by_size(
    service: Observed, upstream: Upstream
) -> None:
    logins = [await upstream.create_trader() for _ in range(3)]
    fields = " ".join(f"t{login}: trader(login: {login}) {{ name }}" for login in logins)
    await service.query(f"{{ {fields} }}")
    samples = await service.scrape("tradergraph_loader_batch_size")
    assert {key: value for key, value in samples.items() if ("loader", "trader") in key[1]} == {
        ("tradergraph_loader_batch_size_count", (("loader", "trader"),)): 1.0,
        ("tradergraph_loader_batch_size_sum", (("loader", "trader"),)): 3.0,
        ("tradergraph_loader_batch_size_bucket", (("le", "5.0"), ("loader", "trader"))): 1.0,
        ("tradergraph_loader_batch_size_bucket", (("le", "10.0"), ("loader", "trader"))): 1.0,
        ("tradergraph_loader_batch_size_bucket", (("le", "25.0"), ("loader", "trader"))): 1.0,
        ("tradergraph_loader_batch_size_bucket", (("le", "50.0"), ("loader", "trader"))): 1.0,
        ("tradergraph_loader_batch_size_bucket", (("le", "100.0"), ("loader", "trader"))): 1.0,
        ("tradergraph_loader_batch_size_bucket", (("le", "250.0"), ("loader", "trader"))): 1.0,
        ("tradergraph_loader_batch_size_bucket", (("le", "500.0"), ("loader", "trader"))): 1.0,
        ("tradergraph_loader_batch_size_bucket", (("le", "1000.0"), ("loader", "trader"))): 1.0,
        ("tradergraph_loader_batch_size_bucket", (("le", "+Inf"), ("loader", "trader"))): 1.0,
    }


async def test_the_index_counts_a_build_then_hits(service: Observed) -> None:
    for _ in range(3):
        await service.query("{ traders(first: 5) { totalCount } }")
    assert await service.scrape("tradergraph_index_lookups_total") == {
        ("tradergraph_index_lookups_total", (("result", "miss"),)): 1.0,
        ("tradergraph_index_lookups_total", (("result", "hit"),)): 2.0,
    }


async def test_live_gauges_follow_what_other_rooms_report(service: Observed) -> None:
    metrics = service.telemetry.metrics
    for _ in range(3):
        metrics.subscription_opened("accountChanged")
    metrics.subscription_closed("accountChanged")
    metrics.poller_started("account")
    assert await service.scrape("tradergraph_") == {
        ("tradergraph_subscriptions_open", (("subscription", "accountChanged"),)): 2.0,
        ("tradergraph_pollers_running", (("resource", "account"),)): 1.0,
    }


def test_client_chosen_operation_names_stop_making_series_past_the_cap() -> None:
    metrics = Metrics()
    for number in range(205):
        metrics.operation(f"Op{number}", "query", 0.01)
    labels = {
        sample.labels["operation"]
        for family in metrics.registry.collect()
        for sample in family.samples
        if sample.name.endswith("_count")
    }
    assert (len(labels), "other" in labels, "Op199" in labels, "Op200" in labels) == (
        201,
        True,
        True,
        False,
    )


async def test_metrics_can_be_turned_off(
    sandbox: Starlette, telemetry: Telemetry, tmp_path: Path
) -> None:
    settings = service_settings(tmp_path, metrics_enabled=False)
    async with observed_service(sandbox, settings, telemetry) as service:
        response = await service.http.get("/metrics")
    assert (response.status_code, response.text) == (404, "Not Found")


async def test_the_scrape_is_prometheus_text(service: Observed) -> None:
    response: httpx.Response = await service.http.get("/metrics")
    assert (response.status_code, response.headers["content-type"]) == (
        200,
        "text/plain; version=1.0.0; charset=utf-8",
    )
