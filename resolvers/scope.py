"""The services as one caller sees them: whose upstream token, which traders.

- A manager's session gets a view of the one upstream client that sends their own token, and
  a trader index of their own, built with that token: the upstream's permissions (white labels,
  groups, read-only) then apply to every list, lookup and write of theirs, and nothing one
  manager's index holds can reach another.
- A partner key uses the service's token but sees its index filtered to the traders naming the
  partner (introducingBroker1/2); resolvers.visibility makes its loaders answer null for any other
  trader, so `trader(login)`, `node(id)` and every traversal through a trader stop there.
- Money movements go through the shared money desk; `CallerGateway` sends them with the current
  caller's client (a context variable set here), so a manager moves money with their own rights.
"""

from __future__ import annotations

from contextvars import ContextVar

from auth.callers import Caller
from resolvers.index import IndexSnapshot, TraderIndex
from resolvers.money.gateway import UpstreamGateway
from resolvers.money.orders import Account
from store.journal import JournalEntry
from upstream.client import WebServicesClient

_CLIENT: ContextVar[WebServicesClient | None] = ContextVar(
    "tradergraph_caller_client", default=None
)


class ManagerIndexes:
    """One trader index per manager login, each built with that manager's own token."""

    def __init__(self) -> None:
        self._by_login: dict[int, TraderIndex] = {}

    def of(self, login: int, ttl: float, shared: TraderIndex) -> TraderIndex:
        return self._by_login.setdefault(login, SessionIndex(ttl, self, shared))

    def invalidate_all(self, shared: TraderIndex) -> None:
        shared.invalidate()
        for index in self._by_login.values():
            TraderIndex.invalidate(index)


class SessionIndex(TraderIndex):
    """A manager's own index; a write made through it (a trader created, moved, deleted) makes
    every index rebuild, the shared one and the other managers', since they may all show it."""

    def __init__(self, ttl: float, registry: ManagerIndexes, shared: TraderIndex) -> None:
        super().__init__(ttl)
        self._registry, self._shared = registry, shared

    def invalidate(self) -> None:
        self._registry.invalidate_all(self._shared)


class PartnerIndex(TraderIndex):
    """The shared index, seen through one partner: only the traders that name it."""

    def __init__(self, inner: TraderIndex, partner: str) -> None:
        self._inner, self._partner = inner, partner

    async def snapshot(self, client: WebServicesClient) -> IndexSnapshot:
        return self._only(await self._inner.snapshot(client))

    def current(self) -> IndexSnapshot | None:
        snapshot = self._inner.current()
        return None if snapshot is None else self._only(snapshot)

    def invalidate(self) -> None:
        self._inner.invalidate()

    def _only(self, snapshot: IndexSnapshot) -> IndexSnapshot:
        entries = tuple(e for e in snapshot.entries if self._partner in e.partners)
        return IndexSnapshot(
            entries, {e.login: e for e in entries}, tuple(e.registered for e in entries)
        )


class CallerGateway:
    """The money desk's gateway, speaking with the client of the caller being served."""

    def __init__(self, client: WebServicesClient) -> None:
        self._default = client

    def _gateway(self) -> UpstreamGateway:
        return UpstreamGateway(_CLIENT.get() or self._default)

    async def account(self, login: int) -> Account:
        return await self._gateway().account(login)

    async def apply(self, entry: JournalEntry) -> int:
        return await self._gateway().apply(entry)


def client_for(client: WebServicesClient, caller: Caller | None) -> WebServicesClient:
    """The client speaking for `caller`; remembered for the money desk's gateway."""
    if caller is None or caller.upstream_token is None:
        return client
    view = client.for_token(caller.upstream_token)
    _CLIENT.set(view)
    return view


def index_for(
    index: TraderIndex, indexes: ManagerIndexes, caller: Caller | None, ttl: float
) -> TraderIndex:
    if caller is None:
        return index
    if caller.partner is not None:
        return PartnerIndex(index, caller.partner)
    if caller.upstream_token is not None and caller.manager_login is not None:
        return indexes.of(caller.manager_login, ttl, index)
    return index
