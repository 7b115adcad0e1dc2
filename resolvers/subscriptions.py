"""Subscriptions' side of the resolvers: the websocket's context and the three change streams.

A websocket connection gets one `LiveContext` (Strawberry builds the context once per
connection): the request's services plus the app's `LiveHub` and the connection's count of open
subscriptions, capped by `max_subscriptions_per_connection`. Each stream subscribes to shared
pollers (`resolvers.live_sources`) with the caller's `Scope` and yields domain records; the
schema turns them into subscription events.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeAlias, TypeVar

import strawberry
from strawberry.exceptions import ConnectionRejectionError

from auth.callers import Caller
from auth.identify import Identifier
from limits.connections import connection_caller
from live.changes import Change, ChangeKind, Scope
from live.hub import LiveHub
from live.poller import PollKey, Source
from live.watchlist import Watchlist
from observability.telemetry import current
from resolvers.context import Context, Services
from resolvers.errors import InvalidInput, positive_login
from resolvers.live_sources import AccountFigures, Asker, movement_source
from resolvers.live_watch import (
    account_key,
    login_target,
    positions_key,
    watched_accounts,
    watched_positions,
    white_label_target,
)
from resolvers.visibility import Visible
from store.journal import JournalEntry
from upstream.records import OpenPosition

T = TypeVar("T")
R = TypeVar("R")
MAX_LOGINS = 100


@dataclass
class Connection:
    """One websocket's subscriptions: how many are open, and how many may be."""

    limit: int
    open: int = 0


class LiveContext(Context):
    """The context of one websocket connection: a `Context` that can also subscribe.

    Strawberry builds it when the socket opens, before `connection_init` says who is asking;
    `identify` then sets `asking`, the caller's own `Context` (their services, their token),
    which every subscription of the connection polls with. Strawberry refuses subscriptions
    before `connection_init` is acknowledged, so none runs unidentified. Not a dataclass of its
    own: Strawberry hands it `connection_params` by attribute, which a frozen one would refuse.
    """

    def __init__(self, base: Context, hub: LiveHub, identifier: Identifier, address: str) -> None:
        super().__init__(base.services, base.loaders, base.request_id, base.identity)
        self.hub = hub
        self.identifier = identifier
        self.address = address
        """The client's address, read as the HTTP door reads it (limits/clients.py)."""
        self.connection = Connection(base.settings.max_subscriptions_per_connection)
        self.connection_params: dict[str, object] = {}
        self.asking = base

    @classmethod
    def for_connection(
        cls,
        services: Services,
        request_id: str,
        hub: LiveHub,
        identifier: Identifier,
        address: str,
    ) -> LiveContext:
        return cls(Context.for_request(services, request_id), hub, identifier, address)

    def identify(self, services: Services, caller: Caller) -> None:
        """`caller` is who asks on this connection (from `connection_init`)."""
        self.asking = Context.for_request(services, self.request_id, caller)

    @property
    def who(self) -> Caller | None:
        return self.asking.identity

    @property
    def over_socket(self) -> bool:
        return True

    @property
    def authorization(self) -> str | None:
        """The `Authorization` that `connection_init`'s payload carried, if any."""
        value = self.connection_params.get(
            "Authorization", self.connection_params.get("authorization")
        )
        return value if isinstance(value, str) else None

    @property
    def scope(self) -> Scope:
        """What the caller may see; their visibility upstream is their own token's."""
        return Scope(caller=self.asking.caller)


LiveInfo: TypeAlias = strawberry.Info[LiveContext, None]


def asker_of(asking: Context) -> Asker:
    """Who polls for `asking`: a partner key sees only its index's traders (visibility.py)."""
    caller = asking.identity
    if caller is None or caller.partner is None:
        return Asker(asking.services, asking.caller, _everything)
    visible = Visible(asking.services.index, asking.services.client)
    return Asker(asking.services, asking.caller, visible.logins)


async def _everything() -> frozenset[int] | None:
    """No list of its own: the caller's token makes the upstream refuse what it may not see."""
    return None


async def identify_connection(context: Context) -> None:
    """Who asks on a websocket: `connection_init`'s `Authorization`, read as for HTTP.

    Unknown or missing credentials (when no default caller is configured) close the socket
    before any subscription, each refusal counted against the client address's anonymous rate
    (limits/connections.py): 4403 Forbidden, or 4429 once the rate is spent.
    """
    if not isinstance(context, LiveContext):
        raise ConnectionRejectionError()
    identify, services = context.identifier.caller, context.services
    caller = await connection_caller(
        identify, services.rates, services.settings, context.authorization, context.address
    )
    context.identify(services, caller)


def live_context(context: Context) -> LiveContext:
    if not isinstance(context, LiveContext):
        raise InvalidInput("Subscriptions are served over websockets (graphql-transport-ws).")
    return context


