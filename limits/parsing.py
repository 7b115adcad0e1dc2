"""Parsing a GraphQL document once, with the token cap, and what kind of operation it holds.

`parse_document` is graphql-core's parser with `max_tokens`, behind a bounded LRU shared by the
process (as Strawberry's `ParserCache`), so a document seen before costs a dictionary lookup.
The cap is the same for every caller, anonymous included. Documents are never mutated after
parsing (Strawberry and graphql-core only read them), so sharing one is safe.
"""

from __future__ import annotations

from functools import lru_cache

from graphql import DocumentNode, OperationDefinitionNode, OperationType, parse

from auth.rules import root_fields
from limits.cost import MONEY_MUTATIONS

CACHED_DOCUMENTS = 256
PARSER_STOPPED_AT_LIMIT = "Document contains more than"
"""graphql-core's words when the parser stops at `max_tokens`: the error is `TOO_MANY_TOKENS`."""


@lru_cache(maxsize=CACHED_DOCUMENTS)
def parse_document(text: str, max_tokens: int) -> DocumentNode:
    """The parsed document; a `GraphQLError` (syntax, or more than `max_tokens`) otherwise."""
    return parse(text, max_tokens=max_tokens)


def kind_of(document: DocumentNode, operation: OperationDefinitionNode | None) -> str:
    """The rate an operation counts against: `query`, `mutation` or `money` (subscriptions and
    documents without an operation count as queries)."""
    if operation is None or operation.operation != OperationType.MUTATION:
        return "query"
    return "money" if root_fields(document, operation) & MONEY_MUTATIONS else "mutation"
