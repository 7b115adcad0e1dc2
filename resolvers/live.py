"""Subscriptions' side of the resolvers: the websocket's context and the three change streams.

A websocket connection gets one `LiveContext` (Strawberry builds the context once per
connection): the request's services plus the app's `LiveHub` and the connection's count of open
subscriptions, capped by `max_subscriptions_per_connection`. Each stream subscribes to shared
pollers (`resolvers.live_sources`) with the caller's `Scope` and yields domain records; the
schema turns them into subscription events.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TypeAlias, TypeVar

import strawberry

from live.changes import Change, ChangeKind, Scope
from live.hub import LiveHub
from live.poller import Source
from observability.telemetry import current
from resolvers.context import Context, Services
from resolvers.errors import InvalidInput
from resolvers.live_sources import (
    AccountFigures,
    account_source,
    movement_source,
    positions_of_login,
    positions_of_white_label,
)
from store.journal import JournalEntry
from upstream.records import OpenPosition

T = TypeVar("T")
MAX_LOGINS = 100


@dataclass
class Connection:
    """One websocket's subscriptions: how many are open, and how many may be."""

    limit: int
    open: int = 0


@dataclass(frozen=True)
class LiveContext(Context):
    """The context of one websocket connection: a `Context` that can also subscribe."""

    hub: LiveHub = field(kw_only=True)
    connection: Connection = field(kw_only=True)

    @classmethod
    def for_connection(cls, services: Services, request_id: str, hub: LiveHub) -> LiveContext:
        base = Context.for_request(services, request_id)
        limit = services.settings.max_subscriptions_per_connection
        return cls(
            base.services, base.loaders, base.request_id, hub=hub, connection=Connection(limit)
        )

    @property
    def scope(self) -> Scope:
        """What this caller may see: today the manager's visibility (see `live.changes.Scope`)."""
        return Scope(caller=self.caller)


LiveInfo: TypeAlias = strawberry.Info[LiveContext, None]


def live_context(context: Context) -> LiveContext:
    if not isinstance(context, LiveContext):
        raise InvalidInput("Subscriptions are served over websockets (graphql-transport-ws).")
    return context


@asynccontextmanager
async def _slot(context: LiveContext, name: str) -> AsyncIterator[None]:
    """Count the subscription against the connection's cap and the open-subscriptions gauge."""
    connection = context.connection
    if connection.open >= connection.limit:
        raise InvalidInput(
            f"This connection already has {connection.limit} subscriptions open, the most allowed."
        )
    connection.open += 1
    current().metrics.subscription_opened(name)
    try:
        yield
    finally:
        connection.open -= 1
        current().metrics.subscription_closed(name)


async def _batches(
    context: Context, name: str, sources: Sequence[Source[T]]
) -> AsyncIterator[tuple[Change[T], ...]]:
    live = live_context(context)
    async with _slot(live, name), live.hub.subscribe(sources, live.scope) as subscriber:
        async for batch in subscriber:
            yield batch


async def account_changes(context: Context, logins: list[int]) -> AsyncIterator[AccountFigures]:
    """Each account among `logins` whose money changed, once per poll that saw it change."""
    unique = sorted(set(logins))
    if not 0 < len(unique) <= MAX_LOGINS:
        raise InvalidInput(f"logins must name between 1 and {MAX_LOGINS} accounts.")
    sources = [account_source(context.services, login) for login in unique]
    async for batch in _batches(context, "accountChanged", sources):
        for change in batch:
            if change.kind is not ChangeKind.REMOVED:
                yield change.value


async def position_changes(
    context: Context, login: int | None, white_label: str | None
) -> AsyncIterator[tuple[Change[OpenPosition], ...]]:
    """The open positions that opened, changed or closed since the previous poll."""
    if (login is None) == (white_label is None):
        raise InvalidInput("Give exactly one of login and whiteLabel.")
    services = context.services
    source = (
        positions_of_login(services, login)
        if login is not None
        else positions_of_white_label(services, str(white_label))
    )
    async for batch in _batches(context, "positionsChanged", [source]):
        yield batch


async def movement_changes(context: Context, movement_id: int) -> AsyncIterator[JournalEntry]:
    """The movement each time its journal entry moves on (state, history id, resolution)."""
    source = movement_source(context.services, movement_id)
    async for batch in _batches(context, "moneyMovementChanged", [source]):
        for change in batch:
            yield change.value
