"""Logs: every line one JSON object carrying the request id, whichever library logged it."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
import structlog

from observability.logs import ACCESS_LOGGER, configure_logging
from settings import LogFormat
from tests.observability.served import Observed

Line = dict[str, object]
SERVICE_URL = "http://service.test"


class Captured:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    def lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()

    def records(self) -> list[Line]:
        return [json.loads(line) for line in self.lines()]


def _not_the_tests_own_client(record: logging.LogRecord) -> bool:
    """The test reaches the service with httpx too; its lines are the caller's."""
    return not (record.name == "httpx" and SERVICE_URL in record.getMessage())


@pytest.fixture
def logs(restored_logging: None) -> Captured:
    """JSON logging into a buffer for one test (the previous set-up is put back after)."""
    stream = io.StringIO()
    handler = configure_logging(LogFormat.JSON, "INFO", stream)
    handler.addFilter(_not_the_tests_own_client)
    return Captured(stream)


def _without_timing(line: Line) -> Line:
    return {key: value for key, value in line.items() if key not in ("timestamp", "duration_ms")}


async def test_every_line_of_a_scripted_run_is_json_with_its_request_id(
    service: Observed, logs: Captured
) -> None:
    await service.query("{ depositAssets }", request_id="req-1")
    await service.query("{ traders(first: 3) { totalCount } }", request_id="req-2")
    await service.http.get("/metrics", headers={"X-Request-ID": "req-3"})
    ids = [record.get("request_id") for record in logs.records()]
    assert (len(ids) > 3, set(ids)) == (True, {"req-1", "req-2", "req-3"})


async def test_a_request_line_records_method_path_and_status(
    service: Observed, logs: Captured
) -> None:
    await service.http.get("/graphql?query={depositAssets}", headers={"X-Request-ID": "req-9"})
    assert _without_timing(logs.records()[-1]) == {
        "event": "request",
        "method": "GET",
        "path": "/graphql",
        "status": 200,
        "request_id": "req-9",
        "level": "info",
        "logger": "tradergraph.http",
    }


def test_standard_library_lines_share_the_renderer_and_the_request_id(logs: Captured) -> None:
    with structlog.contextvars.bound_contextvars(request_id="req-4"):
        logging.getLogger("uvicorn.error").warning("worker %s stopping", 7)
    record = logs.records()[0]
    timestamp = str(record.pop("timestamp"))
    assert (record, bool(re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", timestamp))) == (
        {
            "event": "worker 7 stopping",
            "level": "warning",
            "logger": "uvicorn.error",
            "request_id": "req-4",
        },
        True,
    )


def test_a_line_outside_any_request_says_so(logs: Captured) -> None:
    structlog.get_logger("tradergraph.server").info("started", port=8000)
    assert _without_timing(logs.records()[0]) == {
        "event": "started",
        "port": 8000,
        "request_id": None,
        "level": "info",
        "logger": "tradergraph.server",
    }


async def test_no_line_carries_the_upstream_token(service: Observed, logs: Captured) -> None:
    await service.query("{ depositAssets }")
    logging.getLogger("httpx").warning("HTTP Request: GET http://x/v2?token=abc-123 200")
    leaked = [line for line in logs.lines() if re.search(r"token=(?!\*\*\*)", line)]
    assert (leaked, len(logs.lines()) > 1) == ([], True)


def test_console_format_is_for_people(logs: Captured) -> None:
    stream = io.StringIO()
    configure_logging(LogFormat.CONSOLE, "INFO", stream)
    structlog.get_logger("tradergraph.server").info("started")
    line = stream.getvalue()
    assert ("[info" in line, "started" in line, line.startswith("{")) == (True, True, False)


def test_uvicorns_access_log_is_silent_the_request_line_replaces_it(logs: Captured) -> None:
    access = logging.getLogger(ACCESS_LOGGER)
    access.info('127.0.0.1:1 - "GET /graphql?query=... HTTP/1.1" 200')
    assert (access.propagate, logs.lines()) == (False, [])


def test_httpx_request_lines_are_left_to_the_upstream_call_line(logs: Captured) -> None:
    httpx_logger = logging.getLogger("httpx")
    httpx_logger.info("HTTP Request: POST http://x/v2/webserv/traders/5/changebalance 200")
    httpx_logger.warning("HTTP Request: refused")
    assert [json.loads(line)["event"] for line in logs.lines()] == ["HTTP Request: refused"]
