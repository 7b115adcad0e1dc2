"""A schema of the money pieces alone, and a context that carries the desk and the caller."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry

from resolvers.money.desk import MoneyDesk
from schema.money import MoneyMutation, MoneyQuery
from schema.scalars import SCALAR_OVERRIDES

money_schema = strawberry.Schema(
    query=MoneyQuery, mutation=MoneyMutation, scalar_overrides=SCALAR_OVERRIDES
)

MOVEMENT_FIELDS = """
    __typename
    ... on MoneyMovement { id kind state amount { amount currency } login historyId idempotencyKey }
    ... on OutcomeUnknown { message movement { id state historyId error { code message } } }
    ... on MoneyError { message movement { id state error { code message } } }
"""


@dataclass(frozen=True)
class MoneyOnlyContext:
    money: MoneyDesk
    caller: str = "1001"


async def execute(desk: MoneyDesk, query: str, **variables: object) -> dict[str, object]:
    """Run one operation; its `data`, after checking that it raised no GraphQL error."""
    result = await money_schema.execute(
        query, variable_values=variables, context_value=MoneyOnlyContext(desk)
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data
