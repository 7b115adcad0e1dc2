"""Start-up recovery: nothing a crash interrupted stays silently unfinished.

An entry still PENDING after `stale_after` lost its owner between journaling and recording the
upstream's answer; whether the request reached the upstream cannot be known, so it becomes
OUTCOME_UNKNOWN for an operator. Then every unfinished transfer is driven on from its steps.
The server calls `recover` in its lifespan (in the background: driving may call the upstream).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import structlog

from resolvers.money.movements import ORPHANED, STALE_AFTER
from resolvers.money.transfers import Transfers
from store import journal_ops, money_transfers
from store.journal import MovementState
from store.journal_audit import stale_pending
from store.journal_ops import Settlement

log = structlog.get_logger("tradergraph.money")


@dataclass(frozen=True)
class Recovered:
    """What recovery did: entries it declared unknown and transfers it drove, by id."""

    unknown: tuple[int, ...]
    resumed: tuple[int, ...]


async def recover(transfers: Transfers, stale_after: timedelta = STALE_AFTER) -> Recovered:
    """Declare orphaned entries unknown, then drive every unfinished transfer; one that fails is
    logged and stays unfinished (a retry of its request, or the next start, drives it again)."""
    engine = transfers.engine
    orphans = await stale_pending(engine, journal_ops.utc_now() - stale_after)
    unknown = Settlement(MovementState.OUTCOME_UNKNOWN, error_message=ORPHANED)
    marked = [await journal_ops.settle(engine, entry.id, unknown) for entry in orphans]
    resumed = await money_transfers.unfinished(engine)
    for row in resumed:
        try:
            await transfers.drive(row)
        except Exception:  # one transfer's trouble must not leave the others unfinished
            log.exception("transfer recovery failed", transfer_id=row.id)
    return Recovered(tuple(e.id for e in marked if e is not None), tuple(r.id for r in resumed))
