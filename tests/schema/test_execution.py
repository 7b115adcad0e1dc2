"""`schema/execution.py`: direct resolvers answer exactly what Strawberry's own chain answers.

Every test runs the same document through two schemas of the same types: Strawberry as it comes,
and the same schema given `LeanExecution` and `lean`; the results must be equal, data, errors,
messages and paths included.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Generator
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from schema.execution import LeanExecution, awaitable, lean


@strawberry.enum
class Side(Enum):
    BUY = "BUY"
    SELL = "SELL"


@strawberry.type
class Item:
    name: str
    price: Decimal
    side: Side
    note: str | None
    count: int

    @strawberry.field
    def label(self, info: strawberry.Info) -> str:
        return f"{type(info).__name__}:{info.field_name}:{self.name}"

    @strawberry.field
    def parent_name(self, root: Item) -> str:
        return root.name

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return self.name.upper()

    @strawberry.field
    def shout(self, times: int = 2) -> str:
        return self.name * times

    @strawberry.field
    def broken(self) -> str | None:
        raise ValueError(f"no {self.name}")


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [
            Item(name="a", price=Decimal("1.50"), side=Side.BUY, note=None, count=1),
            Item(name="b", price=Decimal("2"), side=Side.SELL, note="n", count=2),
        ]

    @strawberry.field
    def missing(self) -> Item:
        return Item(name=None, price=Decimal(0), side=Side.BUY, note=None, count=0)  # type: ignore[arg-type]

    @strawberry.field
    def wrong(self) -> Item:
        return Item(name="w", price=Decimal(0), side="LONG", note=None, count="x")  # type: ignore[arg-type]

    @strawberry.field
    @staticmethod
    def constant() -> int:
        return 7


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def ticks(self) -> AsyncGenerator[int, None]:
        yield 1


EVERYTHING = """{ constant items { name price side note count label parentName later
  shout(times: 3) broken } }"""


def _schemas(
    query: type = Query, **options: Any
) -> tuple[strawberry.Schema, strawberry.Schema, int]:
    plain = strawberry.Schema(query=query, subscription=Subscription, **options)
    leaner = strawberry.Schema(
        query=query, subscription=Subscription, execution_context_class=LeanExecution, **options
    )
    return plain, leaner, lean(leaner)


def _both(
    document: str, query: type = Query, **options: Any
) -> tuple[ExecutionResult, ExecutionResult]:
    plain, leaner, _ = _schemas(query, **options)
    return asyncio.run(plain.execute(document)), asyncio.run(leaner.execute(document))


def _shape(result: ExecutionResult) -> tuple[object, list[tuple[str, object]]]:
    errors: list[tuple[str, object]] = [
        (error.message, error.path) for error in result.errors or ()
    ]
    return result.data, errors


def test_every_kind_of_field_answers_as_strawberry_does() -> None:
    plain, leaner = _both(EVERYTHING)

    assert _shape(leaner) == _shape(plain)
    assert _shape(leaner) == (
        {
            "constant": 7,
            "items": [
                {
                    "name": n,
                    "price": p,
                    "side": s,
                    "note": note,
                    "count": c,
                    "label": f"Info:label:{n}",
                    "parentName": n,
                    "later": n.upper(),
                    "shout": n * 3,
                    "broken": None,
                }
                for n, p, s, note, c in (("a", "1.50", "BUY", None, 1), ("b", "2", "SELL", "n", 2))
            ],
        },
        [("no a", ["items", 0, "broken"]), ("no b", ["items", 1, "broken"])],
    )


def test_only_fields_without_arguments_or_extensions_are_given_a_direct_resolver() -> None:
    _, leaner, given = _schemas()

    item = leaner._schema.type_map["Item"]
    assert given == 13  # Query: 4 of 4; Item: 9 of 10 (not `shout`, which takes an argument)
    assert item.fields["shout"].resolve is not None  # type: ignore[attr-defined]
    assert item.fields["shout"].resolve.__qualname__.endswith("_resolver")  # type: ignore[attr-defined]


def test_a_null_in_a_non_null_leaf_is_graphql_cores_error() -> None:
    plain, leaner = _both("{ missing { name count } }")

    assert _shape(leaner) == _shape(plain)
    assert _shape(leaner) == (
        None,
        [("Cannot return null for non-nullable field Item.name.", ["missing", "name"])],
    )


def test_a_value_that_does_not_coerce_is_graphql_cores_error() -> None:
    plain, leaner = _both("{ wrong { side count } }")

    assert _shape(leaner) == _shape(plain)
    assert _shape(leaner)[0] is None
    assert [path for _, path in _shape(leaner)[1]] == [["wrong", "side"]]


class Upper(SchemaExtension):
    """A `resolve` hook: graphql-core calls it for every field, lean ones included."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        value = _next(root, info, *args, **kwargs)
        return value.upper() if isinstance(value, str) else value


