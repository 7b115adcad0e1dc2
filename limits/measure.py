"""`Measure`: the counters of one operation's walk, each raising `LimitExceeded` the moment it
passes its limit, so the walk stops there."""

from __future__ import annotations

from dataclasses import dataclass, field

from limits.codes import LimitExceeded
from limits.cost import Plan, Price
from settings.limits import LimitSettings


@dataclass(frozen=True)
class Bounds:
    """The limits of one request, with the page cap and the loader plan they price against."""

    limits: LimitSettings
    max_page_size: int
    plan: Plan


@dataclass
class Measure:
    """What the walk counted so far; `estimated_calls` is the cost model's figure."""

    bounds: Bounds
    selections: int = 0
    root_fields: int = 0
    aliases: int = 0
    directives: int = 0
    money_mutations: int = 0
    estimated_calls: int = 0
    charged: set[tuple[object, ...]] = field(default_factory=set)

    def selection(self, depth: int, aliased: bool) -> None:
        limits = self.bounds.limits
        self.selections = _within(self.selections + 1, limits.max_selections, "selections")
        if depth == 1:
            self.root_fields = _within(self.root_fields + 1, limits.max_root_fields, "root fields")
        _within(depth, limits.max_depth, "levels of nesting")
        if aliased:
            self.aliases = _within(self.aliases + 1, limits.max_aliases, "aliases")

    def directives_seen(self, count: int) -> None:
        limit = self.bounds.limits.max_directives
        self.directives = _within(self.directives + count, limit, "directives")

    def money_mutation(self) -> None:
        limit = self.bounds.limits.max_money_mutations
        self.money_mutations = _within(self.money_mutations + 1, limit, "money mutations")

    def page(self, field_name: str, first: object) -> None:
        cap = self.bounds.max_page_size
        if isinstance(first, int) and first > cap:
            message = f"first may be at most {cap}, got {first} (field {field_name})."
            raise LimitExceeded("PAGE_TOO_LARGE", message, maxPageSize=cap)

    def charge(self, cost: Price, path: tuple[str, ...]) -> None:
        """Add `cost`, unless its key was already charged at this path (or in this request)."""
        if cost.key is not None:
            key = cost.key if cost.request_wide else (path, *cost.key)
            if key in self.charged:
                return
            self.charged.add(key)
        self.estimated_calls += cost.calls

    def check_budget(self) -> None:
        estimate, budget = self.estimated_calls, self.bounds.limits.max_upstream_calls
        if estimate > budget:
            message = (
                f"The operation would cost an estimated {estimate} upstream calls;"
                f" the budget is {budget}."
            )
            cost = {"estimatedCalls": estimate, "budget": budget}
            raise LimitExceeded("QUERY_TOO_COSTLY", message, cost=cost)


CODES = {
    "selections": "TOO_MANY_SELECTIONS",
    "root fields": "TOO_MANY_ROOT_FIELDS",
    "levels of nesting": "QUERY_TOO_DEEP",
    "aliases": "TOO_MANY_ALIASES",
    "directives": "TOO_MANY_DIRECTIVES",
    "money mutations": "TOO_MANY_MONEY_MUTATIONS",
}


def directive_limit(count: int, limit: int) -> None:
    """The directive limit on a count made outside a walk (a whole document's)."""
    _within(count, limit, "directives")


def _within(count: int, limit: int, what: str) -> int:
    if count > limit:
        message = f"The operation has more than {limit} {what}."
        raise LimitExceeded(CODES[what], message, limit=limit)
    return count
