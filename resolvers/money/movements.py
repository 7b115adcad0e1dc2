"""Exactly-once money movements: journal first, call the upstream once, remember the answer.

The request whose insert wins the journal's unique (caller, key) owns the upstream call. Any other
request with that key reads the owner's result: it waits while the entry is PENDING, gets
`IDEMPOTENCY_KEY_REUSED` if its input differs, and never calls the upstream itself, except to retry
a failure that left nothing on the upstream's books (rate limit, upstream unavailable). A lost
answer leaves the entry OUTCOME_UNKNOWN until an operator resolves it; nothing re-sends it.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.failures import Failure, Refused, Rejection, Unknown, rejection_of
from resolvers.money.gateway import MoneyGateway
from resolvers.money.orders import Account, MoneyOrder, order_hash
from resolvers.money.validation import applied, check_form
from store import journal_ops
from store.journal import Draft, JournalEntry, MovementState
from store.journal_ops import Settlement

MoveResult = JournalEntry | Rejection
ACCOUNT_CACHE_SIZE = 10_000
STALE_AFTER = timedelta(seconds=60)
"""Longer than any upstream call may last (the client's deadline): a PENDING entry this old has
no live owner. The lease that keeps a live replica's in-flight calls from being declared lost."""
ORPHANED = "the service stopped before it recorded the upstream's answer"


class Movements:
    """The exactly-once engine for single-account movements. One per process, shared."""

    def __init__(
        self,
        engine: AsyncEngine,
        gateway: MoneyGateway,
        *,
        wait_timeout: float = 30.0,
        stale_after: timedelta = STALE_AFTER,
    ) -> None:
        self.engine = engine
        self.gateway = gateway
        self.wait_timeout = wait_timeout
        self.stale_after = stale_after
        self._accounts: OrderedDict[int, Account] = OrderedDict()
        self._settled: dict[int, asyncio.Event] = {}
        self._reading: dict[int, asyncio.Future[Account]] = {}

    async def move(
        self, caller: str, order: MoneyOrder, *, transfer_id: int | None = None, retake: bool = True
    ) -> MoveResult:
        """Apply `order` at most once for (caller, key); see the module docstring."""
        try:
            check_form(order)
        except Refused as refused:
            return Rejection(refused.failure, refused.message)
        input_hash = order_hash(order, transfer_id)
        try:
            draft = await self.draft(caller, order, input_hash, transfer_id)
        except Refused as refused:
            existing = await journal_ops.find(self.engine, caller, order.idempotency_key)
            if existing is not None:  # the key's first request decides, not this one's input
                return await self.replay(existing, input_hash, retake=retake)
            return Rejection(refused.failure, refused.message)
        claim = await journal_ops.claim(self.engine, draft)
        if not claim.owned:
            return await self.replay(claim.entry, input_hash, retake=retake)
        return await self.execute(claim.entry)

    async def account(self, login: int) -> Account:
        """Currency and digits never change, so each account is read upstream once per process;
        concurrent first requests for one account share that one read."""
        known = self._accounts.get(login)
        if known is not None:
            return known
        reading = self._reading.get(login)
        if reading is None:
            reading = asyncio.ensure_future(self.gateway.account(login))
            self._reading[login] = reading
            reading.add_done_callback(lambda _: self._reading.pop(login, None))
        known = await asyncio.shield(reading)
        self._accounts[login] = known
        if len(self._accounts) > ACCOUNT_CACHE_SIZE:
            self._accounts.popitem(last=False)
        return known

    async def draft(
        self, caller: str, order: MoneyOrder, input_hash: str, transfer_id: int | None
    ) -> Draft:
        movement = applied(order, await self.account(order.login))
        return Draft(
            caller=caller,
            idempotency_key=order.idempotency_key,
            kind=order.kind,
            login=order.login,
            amount=movement.amount,
            currency=movement.currency,
            input_hash=input_hash,
            rate=movement.rate,
            comment=order.comment,
            transfer_id=transfer_id,
        )

    async def replay(self, entry: JournalEntry, input_hash: str, *, retake: bool) -> MoveResult:
        """The result another request got (or is getting) for the same key."""
        if entry.input_hash != input_hash:
            message = f"idempotencyKey {entry.idempotency_key!r} was used for a different request"
            return Rejection(Failure.IDEMPOTENCY_KEY_REUSED, message, entry)
        entry = await self.settled(entry)
        if retake and entry.state is MovementState.FAILED and entry.retryable:
            retaken = await journal_ops.retake(self.engine, entry.id)
            if retaken is not None:
                return await self.execute(retaken)
            return await self.replay(await self.reread(entry), input_hash, retake=retake)
        return result_of(entry)

    async def settled(self, entry: JournalEntry) -> JournalEntry:
        """Wait for a PENDING entry's owner (in this process or another) to record the outcome."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait_timeout
        pause = 0.005
        while entry.state is MovementState.PENDING and loop.time() < deadline:
            if journal_ops.utc_now() - entry.updated_at > self.stale_after:
                return await self.orphaned(entry)
            event = self._settled.setdefault(entry.id, asyncio.Event())
            try:
                await asyncio.wait_for(event.wait(), timeout=pause)
            except TimeoutError:
                pause = min(pause * 2, 0.2)
            entry = await self.reread(entry)
        if entry.state is not MovementState.PENDING:
            self._settled.pop(entry.id, None)
        return entry

    async def orphaned(self, entry: JournalEntry) -> JournalEntry:
        """A PENDING entry older than any upstream call can take lost its owner: whether its
        request reached the upstream cannot be known, so it becomes OUTCOME_UNKNOWN."""
        unknown = Settlement(MovementState.OUTCOME_UNKNOWN, error_message=ORPHANED)
        return await journal_ops.settle(self.engine, entry.id, unknown) or await self.reread(entry)

    async def reread(self, entry: JournalEntry) -> JournalEntry:
        return await journal_ops.get(self.engine, entry.id) or entry

    async def execute(self, entry: JournalEntry) -> MoveResult:
        """Call the upstream for an owned entry; shielded, so a cancelled request still records."""
        return await asyncio.shield(self._execute(entry))

    async def _execute(self, entry: JournalEntry) -> MoveResult:
        try:
            settlement = await self.attempt(entry)
            settled = await journal_ops.settle(self.engine, entry.id, settlement)
        finally:
            event = self._settled.pop(entry.id, None)
            if event is not None:
                event.set()
        return result_of(settled or await self.reread(entry))

    async def attempt(self, entry: JournalEntry) -> Settlement:
        try:
            history_id = await self.gateway.apply(entry)
        except Refused as refused:
            return Settlement(
                MovementState.FAILED,
                error_code=refused.failure.value,
                error_message=refused.message,
                retryable=refused.retryable,
            )
        except Unknown as unknown:
            return Settlement(MovementState.OUTCOME_UNKNOWN, error_message=str(unknown))
        except Exception as error:
            message = f"the service failed while the request was in flight: {error!r}"
            return Settlement(MovementState.OUTCOME_UNKNOWN, error_message=message)
        return Settlement(MovementState.SUCCEEDED, history_id=history_id)


def result_of(entry: JournalEntry) -> MoveResult:
    """A settled entry as the caller sees it: failures as rejections, everything else as is."""
    if entry.state is MovementState.FAILED:
        return rejection_of(entry)
    return entry
