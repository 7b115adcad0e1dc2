"""The service's Prometheus metrics: one `Metrics` per app, each on its own registry.

A registry per app (instead of prometheus-client's global one) keeps two apps in one process (the
tests, the demo) from counting each other's work. Code that has no handle on the app reaches the
one serving it through `observability.telemetry.current()`; the methods here are the whole API:

- `operation(name, kind, seconds)`: one GraphQL operation's latency, per operation name;
- `graphql_error(code)`: one error in a GraphQL answer, by its `extensions.code`;
- `upstream_call(method, route, status, seconds)`: one HTTP exchange with the upstream;
- `loader_batch(loader, size)`: how many keys one dataloader batch carried;
- `index_lookup(hit)`: whether the trader index answered from its cache;
- `money_operation(operation, outcome)`: one money mutation and how it ended;
- `subscription_opened/closed(name)` and `poller_started/stopped(resource)`: live gauges;
- `history_pass(failed)` and `history_lag_seconds(seconds)`: the deal mirror's catch-up.

Operation names come from clients, so only the first `MAX_OPERATION_NAMES` distinct ones get a
label of their own; later ones share `OTHER`, which keeps the series count bounded.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

MAX_OPERATION_NAMES = 200
OTHER = "other"
ANONYMOUS = "anonymous"
NO_ANSWER = "none"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BATCH_BUCKETS = (1, 2, 5, 10, 25, 50, 100, 250, 500, 1000)


class Metrics:
    """The instruments, registered on `registry` (a fresh one unless given)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self._operation_names: set[str] = set()
        self._build_request_side()
        self._build_upstream_side()
        self._build_live_side()
        self._build_history_side()

    def _build_request_side(self) -> None:
        self.operations = Histogram(
            "tradergraph_graphql_operation_duration_seconds",
            "Latency of one GraphQL operation, per operation name and type.",
            ["operation", "type"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "tradergraph_graphql_errors",
            "Errors in GraphQL answers, by extensions.code (UPSTREAM_UNAVAILABLE, ...).",
            ["code"],
            registry=self.registry,
        )
        self.loader_batches = Histogram(
            "tradergraph_loader_batch_size",
            "Keys carried by one dataloader batch.",
            ["loader"],
            buckets=BATCH_BUCKETS,
            registry=self.registry,
        )
        self.money = Counter(
            "tradergraph_money_operations",
            "Money mutations by operation and outcome (a state or a failure code).",
            ["operation", "outcome"],
            registry=self.registry,
        )

    def _build_upstream_side(self) -> None:
        self.upstream_calls = Counter(
            "tradergraph_upstream_calls",
            "HTTP exchanges with the upstream (retries and token calls included), by route"
            " template and status (`none` when no answer came).",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.upstream_latency = Histogram(
            "tradergraph_upstream_call_duration_seconds",
            "Latency of one HTTP exchange with the upstream, by route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.index_lookups = Counter(
            "tradergraph_index_lookups",
            "Trader index lookups; hit ratio = hit / (hit + miss).",
            ["result"],
            registry=self.registry,
        )

    def _build_live_side(self) -> None:
        self.subscriptions = Gauge(
            "tradergraph_subscriptions_open",
            "GraphQL subscriptions open now, by subscription field.",
            ["subscription"],
            registry=self.registry,
        )
        self.pollers = Gauge(
            "tradergraph_pollers_running",
            "Upstream pollers running now in this process, by resource.",
            ["resource"],
            registry=self.registry,
        )

    def _build_history_side(self) -> None:
        self.history_lag = Gauge(
            "tradergraph_history_lag_seconds",
            "How far behind now the deal mirror holds every deal (absent: never backfilled).",
            registry=self.registry,
        )
        self.history_failing = Gauge(
            "tradergraph_history_failing",
            "1 when the last catch-up pass of this replica failed, else 0.",
            registry=self.registry,
        )
        self.history_passes = Counter(
            "tradergraph_history_passes",
            "Catch-up passes this replica led, by outcome (`ok` or the error's class).",
            ["outcome"],
            registry=self.registry,
        )

    def operation(self, name: str | None, kind: str, seconds: float) -> None:
        self.operations.labels(self._operation_label(name), kind).observe(seconds)

    def _operation_label(self, name: str | None) -> str:
        if name is None:
            return ANONYMOUS
        if name in self._operation_names:
            return name
        if len(self._operation_names) >= MAX_OPERATION_NAMES:
            return OTHER
        self._operation_names.add(name)
        return name

    def graphql_error(self, code: str) -> None:
        self.errors.labels(code).inc()

    def upstream_call(self, method: str, route: str, status: int | None, seconds: float) -> None:
        answered = NO_ANSWER if status is None else str(status)
        self.upstream_calls.labels(method, route, answered).inc()
        self.upstream_latency.labels(method, route).observe(seconds)

    def loader_batch(self, loader: str, size: int) -> None:
        self.loader_batches.labels(loader).observe(size)

    def index_lookup(self, *, hit: bool) -> None:
        self.index_lookups.labels("hit" if hit else "miss").inc()

    def money_operation(self, operation: str, outcome: str) -> None:
        self.money.labels(operation, outcome).inc()

    def history_pass(self, failed: str | None) -> None:
        self.history_passes.labels("ok" if failed is None else failed.split(":")[0]).inc()
        self.history_failing.set(0 if failed is None else 1)

    def history_lag_seconds(self, seconds: float) -> None:
        self.history_lag.set(seconds)

    def subscription_opened(self, name: str) -> None:
        self.subscriptions.labels(name).inc()

    def subscription_closed(self, name: str) -> None:
        self.subscriptions.labels(name).dec()

    def poller_started(self, resource: str) -> None:
        self.pollers.labels(resource).inc()

    def poller_stopped(self, resource: str) -> None:
        self.pollers.labels(resource).dec()
