"""Trader fields that read a per-request loader, declared once; a list warms them for its nodes.

A field that reads a loader says which with `batched` (a `Batched`: the loader, and one trader's
key from its login and, when the key depends on it, the names selected under the field). Its
resolver reads the loader with `Batched.now`, the value when the request already has it and an
awaitable otherwise (`resolvers.batching.Loader.load_now`). A list of traders (the connection, a
user's traders) calls `warm` before it returns them: for every field the query selects under the
nodes that declares a `Batched`, the keys of all the nodes are loaded at once through the same
loader, so the same batches make the same upstream calls; each node's field then finds its value
and answers without a coroutine, a task or an await of its own. Nothing here names a field: a
field that declares its loader is warmed like the others, and a field not selected is not loaded.

A key that depends on the selection (`account`'s upstream fields) is warmed once per login with
the union of every selection of that field under the list (aliases, fragments), and each node's
field asks for its own names joined with that union: one key per trader however the query spells
the field, as one batch, and never fewer fields than the node's own selection needs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from strawberry.types.base import get_object_definition

from resolvers.batching import Loader, Maybe
from resolvers.context import Info
from resolvers.loaders import Loaders
from schema.fields import answering
from schema.selection import groups_under, selected_names

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
F = TypeVar("F", bound=Callable[..., Any])
BATCHED = "tradergraph.batched"
NOTHING_SELECTED: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, eq=False)
class Batched(Generic[K, V]):
    """What a field loads for one trader: `loader` of the request, at `key(login, names)`.

    Each is declared once, and is itself (`eq=False`: hashed and compared by identity, in C, as
    its functions would be compared anyway) when it keys what a request warmed."""

    loader: Callable[[Loaders], Loader[K, V]]
    key: Callable[[int, frozenset[str]], K]
    by_selection: bool = False
    """Whether the key depends on the names selected under the field (else it gets none)."""

    def now(self, info: Info, login: int) -> Maybe[V]:
        loaders = info.context.loaders
        return self.loader(loaders).load_now(self.key(login, self._names(info, loaders, login)))

    def _names(self, info: Info, loaders: Loaders, login: int) -> frozenset[str]:
        if not self.by_selection:
            return NOTHING_SELECTED
        warmed = loaders.warmed.get(self, {}).get(login)
        own = selected_names(info)
        return own if warmed is None else own | warmed

    async def warm(self, loaders: Loaders, logins: Sequence[int], names: frozenset[str]) -> None:
        if self.by_selection:
            warmed = loaders.warmed.setdefault(self, {})
            for login in logins:
                warmed[login] = warmed.get(login, NOTHING_SELECTED) | names
            keys = [self.key(login, warmed[login]) for login in logins]
        else:
            keys = [self.key(login, names) for login in logins]
        await self.loader(loaders).load_slots(keys)


def batched(
    loads: Batched[Any, Any], graphql_type: object, description: str | None = None
) -> Callable[[F], F]:
    """A field that reads `loads` (and is warmed by `warm`); its resolver answers `Maybe`."""
    return answering(graphql_type, description, metadata={BATCHED: loads})


async def warm(info: Info, of: type, logins: Sequence[int], *path: str) -> None:
    """Load, for all `logins` at once, what the `of` fields selected under `path` read.

    Every key's answer (a value, or the exception its field will raise) stays in the request's
    loaders; a failing batch fails only the fields that read it, when they resolve.
    """
    if not logins:
        return
    names = info.schema.config.name_converter
    declared = {
        names.from_field(field): field.metadata.get(BATCHED)
        for field in get_object_definition(of, strict=True).fields
    }
    wanted: dict[Batched[Any, Any], frozenset[str]] = {}
    for name, selected in groups_under(info, *path):
        if (loads := declared.get(name)) is not None:
            wanted[loads] = wanted.get(loads, NOTHING_SELECTED) | selected
    loaders = info.context.loaders
    await asyncio.gather(*(loads.warm(loaders, logins, names) for loads, names in wanted.items()))