def test_a_resolve_hook_still_sees_every_leaf() -> None:
    plain, leaner = _both("{ items { name note } }", extensions=[Upper])

    assert _shape(leaner) == _shape(plain)
    assert _shape(leaner) == (
        {"items": [{"name": "A", "note": None}, {"name": "B", "note": "N"}]},
        [],
    )


@strawberry.type
class Oops:
    message: str


class Refuse(strawberry.ExceptionHandler[ValueError, Oops]):
    def handle(self, exception: ValueError, *, field: Any, info: Any) -> Oops:
        return Oops(message=str(exception))


def test_a_schema_with_exception_handlers_keeps_strawberrys_chain() -> None:
    leaner = strawberry.Schema(query=Query, exception_handlers=[Refuse()])

    assert lean(leaner) == 0


@dataclass
class Waits:
    def __await__(self) -> Generator[None, None, int]:
        yield
        return 1


def _generator() -> Generator[int, None, None]:
    yield 1


async def _coroutine() -> int:
    return 1


def test_awaitable_goes_by_the_type() -> None:
    coroutine = _coroutine()
    waiting = awaitable(coroutine)
    coroutine.close()

    assert waiting
    assert awaitable(Waits())
    assert not awaitable(_generator())
    assert not awaitable(Decimal("1"))
    assert not awaitable(Item)
    assert not awaitable(None)


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Tag(Named):
    """Implements an interface, so its GraphQL type checks each value (`is_type_of`)."""


def _item(name: str) -> Item:
    return Item(name=name, price=Decimal("1"), side=Side.BUY, note=None, count=1)


async def _later_item() -> Item:
    await asyncio.sleep(0)
    return _item("later")


@strawberry.type
class Box:
    item: Item
    tag: Tag | None
    empty: Item | None

    @strawberry.field
    def made(self) -> Item:
        return _item("made")

    @strawberry.field
    def nothing(self) -> Item | None:
        return None

    @strawberry.field
    def must(self) -> Item:
        return None  # type: ignore[return-value]

    @strawberry.field
    def seen(self, info: strawberry.Info) -> Item:
        return _item(info.field_name)

    @strawberry.field
    async def awaited(self) -> Item:
        await asyncio.sleep(0)
        return _item("awaited")

    @strawberry.field
    def fails(self) -> Item | None:
        raise ValueError("no box")

    @strawberry.field
    def mistyped(self) -> Tag | None:
        return _item("not a tag")  # type: ignore[return-value]

    @strawberry.field
    def where(self, info: strawberry.Info) -> str:
        raw = info._raw_info
        parts = (raw.field_name, raw.path.as_list(), raw.parent_type, raw.return_type)
        operation = raw.operation.name.value if raw.operation.name else None
        return f"{type(raw).__name__} {len(raw)} {parts} {raw.variable_values} {operation}"

    @strawberry.field
    def tags(self) -> list[Tag]:
        return [Tag(name="t1"), Tag(name="t2")]

    @strawberry.field
    def holes(self) -> list[Item | None]:
        return [_item("h"), None]

    @strawberry.field
    def gaps(self) -> list[Item] | None:
        return [_item("g"), None]  # type: ignore[list-item]

    @strawberry.field
    def lazily(self) -> list[Item]:
        return (_item(name) for name in "ab")  # type: ignore[return-value]

    @strawberry.field
    def pair(self) -> list[Item]:
        return (_item("p"), _item("q"))  # type: ignore[return-value]

    @strawberry.field
    def waiting(self) -> list[Item | None]:
        return [_item("now"), _later_item()]  # type: ignore[list-item]

    @strawberry.field
    def mistagged(self) -> list[Tag | None]:
        return [Tag(name="t"), _item("not a tag")]  # type: ignore[list-item]

    @strawberry.field
    def hollows(self) -> list[Item | None]:
        return [_item("full"), Item(name=None, price=Decimal(0), side=Side.BUY, note=None, count=0)]  # type: ignore[arg-type]

    @strawberry.field
    def hollow(self) -> Item | None:
        return Item(name=None, price=Decimal(0), side=Side.BUY, note=None, count=0)  # type: ignore[arg-type]


