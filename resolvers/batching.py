"""A typed face for aiodataloader, and the one rule every batch follows.

A batch function gets the keys in the order they were asked for and answers one slot per key,
in that order: a value, `None` (nothing there) or an exception (that key failed). If the batch
function itself raises, every key of the batch gets that exception, so one failing upstream
call fails the fields that needed it and nothing else.

`Loader.load_now` is how a field resolver reads a loader: the value itself when this request
already has it (a list warmed its nodes' keys before they resolved, `schema/batched.py`), an
awaitable of it otherwise. `then` shapes either kind the same way, so a field is written once
and answers synchronously whenever it can: graphql-core awaits only what is awaitable, and an
awaited field costs a coroutine and a task more than a value.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Coroutine, Hashable, Sequence
from types import CoroutineType, GeneratorType
from typing import Any, Generic, TypeAlias, TypeGuard, TypeVar, cast

from aiodataloader import DataLoader

from observability.telemetry import current

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")
Maybe: TypeAlias = V | Awaitable[V]
"""A resolver's answer: the value now, or an awaitable of it (graphql-core accepts both)."""


_AWAITABLE: dict[type, bool] = {CoroutineType: True}


def awaitable(value: Any) -> TypeGuard[Awaitable[Any]]:
    """Whether `await value` works: what its type says (a generator: its code's flag). Asked of
    every value a field answers, so known per type rather than through the `Awaitable` ABC."""
    kind = type(value)
    known = _AWAITABLE.get(kind)
    if known is None:
        if kind is GeneratorType:
            return bool(value.gi_code.co_flags & inspect.CO_ITERABLE_COROUTINE)
        known = _AWAITABLE[kind] = hasattr(kind, "__await__")
    return known


def then(value: Maybe[V], shape: Callable[[V], R]) -> Maybe[R]:
    """`shape(value)` now if `value` is here, else once it arrives."""
    if awaitable(value):
        return _shaped(value, shape)
    return shape(value)  # type: ignore[arg-type]


async def _shaped(pending: Awaitable[V], shape: Callable[[V], R]) -> R:
    return shape(await pending)


class Loader(Generic[K, V]):
    """Per-request loader: caches per key, batches keys asked for in the same tick.

    `name` labels its batches in the `tradergraph_loader_batch_size` metric.
    """

    def __init__(
        self,
        batch: Callable[[Sequence[K]], Awaitable[Sequence[V | BaseException]]],
        *,
        max_batch_size: int,
        name: str,
    ) -> None:
        self._cached: dict[K, asyncio.Future[Any]] = {}
        """The loader's cache itself (keys are their own cache keys): a field of each node of a
        page reads a key its list warmed, found here without the loader's call chain."""
        self._loader = DataLoader(
            _slots(batch, name), max_batch_size=max_batch_size, cache_map=self._cached
        )

    async def load(self, key: K) -> V:
        return cast(V, await self._loader.load(key))

    def load_now(self, key: K) -> Maybe[V]:
        """`key`'s value if this request already has it (or its exception, raised), else an
        awaitable of it, batched with the other keys asked for in the same tick."""
        future = self._cached.get(key) or self._loader.load(key)
        if future.done():
            return cast(V, future.result())
        return cast(Awaitable[V], future)

    async def load_slots(self, keys: Sequence[K]) -> list[V | BaseException]:
        """Every key's slot, a value or its exception, without a coroutine per key: waits for
        each batch once (its keys are answered together), not through a callback per key."""
        futures = [self._loader.load(key) for key in keys]
        for future in futures:
            if not future.done():
                await asyncio.wait((future,))
        return [_slot(future) for future in futures]

    def prime(self, key: K, value: V) -> None:
        self._loader.prime(key, value)

    def clear(self, key: K) -> None:
        """Forget `key`'s cached answer (after a write), so the next load asks again."""
        self._loader.clear(key)

    def clear_all(self) -> None:
        self._loader.clear_all()


def _slot(future: asyncio.Future[V]) -> V | BaseException:
    """A settled key's slot, as `gather(return_exceptions=True)` gives it."""
    if future.cancelled():
        return asyncio.CancelledError()
    error = future.exception()
    return future.result() if error is None else error


def _slots(
    batch: Callable[[Sequence[K]], Awaitable[Sequence[V | BaseException]]], name: str
) -> Callable[[list[K]], Coroutine[Any, Any, list[V | BaseException]]]:
    """The DataLoader's batch function: `batch`, its failure made every key's. A function of its
    own, not a method of the `Loader`: a DataLoader holding its Loader's bound method would tie
    the two in a reference cycle, and with it everything a request loaded (the open positions
    grid of every trader, its records) would outlive the request until the cyclic collector ran,
    pages later under `server.tune_collector`'s threshold."""

    async def run(keys: list[K]) -> list[V | BaseException]:
        current().metrics.loader_batch(name, len(keys))
        try:
            slots = list(await batch(keys))
        except Exception as error:  # the batch's failure is every key's failure
            return [error] * len(keys)
        if len(slots) != len(keys):
            raise AssertionError(f"batch answered {len(slots)} slots for {len(keys)} keys")
        return slots

    return run


class Once(Generic[V]):
    """An answer fetched at most once per request, however many fields ask for it."""

    def __init__(self, fetch: Callable[[], Awaitable[V]]) -> None:
        self._fetch = fetch
        self._task: asyncio.Task[V] | None = None

    async def get(self) -> V:
        if self._task is None:
            self._task = asyncio.ensure_future(self._fetch())
        return await self._task

    def forget(self) -> None:
        """Let the answer go (`Loaders.release`); a later `get` fetches it again."""
        self._task = None


def slots_by_key(keys: Sequence[K], found: dict[K, V], missing: V) -> list[V | BaseException]:
    """One slot per key from a dict of what was found; absent keys get `missing`."""
    return [found.get(key, missing) for key in keys]
