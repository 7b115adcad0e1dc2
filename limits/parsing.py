"""Parsing a GraphQL document once, with the token cap, and what kind of operation it holds.

`parse_document` is graphql-core's parser with `max_tokens`, behind a bounded LRU shared by the
process (as Strawberry's `ParserCache`), so a document seen before costs a dictionary lookup.
The cap is the same for every caller, anonymous included. Documents are never mutated after
parsing (Strawberry and graphql-core only read them), so sharing one is safe.

graphql-core's lexer is Python, about as dear per token as the rest of a small request put
together, so a document built to reach the cap (3,000 tokens of a 64 KB body) used to cost a
full parse before being refused. `over_the_cap` counts the tokens first with one regular
expression (strings, block strings and comments each one token, as the parser counts them) and
refuses a document past the cap with the parser's own error at the same token, at C speed. It
never counts more tokens than the parser would for a document that parses, so it refuses
nothing the parser would admit; what it under-counts, the parser still stops.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    Source,
    parse,
)

from limits.cost import MONEY_MUTATIONS

CACHED_DOCUMENTS = 256
PARSER_STOPPED_AT_LIMIT = "Document contains more than"
"""graphql-core's words when the parser stops at `max_tokens`: the error is `TOO_MANY_TOKENS`."""


_TOKEN = re.compile(
    r'"""(?:\\"""|(?!""")[\s\S])*"""'  # block string
    r'|"(?:[^"\\\n\r]|\\.)*"'  # string
    r"|#[^\n\r]*"  # comment (the parser counts those too)
    r"|[_A-Za-z][_0-9A-Za-z]*"  # name
    r"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"  # number
    r"|\.\.\.|[!$&()\[\]{}:=@|]"  # punctuator
)


@lru_cache(maxsize=CACHED_DOCUMENTS)
def parse_document(text: str, max_tokens: int) -> DocumentNode:
    """The parsed document; a `GraphQLError` (syntax, or more than `max_tokens`) otherwise."""
    if len(text) > max_tokens:
        over_the_cap(text, max_tokens)
    return parse(text, max_tokens=max_tokens)


def over_the_cap(text: str, max_tokens: int) -> None:
    """Raise the parser's `max_tokens` error when `text` has more tokens than the cap."""
    past = next(islice(_TOKEN.finditer(text), max_tokens, None), None)
    if past is not None:
        message = f"Document contains more than {max_tokens} tokens. Parsing aborted."
        raise GraphQLSyntaxError(Source(text), past.start(), message)


def kind_of(document: DocumentNode, operation: OperationDefinitionNode | None) -> str:
    """The rate an operation counts against: `query`, `mutation` or `money` (subscriptions and
    documents without an operation count as queries)."""
    if operation is None or operation.operation != OperationType.MUTATION:
        return "query"
    return "money" if root_fields(document, operation) & MONEY_MUTATIONS else "mutation"


def root_fields(document: DocumentNode, operation: OperationDefinitionNode) -> set[str]:
    """The names of the operation's root fields, through fragments (a spread hides nothing)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    names: set[str] = set()
    pending, seen = [operation.selection_set], set[str]()
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                names.add(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                seen.add(selection.name.value)
                if (fragment := fragments.get(selection.name.value)) is not None:
                    pending.append(fragment.selection_set)
    return names
