"""Start-up checks for a service whose anonymous callers act as the manager.

Development mode (the demo), or `TRADERGRAPH_DEFAULT_CALLER=true`, serves every request without
`Authorization` as the configured manager, with the manager's full rights, money included. So
`tradergraph serve` and `tradergraph demo` refuse to bind an address other than loopback unless
`TRADERGRAPH_UNSAFE_PUBLIC_BIND=true` (`--unsafe-public-bind`) says so, and say at start-up, as a
WARNING log line and on stderr, whom anonymous callers act as (docs/security.md).
"""

from __future__ import annotations

import ipaddress
import sys
from typing import TextIO

import structlog

from auth.identify import default_caller_enabled
from settings import ServiceSettings

log = structlog.get_logger("tradergraph.startup")


def is_loopback(host: str) -> bool:
    """Whether `host` (an address or `localhost`) is reachable from this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # any other name may resolve to anything
        return False


def bind_refusal(settings: ServiceSettings, host: str) -> str | None:
    """Why binding `host` is refused, or None when it is allowed."""
    if not default_caller_enabled(settings) or is_loopback(host) or settings.unsafe_public_bind:
        return None
    return (
        f"refusing to bind {host}: anonymous callers act as manager {settings.manager_login}"
        " (development mode or TRADERGRAPH_DEFAULT_CALLER), so anyone who reaches this address"
        " could move money. Bind 127.0.0.1, or set TRADERGRAPH_UNSAFE_PUBLIC_BIND=true"
        " (--unsafe-public-bind) if that is really meant."
    )


def anonymous_warning(settings: ServiceSettings) -> str | None:
    if not default_caller_enabled(settings):
        return None
    return (
        f"ANONYMOUS CALLERS ACT AS MANAGER {settings.manager_login}: every request without"
        " Authorization has the manager's full rights, money included (development mode or"
        " TRADERGRAPH_DEFAULT_CALLER). Never expose this service."
    )


def announce(settings: ServiceSettings, host: str | None, stderr: TextIO | None = None) -> bool:
    """Log and print the warning (if any); False, after saying why, when `host` is refused."""
    out = stderr or sys.stderr
    refusal = None if host is None else bind_refusal(settings, host)
    if refusal is not None:
        log.error("bind refused", reason=refusal)
        print(f"tradergraph: {refusal}", file=out)
        return False
    warning = anonymous_warning(settings)
    if warning is not None:
        log.warning("anonymous callers act as the manager", detail=warning)
        print(f"tradergraph: WARNING: {warning}", file=out)
    return True
