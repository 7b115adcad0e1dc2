"""The cost model: its estimate next to the calls really made (development mode only), and the
list of money mutations it limits kept equal to the schema's."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

from limits.cost import MONEY_MUTATIONS
from schema.money import MoneyMutation
from tests.resolvers.harness import Upstream
from tests.security.wire import Answer, wire_on

PAGE = (
    "{ traders(first: 50) { edges { node {"
    " account { balance { amount } } openPositions { symbol } } } } }"
)


async def test_development_mode_reports_estimated_and_actual_calls(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    async with wire_on(sandbox, tmp_path, mode="development") as wire:
        await upstream.reset_calls()

        answer = await wire.post_asking_cost(PAGE)

    assert isinstance(answer.body, dict)
    actual = sum((await upstream.calls()).values())
    # index, the page's records in one list call, the open-positions grid
    assert answer.body["extensions"] == {"cost": {"estimatedCalls": 3, "actualCalls": actual}}


async def test_production_mode_reports_no_cost(sandbox: Starlette, tmp_path: Path) -> None:
    async with wire_on(sandbox, tmp_path, mode="production") as wire:
        answer = await wire.post_asking_cost("{ __typename }")

    assert answer == Answer(200, {"data": {"__typename": "Query"}})


async def test_development_mode_reports_no_cost_unasked(sandbox: Starlette, tmp_path: Path) -> None:
    async with wire_on(sandbox, tmp_path, mode="development") as wire:
        answer = await wire.post("{ __typename }")

    assert answer == Answer(200, {"data": {"__typename": "Query"}})


def test_the_limited_money_mutations_are_the_schemas() -> None:
    fields = get_object_definition(MoneyMutation, strict=True).fields

    assert {to_camel_case(field.python_name) for field in fields} == MONEY_MUTATIONS
