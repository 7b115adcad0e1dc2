"""Whether GraphQL admitted a request's operation: it validated and passed every limit.

The trusted-documents layer (`limits/documents.py`) registers an automatic persisted query only
for an admitted operation, so neither a text that does not validate nor one the rate limit refused
takes room in the store: registering a document costs a caller one request of its rate, as running
it does. `RateLimits`, the last check before execution, records the admission; the request's
`Context` carries the marker from the ASGI scope to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import Scope

STATE_KEY = "tradergraph.admission"


@dataclass
class Admission:
    admitted: bool = False


def awaiting_admission(scope: Scope) -> Admission:
    """A fresh marker in `scope`'s state, for the GraphQL run below to set."""
    admission = Admission()
    scope.setdefault("state", {})[STATE_KEY] = admission
    return admission


def admission_of(scope: Scope) -> Admission | None:
    found = scope.get("state", {}).get(STATE_KEY)
    return found if isinstance(found, Admission) else None
