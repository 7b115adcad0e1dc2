"""The money code's one door to the upstream, and the one place upstream errors become failures.

`MoneyGateway` is what the exactly-once engine needs; `UpstreamGateway` provides it over the
`WebServicesClient`. Writes are sent once, with the idempotency key as `externalId`: an error answer
or a refusal before sending is a definitive `Refused`, a lost answer is `Unknown`.
"""

from __future__ import annotations

from typing import Protocol

from resolvers.money.failures import Failure, Refused, Unknown
from resolvers.money.orders import Account
from store.journal import JournalEntry, MovementKind
from upstream import errors
from upstream.client import WebServicesClient
from upstream.enums import BalanceChangeType, BonusChangeType
from upstream.inputs import BalanceChangeRequest, BonusChangeRequest


class MoneyGateway(Protocol):
    async def account(self, login: int) -> Account:
        """The account's currency and digits; raises `Refused`."""
        ...

    async def apply(self, entry: JournalEntry) -> int:
        """Send the journaled movement once; its upstream history id. Raises `Refused`/`Unknown`."""
        ...


BALANCE_TYPES = {
    MovementKind.DEPOSIT: BalanceChangeType.DEPOSIT,
    MovementKind.WITHDRAW: BalanceChangeType.WITHDRAW,
    MovementKind.DEPOSIT_CREDIT: BalanceChangeType.DEPOSIT_NONWITHDRAWABLE_BONUS,
    MovementKind.WITHDRAW_CREDIT: BalanceChangeType.WITHDRAW_NONWITHDRAWABLE_BONUS,
}
BONUS_TYPES = {
    MovementKind.DEPOSIT_BONUS: BonusChangeType.DEPOSIT,
    MovementKind.WITHDRAW_BONUS: BonusChangeType.WITHDRAW,
}
FAILURES: dict[type[errors.UpstreamRejected], Failure] = {
    errors.NotEnoughMoney: Failure.INSUFFICIENT_FUNDS,
    errors.BadAmount: Failure.INVALID_AMOUNT,
    errors.TraderNotFound: Failure.TRADER_NOT_FOUND,
    errors.NotEnoughRights: Failure.NOT_ENOUGH_RIGHTS,
    errors.RateLimited: Failure.RATE_LIMITED,
}


def translate(error: errors.UpstreamError) -> Refused | Unknown:
    """The single mapping of the upstream error tree onto the money failures."""
    if isinstance(error, errors.OutcomeUnknown):
        return Unknown(error.message)
    if isinstance(error, errors.UpstreamRejected):
        failure = FAILURES.get(type(error), Failure.UPSTREAM_UNAVAILABLE)
        return Refused(failure, error.description or error.message)
    return Refused(Failure.UPSTREAM_UNAVAILABLE, error.message)


class UpstreamGateway:
    def __init__(self, client: WebServicesClient) -> None:
        self._client = client

    async def account(self, login: int) -> Account:
        try:
            trader = await self._client.get_trader(login)
        except errors.UpstreamError as error:
            raise translate(error) from error
        return Account(trader.login, trader.deposit_currency, trader.money_digits)

    async def apply(self, entry: JournalEntry) -> int:
        try:
            return await self._send(entry)
        except errors.UpstreamError as error:
            raise translate(error) from error

    async def _send(self, entry: JournalEntry) -> int:
        key, comment = entry.idempotency_key, entry.comment
        if entry.kind in BONUS_TYPES:
            bonus = BonusChangeRequest(
                BONUS_TYPES[entry.kind], entry.amount, comment=comment, external_id=key
            )
            return (await self._client.change_bonus(entry.login, bonus)).history_id
        change = BalanceChangeRequest(
            BALANCE_TYPES[entry.kind], entry.amount, comment=comment, external_id=key
        )
        return (await self._client.change_balance(entry.login, change)).history_id
