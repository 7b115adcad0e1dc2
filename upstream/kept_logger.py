"""`KeptLogger`: a structlog logger bound once per logging configuration, not once per line.

`structlog.get_logger(name)` is a lazy proxy that, with `cache_logger_on_first_use` off (as
`observability.logs` keeps it, so that a reconfiguration or `structlog.testing.capture_logs`
reaches every module's logger), builds a new bound logger and asks the standard library for its
logger on every line: a third of a log line's cost, on the two lines every request writes (the
request and its upstream call). A `KeptLogger` binds once and binds again only when structlog's
configuration has changed since (other processors, wrapper or logger factory).
"""

from __future__ import annotations

from typing import Any

import structlog


class KeptLogger:
    __slots__ = ("_bound", "_made_for", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._made_for: tuple[int, ...] = ()
        self._bound: Any = None

    def info(self, event: str, **values: object) -> None:
        self._logger().info(event, **values)

    def _logger(self) -> Any:
        config = structlog.get_config()
        made_for = (
            id(config["processors"]),
            id(config["wrapper_class"]),
            id(config["logger_factory"]),
            id(config["context_class"]),
        )
        if made_for != self._made_for:
            self._bound, self._made_for = structlog.get_logger(self._name).bind(), made_for
        return self._bound
