"""The wait before the next poll: the interval, doubled per failure, capped, >= Retry-After."""

from __future__ import annotations

from live.backoff import PollPolicy

POLICY = PollPolicy(interval=10.0, ceiling=60.0)


def test_failures_in_a_row_double_the_wait_up_to_the_ceiling() -> None:
    backoff = POLICY.backoff()
    assert [backoff.after_failure() for _ in range(4)] == [20.0, 40.0, 60.0, 60.0]


def test_a_retry_after_longer_than_the_backoff_wins() -> None:
    assert POLICY.backoff().after_failure(retry_after=120.0) == 120.0


def test_a_good_poll_goes_back_to_the_interval() -> None:
    backoff = POLICY.backoff()
    backoff.after_failure()
    assert (backoff.after_success(), backoff.after_failure()) == (10.0, 20.0)
