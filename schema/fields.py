"""`described`: a typed stand-in for `@described(...)`.

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
