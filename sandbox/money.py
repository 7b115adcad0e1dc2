"""Balance, credit and bonus changes (§3.8, §3.11): exact decimal input, atomic integer updates.

`preciseAmount` must be > 0 with at most moneyDigits decimals (else CHANGE_BALANCE_BAD_AMOUNT).
A withdrawal may not take the balance below the used margin (below zero with `skipMarginCheck`);
credit and bonus never go below zero; otherwise NOT_ENOUGH_MONEY. Each change is one guarded
`UPDATE ... SET x = x + d WHERE x + d >= floor`, so concurrent changes never lose an update.
Every change writes a history row; changebalance and changebonus answer its id.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Column, ColumnElement, case, insert, literal, update
from sqlalchemy.ext.asyncio import AsyncConnection

from sandbox import catalog, models
from sandbox.auth import Manager
from sandbox.body import Body
from sandbox.clock import DAY_MS
from sandbox.db import next_id
from sandbox.exceptions import BusinessError, InvalidRequest
from sandbox.traders import visible

T = models.traders

BALANCE_TYPES = (
    "DEPOSIT",
    "WITHDRAW",
    "DEPOSIT_NONWITHDRAWABLE_BONUS",
    "WITHDRAW_NONWITHDRAWABLE_BONUS",
)
BONUS_TYPES = ("DEPOSIT", "WITHDRAW")


async def change_balance(
    connection: AsyncConnection, manager: Manager, login: int, body: Body, now: int
) -> int:
    kind = _parse(body, login, BALANCE_TYPES)
    amount = body.decimal("preciseAmount")
    skip_margin = bool(body.opt_bool("skipMarginCheck"))
    trader = await visible(connection, manager, login)
    delta = scaled(amount, trader.money_digits)
    if kind.startswith("WITHDRAW"):
        delta = -delta
    if kind.endswith("BONUS"):
        column, ok = T.c.credit, T.c.credit + delta >= 0
    else:
        column = T.c.balance
        ok = T.c.balance + delta >= (0 if skip_margin else T.c.used_margin)
    await _apply(connection, login, column, delta, ok, now)
    return await _history(connection, login, kind, delta, body, now)


async def change_bonus(
    connection: AsyncConnection, manager: Manager, login: int, body: Body, now: int
) -> int:
    kind = _parse(body, login, BONUS_TYPES)
    amount = body.decimal("preciseAmount")
    trader = await visible(connection, manager, login)
    delta = scaled(amount, trader.money_digits) * (1 if kind == "DEPOSIT" else -1)
    await _apply(connection, login, T.c.bonus, delta, T.c.bonus + delta >= 0, now)
    return await _history(connection, login, f"BONUS_{kind}", delta, body, now)


def _parse(body: Body, login: int, types: tuple[str, ...]) -> str:
    if body.has("login") and body.req_int("login") != login:
        raise InvalidRequest("'login' in the body differs from the login in the path")
    return body.req_enum("type", types)


def scaled(amount: Decimal, digits: int) -> int:
    bad = BusinessError(
        "CHANGE_BALANCE_BAD_AMOUNT",
        f"preciseAmount must be positive with at most {digits} decimals",
    )
    try:
        units = amount.scaleb(digits)
        exact = units == units.to_integral_value()
    except ArithmeticError:  # an exponent beyond the decimal context's range
        raise bad from None
    if amount <= 0 or not exact or units >= 2**62:
        raise bad
    return int(units)


async def _apply(
    connection: AsyncConnection,
    login: int,
    column: Column[int],
    delta: int,
    guard: ColumnElement[bool],
    now: int,
) -> None:
    """One guarded UPDATE moves the money and folds the new equity into today's min/max."""
    statement = (
        update(T)
        .where(T.c.login == login, guard)
        .values({column: column + delta, T.c.last_update_ms: now, **daily_equity(delta, now)})
    )
    if (await connection.execute(statement)).rowcount == 0:
        raise BusinessError("NOT_ENOUGH_MONEY", "Not enough money on the account")


def daily_equity(delta: int, now: int) -> dict[Column[int], ColumnElement[int]]:
    """Today's min/max equity after a change of `delta`; a new day starts from the old equity."""
    old = T.c.balance + T.c.bonus + T.c.credit
    new = old + delta
    same_day = T.c.equity_day == now // DAY_MS
    low = case((same_day, _least(new, T.c.min_equity)), else_=_least(new, old))
    high = case((same_day, _greatest(new, T.c.max_equity)), else_=_greatest(new, old))
    return {T.c.min_equity: low, T.c.max_equity: high, T.c.equity_day: literal(now // DAY_MS)}


def _least(a: ColumnElement[int], b: ColumnElement[int]) -> ColumnElement[int]:
    return case((a < b, a), else_=b)


def _greatest(a: ColumnElement[int], b: ColumnElement[int]) -> ColumnElement[int]:
    return case((a > b, a), else_=b)


async def _history(
    connection: AsyncConnection, login: int, kind: str, delta: int, body: Body, now: int
) -> int:
    history = models.balance_history
    history_id = await next_id(connection, history.c.id, catalog.FIRST_HISTORY_ID)
    await connection.execute(
        insert(history).values(
            id=history_id,
            login=login,
            kind=kind,
            delta=delta,
            comment=body.opt_str("comment"),
            external_note=body.opt_str("externalNote"),
            external_id=body.opt_str("externalId"),
            source=body.opt_str("source"),
            created_ms=now,
        )
    )
    return history_id
