"""The codes of refused requests, and the shape a refusal takes on the wire.

    code                       status   refused because
    REQUEST_TOO_LARGE          413      the POST body exceeds max_body_bytes
    UNSUPPORTED_CONTENT_TYPE   415      a POST that is not application/json (form posts: CSRF)
    INVALID_ENCODING           400      the body is not UTF-8
    INVALID_JSON               400      the body is not JSON
    JSON_TOO_DEEP              400      JSON nested deeper than max_json_depth
    INVALID_REQUEST            400      not an object, or a parameter of the wrong JSON type
    MISSING_QUERY              400      no document (neither `query` nor a hash)
    BATCHING_DISABLED          400      a JSON array of operations
    OPERATION_NOT_FOUND        400      `operationName` names no operation of the document
    SUBSCRIPTION_OVER_HTTP     400      a subscription sent over HTTP (use the websocket)
    MUTATION_OVER_GET          405      a mutation sent with GET
    UNAUTHENTICATED            401      an unknown token; an anonymous request for more than login
    TOO_MANY_LOGINS            400      more than one `login` field in one request
    RATE_LIMITED               429      the caller's rate is spent (Retry-After, retryAfter)
    LOGIN_THROTTLED            429      too many logins from this address (Retry-After, retryAfter)
    INTERNAL_ERROR             500      an unexpected failure; the log has it under the request id
    TOO_MANY_TOKENS            200/400  the document has more than max_tokens tokens
    QUERY_TOO_DEEP             200/400  nesting deeper than max_depth
    TOO_MANY_ALIASES           200/400  more than max_aliases aliases
    TOO_MANY_DIRECTIVES        200/400  more than max_directives directives
    TOO_MANY_ROOT_FIELDS       200/400  more than max_root_fields fields at the root
    TOO_MANY_SELECTIONS        200/400  more than max_selections selections, fragments expanded
    PAGE_TOO_LARGE             200/400  a `first` above max_page_size
    TOO_MANY_MONEY_MUTATIONS   200/400  more than max_money_mutations money mutations
    QUERY_TOO_COSTLY           200/400  the estimate exceeds max_upstream_calls (extensions.cost)

The HTTP refusals happen before GraphQL runs the request; the others are GraphQL errors of a
document that was parsed but not executed, like any validation error: HTTP 200 with `data: null`
for `application/json` clients, 400 without `data` for `application/graphql-response+json` ones.
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
    extensions: dict[str, object] = field(default_factory=dict)

    def body(self, request_id: str | None, *, with_data: bool = True) -> dict[str, object]:
        extensions: dict[str, object] = {"code": self.code, **self.extensions}
        if request_id:
            extensions["requestId"] = request_id
        errors = [{"message": self.message, "extensions": extensions}]
        return {"data": None, "errors": errors} if with_data else {"errors": errors}


class Refused(Exception):
    """Raised inside the front door's stage: the request ends with `refusal`."""

    def __init__(self, refusal: HttpRefusal) -> None:
        super().__init__(refusal.code)
        self.refusal = refusal
