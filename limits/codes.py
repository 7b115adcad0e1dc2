"""The codes of refused requests, and the shape a refusal takes on the wire.

    code                       status   refused because
    REQUEST_TOO_LARGE          413      the POST body exceeds max_body_bytes
    UNSUPPORTED_CONTENT_TYPE   415      a POST that is not application/json (form posts: CSRF)
    BATCHING_DISABLED          400      a JSON array of operations
    MUTATION_OVER_GET          405      a mutation sent with GET
    TOO_MANY_TOKENS            200      the document has more than max_tokens tokens
    QUERY_TOO_DEEP             200      nesting deeper than max_depth
    TOO_MANY_ALIASES           200      more than max_aliases aliases
    TOO_MANY_DIRECTIVES        200      more than max_directives directives
    TOO_MANY_ROOT_FIELDS       200      more than max_root_fields fields at the root
    TOO_MANY_SELECTIONS        200      more than max_selections selections, fragments expanded
    PAGE_TOO_LARGE             200      a `first` above max_page_size
    TOO_MANY_MONEY_MUTATIONS   200      more than max_money_mutations money mutations
    QUERY_TOO_COSTLY           200      the estimate exceeds max_upstream_calls (extensions.cost)

The HTTP refusals happen before GraphQL sees the request; the others are GraphQL errors of a
document that was parsed but not executed (`data` is null), like any validation error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import GraphQLError


class LimitExceeded(Exception):
    """A request the service refuses to run; `code` and `message` go to the client as they are."""

    def __init__(self, code: str, message: str, **extensions: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extensions = extensions

    def as_graphql_error(self) -> GraphQLError:
        return GraphQLError(self.message, original_error=self)


@dataclass(frozen=True)
class HttpRefusal:
    """A refusal answered before GraphQL: the status and one error in the GraphQL shape."""

    status: int
    code: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    def body(self, request_id: str | None) -> dict[str, object]:
        extensions: dict[str, object] = {"code": self.code}
        if request_id:
            extensions["requestId"] = request_id
        return {"data": None, "errors": [{"message": self.message, "extensions": extensions}]}
