"""`LiveService`: the hub an app serves subscriptions from, built from the settings.

Without a Redis client the pollers live in this process; with the app's one, `RedisBus` shares
each poller between the replicas. Nothing connects before the first subscription. The app's
lifespan builds it and closes it (`aclose` stops every poller) before the upstream client the
pollers use.
"""

from __future__ import annotations

from redis.asyncio import Redis

from live.backoff import PollPolicy
from live.clock import Clock, RealClock
from live.hub import LiveHub, LocalDistribution
from live.redis_bus import RedisBus
from live.watchlist import RedisWatchlist
from settings import ServiceSettings


class LiveService:
    def __init__(self, hub: LiveHub, bus: RedisBus | None = None) -> None:
        self.hub = hub
        self._bus = bus

    @classmethod
    def from_settings(
        cls, settings: ServiceSettings, redis: Redis | None, clock: Clock | None = None
    ) -> LiveService:
        clock = clock or RealClock()
        policy = PollPolicy(
            settings.live_poll_interval_seconds, settings.live_backoff_ceiling_seconds
        )
        if redis is None:
            return cls(LiveHub(LocalDistribution(clock, policy)))
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