@strawberry.type
class Boxes:
    @strawberry.field
    def boxes(self) -> list[Box]:
        return [
            Box(item=_item(name), tag=Tag(name=f"tag {name}"), empty=None) for name in ("x", "y")
        ]


OBJECTS = """{ boxes { item { name label } tag { name } empty { name } made { name count }
  nothing { name } seen { name } awaited { name later } fails { name } mistyped { name }
  hollow { name count } } }"""


def test_every_kind_of_object_field_answers_as_strawberry_does() -> None:
    plain, leaner = _both(OBJECTS, Boxes)

    assert _shape(leaner) == _shape(plain)
    box: dict[str, object] = {
        "empty": None,
        "made": {"name": "made", "count": 1},
        "nothing": None,
        "seen": {"name": "seen"},
        "awaited": {"name": "awaited", "later": "AWAITED"},
        "fails": None,
        "mistyped": None,
        "hollow": None,
    }
    assert _shape(leaner) == (
        {
            "boxes": [
                {"item": {"name": n, "label": f"Info:label:{n}"}, "tag": {"name": f"tag {n}"}} | box
                for n in ("x", "y")
            ]
        },
        [
            (message, ["boxes", index, *where])
            for index in (0, 1)
            for message, where in (
                ("no box", ["fails"]),
                ("Expected value of type 'Tag' but got: <Item instance>.", ["mistyped"]),
                ("Cannot return null for non-nullable field Item.name.", ["hollow", "name"]),
            )
        ],
    )


def test_a_null_in_a_non_null_object_is_graphql_cores_error() -> None:
    plain, leaner = _both("{ boxes { must { name } } }", Boxes)

    assert _shape(leaner) == _shape(plain)
    assert _shape(leaner) == (
        None,
        [("Cannot return null for non-nullable field Box.must.", ["boxes", 0, "must"])],
    )


def test_a_resolver_gets_the_same_resolve_info() -> None:
    document = "query Where($show: Boolean!) { boxes { where @include(if: $show) } }"
    plain, leaner, _ = _schemas(Boxes)
    mine = asyncio.run(leaner.execute(document, variable_values={"show": True}))
    theirs = asyncio.run(plain.execute(document, variable_values={"show": True}))

    assert _shape(mine) == _shape(theirs)
    assert _shape(mine)[0] == {
        "boxes": [
            {
                "where": "_OperationContextAwareGraphQLResolveInfo 15 "
                f"('where', ['boxes', {index}, 'where'], <GraphQLObjectType 'Box'>,"
                " <GraphQLNonNull <GraphQLScalarType 'String'>>) {'show': True} Where"
            }
            for index in (0, 1)
        ]
    }


LISTS = """{ boxes { tags { name } holes { name } gaps { name } lazily { name } pair { name }
  waiting { name } mistagged { name } hollows { name count } } }"""


def test_every_kind_of_list_of_objects_answers_as_strawberry_does() -> None:
    plain, leaner = _both(LISTS, Boxes)

    assert _shape(leaner) == _shape(plain)
    box = {
        "tags": [{"name": "t1"}, {"name": "t2"}],
        "holes": [{"name": "h"}, None],
        "gaps": None,
        "lazily": [{"name": "a"}, {"name": "b"}],
        "pair": [{"name": "p"}, {"name": "q"}],
        "waiting": [{"name": "now"}, {"name": "later"}],
        "mistagged": [{"name": "t"}, None],
        "hollows": [{"name": "full", "count": 1}, None],
    }
    assert _shape(leaner) == (
        {"boxes": [box, box]},
        [
            (message, ["boxes", index, *where])
            for index in (0, 1)
            for message, where in (
                ("Cannot return null for non-nullable field Box.gaps.", ["gaps", 1]),
                ("Expected value of type 'Tag' but got: <Item instance>.", ["mistagged", 1]),
                ("Cannot return null for non-nullable field Item.name.", ["hollows", 1, "name"]),
            )
        ],
    )
