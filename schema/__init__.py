"""GraphQL types, one module per domain; assembled into one schema here.

`Query` merges one piece per domain; a domain that adds mutations adds its piece to `MUTATIONS`.
`make schema` prints `schema.as_str()` into the committed `schema.graphql`.
"""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ValidationCache
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from schema.activity import ActivityQuery
from schema.execution import LeanExecution, lean
from schema.extensions.caller_rules import CallerRules
from schema.extensions.error_codes import ErrorCodes, StreamErrorCodes, stamp_syntax_error
from schema.extensions.hardening import ProductionHardening
from schema.extensions.operation_limits import OperationLimits
from schema.extensions.parsed import ParsedOnce
from schema.extensions.rate_limits import RateLimits
from schema.extensions.telemetry import OperationTelemetry
from schema.lifecycle import LifecycleMutation
from schema.money import MoneyMutation, MoneyQuery
from schema.partners import PartnerQuery
from schema.queries import TraderQuery
from schema.reference import ReferenceQuery
from schema.scalars import SCALAR_OVERRIDES
from schema.sessions import SessionMutation
from schema.subscriptions import Subscription
from schema.users import UserQuery
from schema.white_labels import WhiteLabelQuery

QUERIES: tuple[type, ...] = (TraderQuery, WhiteLabelQuery, PartnerQuery, UserQuery, ReferenceQuery)
QUERIES += (MoneyQuery,)
QUERIES += (ActivityQuery,)
MUTATIONS: tuple[type, ...] = (MoneyMutation,)
MUTATIONS += (LifecycleMutation,)
MUTATIONS += (SessionMutation,)

Query = merge_types("Query", QUERIES)
Mutation = merge_types("Mutation", MUTATIONS) if MUTATIONS else None


class TraderGraphSchema(strawberry.Schema):
    """Strawberry logs every error with its traceback; `ErrorCodes` logs the unexpected ones.

    Syntax errors end the request before any extension sees its result, so they get their
    code here, the only hook they pass through.
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            stamp_syntax_error(error, execution_context)


schema = TraderGraphSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    scalar_overrides=SCALAR_OVERRIDES,
    extensions=[
        OperationTelemetry,
        ErrorCodes,
        StreamErrorCodes,  # the same codes on each subscription event
        ParsedOnce,  # the front door's parsed document (extensions/parsed.py), not ParserCache
        lambda: ValidationCache(maxsize=256),
        ProductionHardening,  # adds the no-introspection rule to validation
        OperationLimits,  # after ValidationCache: it reads (and adds to) validation's errors
        CallerRules,  # after ValidationCache, like OperationLimits
        RateLimits,  # last: counts what the door did not (websockets), marks admission
    ],
    execution_context_class=LeanExecution,
)
lean(schema)  # each field's resolver called directly (schema/execution.py)

__all__ = ["Mutation", "Query", "schema"]
