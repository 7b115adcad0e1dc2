"""`Fields.drain`: a long list is read in order and let go of as it is read."""

from upstream.fields import Fields


def test_drain_yields_the_records_in_order_and_empties_the_parsed_list() -> None:
    parsed: list[object] = [{"login": 1}, {"login": 2}, {"login": 3}]
    fields = Fields({"trader": parsed, "hasMore": False})
    logins = [record.integer("login") for record in fields.drain("trader")]
    assert (logins, parsed, fields.flag("hasMore")) == ([1, 2, 3], [], False)


def test_drain_of_a_single_record_or_none_reads_like_records() -> None:
    single = Fields({"trader": {"login": 7}})
    assert ([r.integer("login") for r in single.drain("trader")], list(Fields({}).drain("x"))) == (
        [7],
        [],
    )