class _Held(Generic[R]):
    """A change stream holding one of its connection's subscription slots until it is closed.

    The slot is taken when the subscription is accepted (so a burst of subscribe messages cannot
    overrun the cap) and given back however the stream ends: exhausted, failed, or closed before
    it was ever read.
    """

    def __init__(self, stream: AsyncGenerator[R, None], release: Callable[[], None]) -> None:
        self._stream = stream
        self._release = release

    def __aiter__(self) -> _Held[R]:
        return self

    async def __anext__(self) -> R:
        try:
            return await self._stream.__anext__()
        except BaseException:
            self._release()
            raise

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            self._release()


def _held(context: LiveContext, name: str, stream: AsyncGenerator[R, None]) -> AsyncIterator[R]:
    """`stream`, counted against the connection's cap and the open-subscriptions gauge."""
    connection = context.connection
    if connection.open >= connection.limit:
        raise InvalidInput(
            f"This connection already has {connection.limit} subscriptions open, the most allowed."
        )
    connection.open += 1
    current().metrics.subscription_opened(name)
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            released = True
            connection.open -= 1
            current().metrics.subscription_closed(name)

    return _Held(stream, release)


async def _changes(
    live: LiveContext, sources: Sequence[Source[T]], present: Callable[[Change[T]], R | None]
) -> AsyncGenerator[R, None]:
    async with live.hub.subscribe(sources, live.scope) as subscriber:
        async for batch in subscriber:
            for change in batch:
                if (event := present(change)) is not None:
                    yield event


def account_changes(
    context: Context, logins: list[int], present: Callable[[AccountFigures], R]
) -> AsyncIterator[R]:
    """Each account among `logins` whose money changed, once per poll that saw it change."""
    live = live_context(context)
    unique = sorted(set(logins))
    if not 0 < len(unique) <= MAX_LOGINS:
        raise InvalidInput(f"logins must name between 1 and {MAX_LOGINS} accounts.")
    asker = asker_of(live.asking)
    mine = frozenset(positive_login(login, "logins") for login in unique)
    source = watched_accounts(asker, live.hub.watchlist)

    def of(change: Change[AccountFigures]) -> R | None:
        if change.kind is ChangeKind.REMOVED or change.value.login not in mine:
            return None
        return present(change.value)

    watching = Watching(live.hub.watchlist, account_key(asker), [str(n) for n in unique])
    return _held(live, "accountChanged", watching.around(_changes(live, [source], of)))


def position_changes(
    context: Context,
    login: int | None,
    white_label: str | None,
    present: Callable[[tuple[Change[OpenPosition], ...]], R],
) -> AsyncIterator[R]:
    """The open positions that opened, changed or closed since the previous poll, per poll."""
    live = live_context(context)
    if (login is None) == (white_label is None):
        raise InvalidInput("Give exactly one of login and whiteLabel.")
    asker = asker_of(live.asking)
    if login is not None:
        login = positive_login(login)
    target = login_target(login) if login is not None else white_label_target(white_label)

    def mine(change: Change[OpenPosition]) -> bool:
        if login is not None:
            return change.value.login == login
        return change.audience.white_label == white_label

    source = watched_positions(asker, live.hub.watchlist)
    watching = Watching(live.hub.watchlist, positions_key(asker), [target])
    stream = _batches(live, source, mine, present)
    return _held(live, "positionsChanged", watching.around(stream))


@dataclass(frozen=True)
class Watching:
    """A subscription's targets, watched by its poller while the subscription lasts."""

    watchlist: Watchlist
    key: PollKey
    targets: list[str]

    async def around(self, stream: AsyncGenerator[R, None]) -> AsyncGenerator[R, None]:
        await self.watchlist.watch(self.key, self.targets)
        try:
            async for event in stream:
                yield event
        finally:
            await stream.aclose()
            await self.watchlist.unwatch(self.key, self.targets)


async def _batches(
    live: LiveContext,
    source: Source[OpenPosition],
    mine: Callable[[Change[OpenPosition]], bool],
    present: Callable[[tuple[Change[OpenPosition], ...]], R],
) -> AsyncGenerator[R, None]:
    async with live.hub.subscribe([source], live.scope) as subscriber:
        async for batch in subscriber:
            if kept := tuple(change for change in batch if mine(change)):
                yield present(kept)


def movement_changes(
    context: Context, movement_id: int, present: Callable[[JournalEntry], R]
) -> AsyncIterator[R]:
    """The movement each time its journal entry moves on (state, history id, resolution)."""
    live = live_context(context)
    source = movement_source(asker_of(live.asking), movement_id)

    def of(change: Change[JournalEntry]) -> R:
        return present(change.value)

    return _held(live, "moneyMovementChanged", _changes(live, [source], of))
