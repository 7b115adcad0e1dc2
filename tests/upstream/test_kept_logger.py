"""A `KeptLogger` follows structlog's configuration as it changes, as `get_logger`'s proxy does."""

from __future__ import annotations

from structlog.testing import capture_logs

from upstream.kept_logger import KeptLogger


def test_each_capture_sees_the_lines_logged_while_it_lasts() -> None:
    log = KeptLogger("upstream")
    with capture_logs() as first:
        log.info("upstream_call", status=200)
    log.info("between")  # whatever is configured between the two
    with capture_logs() as second:
        log.info("upstream_call", status=None)
        log.info("upstream_call", status=503)
    assert (first, second) == (
        [{"event": "upstream_call", "status": 200, "log_level": "info"}],
        [
            {"event": "upstream_call", "status": None, "log_level": "info"},
            {"event": "upstream_call", "status": 503, "log_level": "info"},
        ],
    )
