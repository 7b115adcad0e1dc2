"""Which address a request comes from, for the counters kept per client (rates, login throttle).

The socket peer, unless the peer is one of `trusted_proxies` (CIDRs): then the `X-Forwarded-For`
header is read from the right, skipping the hops that are trusted proxies themselves, and the
first untrusted hop is the client (the left-most one a trusted chain vouches for). With no
trusted proxies (the default) the header is ignored, so a client cannot pick its own address.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address

from starlette.datastructures import Headers
from starlette.types import Scope

Network = IPv4Network | IPv6Network
UNKNOWN = "unknown"


def client_address(scope: Scope, trusted: Sequence[Network]) -> str:
    client = scope.get("client")
    peer = str(client[0]) if client else UNKNOWN
    if not trusted or not _within(peer, trusted):
        return peer
    forwarded = Headers(scope=scope).getlist("x-forwarded-for")
    hops = [hop.strip() for line in forwarded for hop in line.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _within(hop, trusted):
            return _canonical(hop)
    return peer


def _within(address: str, trusted: Sequence[Network]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in trusted)


def _canonical(hop: str) -> str:
    """An address as one spelling (so `::ffff:1.2.3.4` forms cannot split a counter); a hop that
    is no address at all is kept as it came, bounded, so it still counts as one client."""
    try:
        return str(ip_address(hop))
    except ValueError:
        return hop[:64]
