"""`described` and `answering`: typed stand-ins for `@strawberry.field(...)`.

Strawberry types the bare `@strawberry.field` decorator but not its called form, which
`mypy --strict` rejects as an untyped decorator; this wrapper keeps the resolver's signature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

F = TypeVar("F", bound=Callable[..., Any])


def described(description: str) -> Callable[[F], F]:
    def wrap(resolver: F) -> F:
        return cast(F, strawberry.field(resolver, description=description))

    return wrap


def answering(
    graphql_type: object,
    description: str | None = None,
    metadata: dict[str, object] | None = None,
) -> Callable[[F], F]:
    """A field whose resolver may answer now or later (`resolvers.batching.Maybe`): its GraphQL
    type is given here, since the resolver's annotation also names the awaitable."""

    def wrap(resolver: F) -> F:
        field = strawberry.field(
            resolver, graphql_type=graphql_type, description=description, metadata=metadata
        )
        return cast(F, field)

    return wrap
