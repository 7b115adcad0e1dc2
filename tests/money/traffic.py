"""Who acts on the schedule: a client that retries, an operator who reconciles, a service that
crashes between saga steps and restarts.

The client sends each operation under its own key and, like a real client after a timeout or a
5xx, sends it again with the same key (up to `RETRIES` times), sometimes even after a success.
A transfer's first attempt may be several identical requests at once, and may crash the service
at a saga step (its `crash_point` hook raising): the service restarts as a new desk over the same
journal and upstream, running the recovery it runs at start-up, while the requests of the other
clients still in flight go on, as on a replica that did not crash. The client then asks again
under the same key until the transfer finishes.

When a movement's answer is lost, the operator reads the account and says what the upstream did
(a transfer waiting on that step is driven on by the resolution). It does so as soon as the
operation's client gives up, while the round keeps the account to that operation, so the books
can tell; whatever is left unknown after the run is settled the same way once nothing is in flight.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.desk import MoneyDesk
from resolvers.money.failures import RETRYABLE, Rejection
from resolvers.money.orders import MoneyOrder, TransferOrder
from resolvers.money.recovery import Recovered
from resolvers.money.resolution import Outcome, resolve
from resolvers.money.transfers import CrashPoint, Transfer, TransferResult, Transfers
from store import money_transfers
from store.journal import JournalEntry, MovementState
from store.journal_audit import AuditFilter, page
from store.money_transfers import TransferState
from tests.money.ledger import SIGN
from tests.money.sandbox_kit import Sandbox
from tests.money.schedule import FIELD, Operation, PlannedTransfer

CALLER = "client"
RETRIES = 3
PASSES = 12
"""How often the client and the operator take turns on one unfinished transfer before leaving it
to the reconciliation after the run (each turn either resolves a step or retries a failure that
left nothing on the books, so a dozen turns are only reached by a saga that no longer moves)."""
UNFINISHED = (TransferState.IN_PROGRESS, TransferState.OUTCOME_UNKNOWN)


class Crash(Exception):
    """The service process dying at a saga step."""

    def __init__(self, point: str) -> None:
        super().__init__(point)
        self.point = point


def crash_at(point: str) -> CrashPoint:
    def crash_point(name: str) -> None:
        if name == point:
            raise Crash(name)

    return crash_point


async def journal(engine: AsyncEngine) -> list[JournalEntry]:
    entries, _ = await page(engine, AuditFilter(), first=100_000)
    return entries


@dataclass
class Service:
    """The money desk clients reach; a crash replaces it with a restarted one."""

    desk: MoneyDesk
    crashes: list[str] = field(default_factory=list)
    recoveries: list[Recovered] = field(default_factory=list)

    def transfers(self, crash: str | None = None) -> Transfers:
        """The saga runner, or one over the same process that dies at `crash`."""
        if crash is None:
            return self.desk.transfers
        return Transfers(self.desk.movements, crash_at(crash))

    async def restart(self, crash: str | None = None) -> None:
        """A new process over the same journal and upstream; it runs start-up recovery."""
        if crash is not None:
            self.crashes.append(crash)
        self.desk = MoneyDesk.over(self.desk.engine, self.desk.movements.gateway)
        self.recoveries.append(await self.desk.recover())

    async def transfer(self, key: str) -> Transfer:
        row = await money_transfers.find_transfer(self.desk.engine, CALLER, key)
        assert row is not None, key
        transfer = await self.desk.transfers.load(row.id)
        assert transfer is not None, row
        return transfer


@dataclass
class Operator:
    """Holds what the journal says succeeded, per account and field, and settles unknowns."""

    sandbox: Sandbox
    service: Service
    expected: dict[int, list[Decimal]] = field(default_factory=dict)
    booked: set[int] = field(default_factory=set)
    resolved: list[JournalEntry] = field(default_factory=list)

    def book(self, entry: JournalEntry) -> None:
        """Count a successful movement once, however often it is seen."""
        if entry.state is not MovementState.SUCCEEDED or entry.id in self.booked:
            return
        self.booked.add(entry.id)
        fields = self.expected.setdefault(entry.login, [Decimal(0)] * 3)
        fields[FIELD[entry.kind]] += SIGN[entry.kind] * entry.amount

    async def reconcile(self, entry: JournalEntry) -> JournalEntry:
        """Read the account: the unknown movement applied iff the books moved by its amount."""
        books = await self.sandbox.money(entry.login)
        believed = self.expected.setdefault(entry.login, [Decimal(0)] * 3)[FIELD[entry.kind]]
        difference = books[FIELD[entry.kind]] - believed
        change = SIGN[entry.kind] * entry.amount
        assert difference in (Decimal(0), change), (entry, books, believed)
        outcome = Outcome.SUCCEEDED if difference == change else Outcome.FAILED
        resolved = await resolve(self.service.desk.transfers, "operator", entry.id, outcome)
        assert isinstance(resolved, JournalEntry), resolved
        self.resolved.append(resolved)
        return resolved

    async def reconcile_step(self, transfer: Transfer, step: JournalEntry) -> None:
        """The transfer's other steps count in the books the unknown one is read against."""
        for other in transfer.steps:
            self.book(other)
        await self.reconcile(step)

    async def settle_leftovers(self) -> None:
        """After the run, with nothing in flight: every unknown left, one after another."""
        for _ in range(PASSES):
            entries = await journal(self.service.desk.engine)
            for entry in entries:
                self.book(entry)
            unknown = [entry for entry in entries if entry.state is MovementState.OUTCOME_UNKNOWN]
            if not unknown:
                return
            await self.reconcile(unknown[0])


