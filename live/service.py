"""`LiveService`: the hub an app serves subscriptions from, built from the settings.

Without `redis_url` the pollers live in this process; with it, `RedisBus` shares each poller
between the replicas. Nothing connects before the first subscription, and `around(lifespan)`
stops every poller (and closes Redis) when the app shuts down.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TypeVar

from redis.asyncio import Redis

from live.backoff import PollPolicy
from live.clock import Clock, RealClock
from live.hub import LiveHub, LocalDistribution
from live.redis_bus import RedisBus
from live.watchlist import RedisWatchlist
from settings import ServiceSettings

A = TypeVar("A")
CONNECT_TIMEOUT = 5.0
"""Seconds to reach Redis: a subscription fails (coded, logged) instead of hanging on it."""
Lifespan = Callable[[A], AbstractAsyncContextManager[None]]


class LiveService:
    def __init__(self, hub: LiveHub, bus: RedisBus | None = None) -> None:
        self.hub = hub
        self._bus = bus

    @classmethod
    def from_settings(cls, settings: ServiceSettings, clock: Clock | None = None) -> LiveService:
        clock = clock or RealClock()
        policy = PollPolicy(
            settings.live_poll_interval_seconds, settings.live_backoff_ceiling_seconds
        )
        if settings.redis_url is None:
            return cls(LiveHub(LocalDistribution(clock, policy)))
        redis = Redis.from_url(settings.redis_url, socket_connect_timeout=CONNECT_TIMEOUT)
        bus = RedisBus(
            redis,
            clock,
            policy,
            leader_ttl=settings.live_leader_ttl_seconds,
            prefix=settings.redis_key_prefix,
        )
        return cls(LiveHub(bus, RedisWatchlist(redis, settings.redis_key_prefix)), bus)

    async def aclose(self) -> None:
        await self.hub.close()
        if self._bus is not None:
            await self._bus.aclose()

    def around(self, lifespan: Lifespan[A]) -> Lifespan[A]:
        """`lifespan`, with every poller stopped before it closes what they use."""

        @asynccontextmanager
        async def wrapped(app: A) -> AsyncIterator[None]:
            async with lifespan(app):
                try:
                    yield
                finally:  # before the lifespan closes the upstream client the pollers use
                    await self.aclose()

        return wrapped
