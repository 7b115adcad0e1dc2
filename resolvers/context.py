"""What every resolver can reach: the request's `Context` and the `Info` alias that types it.

Application-wide parts (settings, the upstream client, the user store, the trader index) are
built once by the server's lifespan and shared; the loaders are built per request so that
their caches never leak one request's data into another.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TypeAlias

import strawberry

from auth.callers import Caller
from auth.throttle import Attempts, LoginThrottle, MemoryAttempts
from history.mirror import HistoryMirror
from limits.admission import Admission
from limits.rates import MemoryRates, Rates
from limits.request import Asked
from resolvers.index import TraderIndex
from resolvers.loaders import Loaders
from resolvers.money.desk import MoneyDesk
from resolvers.scope import ManagerIndexes, client_for, index_for
from resolvers.visibility import Visible, scoped_loaders
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
    history: HistoryMirror
    indexes: ManagerIndexes = field(default_factory=ManagerIndexes)
    rates: Rates = field(default_factory=MemoryRates)
    attempts: Attempts = field(default_factory=MemoryAttempts)
    """The login attempts per address (auth/throttle.py)."""

    def seen_by(self, caller: Caller | None) -> Services:
        """These services as `caller` sees them: their token, their traders (resolvers.scope)."""
        ttl = self.settings.index_ttl_seconds
        index = index_for(self.index, self.indexes, caller, ttl)
        return replace(self, client=client_for(self.client, caller), index=index)


@dataclass(frozen=True)
class Context:
    """One GraphQL request's view of the services, with its own loaders."""

    services: Services
    loaders: Loaders
    request_id: str
    identity: Caller | None = None
    admission: Admission | None = None
    """Set when the operation passes every check before execution (`limits/admission.py`)."""
    asked: Asked | None = None
    """What the front door learned of this request over HTTP (`limits/request.py`)."""

    @classmethod
    def for_request(
        cls,
        services: Services,
        request_id: str,
        caller: Caller | None = None,
        admission: Admission | None = None,
        asked: Asked | None = None,
    ) -> Context:
        services = services.seen_by(caller)
        loaders = Loaders.build(
            services.client, services.users, services.index, services.settings, services.history
        )
        if caller is not None and (caller.partner or caller.upstream_token) is not None:
            visible = Visible(services.index, services.client)
            loaders = scoped_loaders(loaders, visible, caller, services.settings.loader_batch_size)
        return cls(
            services=services,
            loaders=loaders,
            request_id=request_id,
            identity=caller,
            admission=admission,
            asked=asked,
        )

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
    def who(self) -> Caller | None:
        """Who runs this operation (on a websocket: whom `connection_init` named)."""
        return self.identity

    @property
    def over_socket(self) -> bool:
        return False

    @property
    def logins(self) -> LoginThrottle:
        """The login throttle (auth/throttle.py), over this application's counters."""
        return LoginThrottle(self.services.attempts, self.settings)

    @property
    def client_address(self) -> str | None:
        """The client's address as the front door read it; None off HTTP."""
        return self.asked.client if self.asked is not None else None

    @property
    def caller(self) -> str:
        """Who asks, as the journal records it: the manager's login, or `partner:<id>`."""
        if self.identity is not None:
            return self.identity.name
        return str(self.services.settings.manager_login)


Info: TypeAlias = strawberry.Info[Context, None]
