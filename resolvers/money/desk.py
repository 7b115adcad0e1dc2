"""The money side of the service, built once at start-up and reached from the GraphQL context.

The server's lifespan builds one `MoneyDesk` over the service's database and upstream client,
and starts `recover()` in the background; resolvers reach it as `info.context.money` and name the
caller with `info.context.caller` (the manager login until the auth issue brings real callers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.gateway import MoneyGateway, UpstreamGateway
from resolvers.money.movements import Movements
from resolvers.money.recovery import Recovered, recover
from resolvers.money.transfers import CrashPoint, Transfers, no_crash
from upstream.client import WebServicesClient


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

    async def recover(self, stale_after: timedelta = timedelta(seconds=60)) -> Recovered:
        return await recover(self.transfers, stale_after)


class MoneyContext(Protocol):
    """What the money resolvers need from the request context."""

    @property
    def money(self) -> MoneyDesk: ...

    @property
    def caller(self) -> str: ...