@dataclass
class Client:
    service: Service
    operator: Operator
    rng: random.Random

    async def run(self, rounds: list[list[Operation]]) -> None:
        for operations in rounds:
            await asyncio.gather(*(self.send(operation) for operation in operations))

    async def send(self, operation: Operation) -> None:
        if isinstance(operation, PlannedTransfer):
            await self.transfer(operation)
        else:
            await self.move(operation)

    async def move(self, order: MoneyOrder) -> None:
        """Send, retry like a client would, and let the operator settle a lost answer."""
        result = await self.service.desk.movements.move(CALLER, order)
        for _ in range(RETRIES):
            if not self.wants_retry(result):
                break
            result = await self.service.desk.movements.move(CALLER, order)
        if isinstance(result, JournalEntry) and result.state is MovementState.OUTCOME_UNKNOWN:
            result = await self.operator.reconcile(result)
        if isinstance(result, JournalEntry):
            self.operator.book(result)

    async def transfer(self, plan: PlannedTransfer) -> None:
        """The first attempt, the client's retries, then turns with the operator until done."""
        result = await self.first_attempt(plan)
        for _ in range(RETRIES):
            if not self.wants_retry(result):
                break
            result = await self.attempt(self.service.transfers(), plan.order)
        await self.see_through(plan.order)

    async def first_attempt(self, plan: PlannedTransfer) -> TransferResult | None:
        """`copies` identical requests at once, the first through a process that may crash."""
        first = self.attempt(self.service.transfers(plan.crash), plan.order)
        more = (self.attempt(self.service.transfers(), plan.order) for _ in range(plan.copies - 1))
        return (await asyncio.gather(first, *more))[0]

    async def attempt(self, transfers: Transfers, order: TransferOrder) -> TransferResult | None:
        """One request; None when it crashed the service (which then restarts)."""
        try:
            return await transfers.transfer(CALLER, order)
        except Crash as crash:
            await self.service.restart(crash.point)
            return None

    async def see_through(self, order: TransferOrder) -> None:
        """The operator settles a lost step, the client asks again after a failure; then the
        operator counts the steps that moved money."""
        for _ in range(PASSES):
            transfer = await self.service.transfer(order.idempotency_key)
            unknown = [s for s in transfer.steps if s.state is MovementState.OUTCOME_UNKNOWN]
            if unknown:
                await self.operator.reconcile_step(transfer, unknown[0])
            elif transfer.row.state in UNFINISHED:
                await self.attempt(self.service.transfers(), order)
            else:
                break
        for step in (await self.service.transfer(order.idempotency_key)).steps:
            self.operator.book(step)

    def wants_retry(self, result: JournalEntry | Transfer | Rejection | None) -> bool:
        if result is None:
            return True
        if isinstance(result, Rejection):
            return result.failure in RETRYABLE
        if isinstance(result, Transfer):
            unfinished = result.row.state in UNFINISHED
        else:
            unfinished = result.state is MovementState.OUTCOME_UNKNOWN
        return unfinished or self.rng.random() < 0.1
