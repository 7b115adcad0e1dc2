"""What every resolver can reach: the request's `Context` and the `Info` alias that types it.

Application-wide parts (settings, the upstream client, the user store, the trader index) are
built once by the server's lifespan and shared; the loaders are built per request so that
their caches never leak one request's data into another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import strawberry

from resolvers.index import TraderIndex
from resolvers.loaders import Loaders
from resolvers.money.desk import MoneyDesk
from settings import ServiceSettings
from store.users import UserStore
from upstream.client import WebServicesClient


@dataclass(frozen=True)
class Services:
    """The application-wide parts, built once at start-up."""

    settings: ServiceSettings
    client: WebServicesClient
    users: UserStore
    index: TraderIndex
    money: MoneyDesk


@dataclass(frozen=True)
class Context:
    """One GraphQL request's view of the services, with its own loaders."""

    services: Services
    loaders: Loaders
    request_id: str

    @classmethod
    def for_request(cls, services: Services, request_id: str) -> Context:
        loaders = Loaders.build(services.client, services.users, services.index, services.settings)
        return cls(services=services, loaders=loaders, request_id=request_id)

    @property
    def settings(self) -> ServiceSettings:
        return self.services.settings

    @property
    def client(self) -> WebServicesClient:
        return self.services.client

    @property
    def money(self) -> MoneyDesk:
        """The money journal and transfers (`resolvers.money`), shared by all requests."""
        return self.services.money

    @property
    def caller(self) -> str:
        """Who asks: the upstream manager's login, until requests carry their own identity."""
        return str(self.services.settings.manager_login)


Info: TypeAlias = strawberry.Info[Context, None]
