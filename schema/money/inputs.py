"""The arguments of the money mutations and of the audit query."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from resolvers.money.orders import MoneyOrder, TransferOrder
from resolvers.money.resolution import Outcome
from store.journal import MovementKind, MovementState
from store.journal_audit import AuditFilter

ResolutionOutcome = strawberry.enum(Outcome, name="ResolutionOutcome")


@strawberry.input(description="One movement on one account, exactly once per idempotencyKey.")
class MoneyMovementInput:
    login: int
    amount: Decimal = strawberry.field(description="Positive, at most moneyDigits decimals.")
    idempotency_key: str = strawberry.field(description="Sent upstream as externalId.")
    currency: str | None = strawberry.field(
        default=None, description="The amount's currency when not the account's; needs `rate`."
    )
    rate: Decimal | None = strawberry.field(
        default=None, description="Account currency per unit of `currency`."
    )
    comment: str | None = None

    def order(self, kind: MovementKind) -> MoneyOrder:
        return MoneyOrder(
            kind=kind,
            login=self.login,
            amount=self.amount,
            idempotency_key=self.idempotency_key,
            currency=self.currency,
            rate=self.rate,
            comment=self.comment,
        )


@strawberry.input(description="Funds from one account to another, as a saga.")
class TransferFundsInput:
    from_login: int
    to_login: int
    amount: Decimal = strawberry.field(description="In the source account's currency.")
    idempotency_key: str
    rate: Decimal | None = strawberry.field(
        default=None, description="Target currency per unit of source currency, when they differ."
    )
    comment: str | None = None

    def order(self) -> TransferOrder:
        return TransferOrder(
            from_login=self.from_login,
            to_login=self.to_login,
            amount=self.amount,
            idempotency_key=self.idempotency_key,
            rate=self.rate,
            comment=self.comment,
        )


@strawberry.input(
    description="What the upstream really did with an OUTCOME_UNKNOWN movement (or what an"
    " operator did about a refused compensation)."
)
class ResolveMoneyMovementInput:
    id: strawberry.ID
    outcome: Outcome
    history_id: int | None = strawberry.field(
        default=None, description="The upstream's history id, when the operator found it."
    )


@strawberry.input(description="Which movements to list; every given condition must hold.")
class MoneyMovementFilter:
    login: int | None = None
    caller: str | None = None
    idempotency_key: str | None = None
    kind: MovementKind | None = None
    state: MovementState | None = None

    def to_filter(self) -> AuditFilter:
        return AuditFilter(
            login=self.login,
            caller=self.caller,
            idempotency_key=self.idempotency_key,
            kind=self.kind,
            state=self.state,
        )
