"""The token cap's fast count (limits/parsing.py) refuses exactly where graphql-core's parser
would, with the parser's own error, and never refuses a document the parser admits."""

from __future__ import annotations

import pytest
from graphql import GraphQLSyntaxError, parse

from bench.graph_clients import ACCEPTANCE_QUERY, PAGE_QUERY
from explorer.operations import EXAMPLES
from limits.parsing import _TOKEN, over_the_cap

TRICKY = r'''# a comment { with [ brackets ] "and quotes"
query Q($a: Int = -12, $b: Float = 3.5e-2, $s: String = "a \"quoted\" { string }") {
  traders(first: 5, after: """a block "" \""" string { } """) @include(if: true) {
    edges { node { ...F } }  # trailing comment
  }
}
fragment F on Trader { login, registeredAt }
'''
DOCUMENTS = [ACCEPTANCE_QUERY, PAGE_QUERY, TRICKY, *(example.query for example in EXAMPLES)]


def parser_error(text: str, cap: int) -> GraphQLSyntaxError | None:
    try:
        parse(text, max_tokens=cap)
    except GraphQLSyntaxError as error:
        return error
    return None


def fast_error(text: str, cap: int) -> GraphQLSyntaxError | None:
    try:
        over_the_cap(text, cap)
    except GraphQLSyntaxError as error:
        return error
    return None


@pytest.mark.parametrize("text", DOCUMENTS)
def test_the_count_is_the_parsers(text: str) -> None:
    tokens = sum(1 for _ in _TOKEN.finditer(text))

    assert parser_error(text, tokens) is None
    assert fast_error(text, tokens) is None
    over, fast = parser_error(text, tokens - 1), fast_error(text, tokens - 1)
    assert over is not None
    assert fast is not None
    assert (fast.message, fast.locations) == (over.message, over.locations)


def test_a_document_padded_past_the_cap_is_stopped_at_the_parsers_token() -> None:
    padded = 'mutation { login(managerLogin: 1, password: "p") { ' + "__typename " * 6000 + "} }"

    fast, parser = fast_error(padded, 3000), parser_error(padded, 3000)

    assert fast is not None
    assert parser is not None
    assert (fast.message, fast.locations) == (parser.message, parser.locations)
