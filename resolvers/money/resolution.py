"""How a stuck movement gets unstuck: an operator says what the upstream really did.

The service cannot ask the upstream whether a lost write applied (the API has no read of balance
history), so an OUTCOME_UNKNOWN entry waits for a person who checked the account: SUCCEEDED (with
the upstream's history id when known) or FAILED. The resolution is recorded with the operator's
identity; a transfer waiting on the entry is driven on at once.

One settled entry may be resolved too: a transfer's compensation that the upstream refused outright
(A deleted, the manager's rights gone). A's money is out and only a person can bring it back:
SUCCEEDED says they did (by hand, in the broker's back office), FAILED that it never happened, so
the saga sends it again once the cause is fixed (`Transfers.step`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from resolvers.money.failures import Failure
from resolvers.money.transfers import Step, Transfers, step_of
from store import journal_ops, money_transfers
from store.journal import JournalEntry, MovementState
from store.journal_ops import Settlement


class Outcome(enum.StrEnum):
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class Unresolvable(enum.StrEnum):
    MOVEMENT_NOT_FOUND = "MOVEMENT_NOT_FOUND"
    MOVEMENT_NOT_UNKNOWN = "MOVEMENT_NOT_UNKNOWN"


@dataclass(frozen=True)
class ResolutionRefused:
    reason: Unresolvable
    message: str
    movement: JournalEntry | None = None


def settlement_for(operator: str, outcome: Outcome, history_id: int | None) -> Settlement:
    """What the operator found, as a note the journal appends to the entry's message (why its
    answer was lost, or why the upstream refused it), so that neither is forgotten."""
    if outcome is Outcome.SUCCEEDED:
        note = f"resolved by operator {operator}: the upstream applied it"
        return Settlement(MovementState.SUCCEEDED, history_id=history_id, error_message=note)
    note = f"resolved by operator {operator}: the upstream did not apply it"
    return Settlement(
        MovementState.FAILED, error_code=Failure.UPSTREAM_UNAVAILABLE.value, error_message=note
    )


async def resolve(
    transfers: Transfers,
    operator: str,
    entry_id: int,
    outcome: Outcome,
    history_id: int | None = None,
) -> JournalEntry | ResolutionRefused:
    """Settle an OUTCOME_UNKNOWN entry once; any other state is refused and left alone."""
    engine = transfers.engine
    settlement = settlement_for(operator, outcome, history_id)
    entry = await journal_ops.transition(
        engine, entry_id, MovementState.OUTCOME_UNKNOWN, settlement, resolved_by=operator
    )
    if entry is None and await refused_compensation(transfers, entry_id):
        entry = await journal_ops.transition(
            engine, entry_id, MovementState.FAILED, settlement, resolved_by=operator
        )
    if entry is None:
        return await refusal(transfers, entry_id)
    if entry.transfer_id is not None:
        row = await money_transfers.get_transfer(engine, entry.transfer_id)
        if row is not None:
            await transfers.drive(row)
    return entry


async def refused_compensation(transfers: Transfers, entry_id: int) -> bool:
    """Whether the entry is the compensation of an unfinished transfer, refused outright."""
    entry = await journal_ops.get(transfers.engine, entry_id)
    if entry is None or entry.transfer_id is None or entry.state is not MovementState.FAILED:
        return False
    if entry.retryable or step_of(entry) is not Step.COMPENSATE:
        return False
    row = await money_transfers.get_transfer(transfers.engine, entry.transfer_id)
    return row is not None and row.state in money_transfers.UNFINISHED


async def refusal(transfers: Transfers, entry_id: int) -> ResolutionRefused:
    current = await journal_ops.get(transfers.engine, entry_id)
    if current is None:
        message = f"no money movement with id {entry_id}"
        return ResolutionRefused(Unresolvable.MOVEMENT_NOT_FOUND, message)
    message = f"money movement {entry_id} is {current.state.value}, not OUTCOME_UNKNOWN"
    return ResolutionRefused(Unresolvable.MOVEMENT_NOT_UNKNOWN, message, current)
