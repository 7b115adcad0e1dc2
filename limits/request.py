"""`Asked`: what the front door learned about one GraphQL request, as one typed object.

The stage (`limits/stage.py`) builds it once the body is read, the document resolved and parsed
and the caller known; it travels inward on the request's `Context` (`context.asked`), so the
parse hook (`schema/extensions/parsed.py`), the limits and the resolvers read the door's
findings from it instead of reading the request again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from graphql import DocumentNode, OperationDefinitionNode

from auth.callers import Caller
from limits.admission import Admission


class MediaType(StrEnum):
    """What the answer is written as (GraphQL over HTTP)."""

    JSON = "application/json"
    GRAPHQL_RESPONSE = "application/graphql-response+json"


@dataclass(frozen=True)
class Asked:
    request_id: str
    method: str
    client: str
    """The client address (`limits/clients.py`): the key of anonymous rates and login delays."""
    caller: Caller | None
    text: str
    document: DocumentNode
    operation: OperationDefinitionNode
    operation_name: str | None
    variables: dict[str, object] | None
    extensions: dict[str, object] | None
    media_type: MediaType
    register: str | None = None
    """The hash to register `text` under (APQ) once GraphQL admits the operation."""
    admission: Admission = field(default_factory=Admission)
