"""Whether GraphQL admitted a request's operation: it validated and passed every limit.

The front door registers an automatic persisted query only for an admitted operation
(`limits/documents.py`), so a text that does not validate takes no room in the store. The
`Admission` marker travels on the request's `Asked` (`limits/request.py`) and its `Context`;
`RateLimits`, the last check before execution, sets it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Admission:
    admitted: bool = False
