"""The Redis part of `/readyz`: does the configured Redis answer a PING, within a second?

A replica that cannot reach Redis would run pollers of its own and miss other replicas' fan-out,
so it is not ready. The check opens its own short-lived connection: it must tell whether Redis
answers now, not whether some pooled connection once did. Like the other checks it answers
`ok` or `failing: <error class>`, never the URL (it may carry a password).
"""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

TIMEOUT_SECONDS = 1.0


async def redis_check(url: str) -> str:
    limit = TIMEOUT_SECONDS
    client = Redis.from_url(url, socket_connect_timeout=limit, socket_timeout=limit)
    try:
        async with asyncio.timeout(limit):
            await client.ping()
    except Exception as error:  # any client or network error means "not reachable"
        return f"failing: {type(error).__name__}"
    finally:
        await client.aclose()
    return "ok"
