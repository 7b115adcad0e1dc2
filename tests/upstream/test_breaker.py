"""The circuit breaker's states, on a clock the test moves."""

from __future__ import annotations

from tests.upstream.fake import FakeTime
from upstream.breaker import BreakerState, CircuitBreaker
from upstream.config import BreakerPolicy


def breaker(time: FakeTime) -> CircuitBreaker:
    return CircuitBreaker(BreakerPolicy(failure_threshold=2, reset_after=10.0), time.clock)


def test_failures_below_the_threshold_keep_it_closed(time: FakeTime) -> None:
    b = breaker(time)
    b.failure()

    assert (b.state, b.allow()) == (BreakerState.CLOSED, True)


def test_a_success_resets_the_count(time: FakeTime) -> None:
    b = breaker(time)
    b.failure()
    b.success()
    b.failure()

    assert b.state is BreakerState.CLOSED


def test_the_threshold_opens_it_and_it_refuses(time: FakeTime) -> None:
    b = breaker(time)
    b.failure()
    b.failure()

    assert (b.state, b.allow()) == (BreakerState.OPEN, False)


def test_after_reset_after_one_probe_passes_and_the_next_waits(time: FakeTime) -> None:
    b = breaker(time)
    b.failure()
    b.failure()
    time.now += 10.0

    assert (b.state, b.allow(), b.allow()) == (BreakerState.HALF_OPEN, True, False)


def test_a_probe_that_never_reports_is_replaced_after_reset_after(time: FakeTime) -> None:
    b = breaker(time)
    b.failure()
    b.failure()
    time.now += 10.0
    b.allow()
    time.now += 10.0

    assert b.allow() is True
