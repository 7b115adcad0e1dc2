"""Keep the token out of httpx's own log lines.

httpx logs every request at INFO with its full URL, and the URL carries `?token=`. A filter on
the `httpx` logger rewrites those records before any handler sees them.
"""

from __future__ import annotations

import logging
import re

_TOKEN = re.compile(r"(token=)[^&\s\"']+")


def redact(text: str) -> str:
    return _TOKEN.sub(r"\1***", text)


class TokenRedactor(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "token=" in message:
            record.msg = redact(message)
            record.args = None
        return True


def redact_httpx_logs(logger: logging.Logger) -> None:
    """Install the filter once, however many clients are built."""
    if not any(isinstance(f, TokenRedactor) for f in logger.filters):
        logger.addFilter(TokenRedactor())
