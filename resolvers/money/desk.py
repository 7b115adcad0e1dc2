"""The money side of the service, built once at start-up and reached from the GraphQL context.

The server's lifespan builds one `MoneyDesk` over the service's database and upstream client,
and starts `start_recovery()` in the background (the one place recovery starts); resolvers
reach it as `info.context.money` and name the
caller with `info.context.caller` (the manager login until the auth issue brings real callers).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.gateway import MoneyGateway, UpstreamGateway
from resolvers.money.movements import STALE_AFTER, Movements
from resolvers.money.recovery import Recovered, recover
from resolvers.money.transfers import CrashPoint, Transfers, no_crash
from upstream.client import WebServicesClient

log = structlog.get_logger("tradergraph.money")


@dataclass(frozen=True)
class MoneyDesk:
    movements: Movements
    transfers: Transfers

    @classmethod
    def over(
        cls, engine: AsyncEngine, gateway: MoneyGateway, crash_point: CrashPoint = no_crash
    ) -> MoneyDesk:
        movements = Movements(engine, gateway)
        return cls(movements, Transfers(movements, crash_point))

    @classmethod
    def for_client(cls, engine: AsyncEngine, client: WebServicesClient) -> MoneyDesk:
        return cls.over(engine, UpstreamGateway(client))

    @property
    def engine(self) -> AsyncEngine:
        return self.movements.engine

    async def recover(self, stale_after: timedelta = STALE_AFTER) -> Recovered:
        return await recover(self.transfers, stale_after)

    def start_recovery(self, stale_after: timedelta = STALE_AFTER) -> asyncio.Task[None]:
        """Recovery as a background task for the lifespan (cancel it on shutdown): it may call
        the upstream, which must not hold up start-up. What it did, if anything, goes to the
        log, and so does its failure."""
        return asyncio.create_task(self._recover_and_log(stale_after), name="money-recovery")

    async def _recover_and_log(self, stale_after: timedelta) -> None:
        try:
            recovered = await self.recover(stale_after)
        except Exception:
            log.exception("money recovery failed")
            return
        if recovered.unknown or recovered.resumed:  # a clean start says nothing
            log.info("money recovery", unknown=recovered.unknown, resumed=recovered.resumed)


class MoneyContext(Protocol):
    """What the money resolvers need from the request context."""

    @property
    def money(self) -> MoneyDesk: ...

    @property
    def caller(self) -> str: ...
