"""updateTrader (PATCH): what is given changes, the rest stays; a refusal changes nothing."""

from __future__ import annotations

import pytest

from tests.lifecycle.kit import NO_CONTACT, Books, invalid, mutate, operation, refused, updated
from tests.resolvers.harness import Graph

PATCH_FAULT = '{{"method": "PATCH", "path": "/v2/webserv/traders/*", "action": "{action}"{extra}}}'


async def fault(books: Books, action: str, extra: str = "") -> None:
    await books.crm.fault(PATCH_FAULT.format(action=action, extra=extra))


async def test_changes_every_field_it_is_given(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    given = {
        "login": login,
        "name": "Grace",
        "description": "VIP",
        "contactDetails": {"phone": "+1 555", "city": "Arlington", "countryId": 840},
        "group": "Professional USD",
        "leverage": "200",
        "accessRights": "CLOSE_ONLY",
        "swapFree": True,
        "limitedRisk": True,
    }
    contact = {**NO_CONTACT, "email": "ada@example.com", "phone": "+1 555"}
    contact |= {"city": "Arlington", "countryId": 840}
    account = {"currency": "USD", "leverage": "200", "swapFree": True, "limitedRisk": True}
    assert await mutate(graph, "updateTrader", given) == updated(
        login,
        name="Grace",
        description="VIP",
        contactDetails=contact,
        group={"name": "Professional USD"},
        accessRights="CLOSE_ONLY",
        account={**account, "marginCalculationType": "MAX"},
    )


async def test_statements_reach_the_upstream(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    given = {"login": login, "sendOwnStatement": True, "sendStatementToBroker": True}
    await mutate(graph, "updateTrader", given)
    found = await books.trader(login)
    assert (found["sendOwnStatement"], found["sendStatementToBroker"]) == (True, True)


async def test_an_unknown_group_changes_nothing(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    before = await books.trader(login)
    given = {"login": login, "group": "VIP", "name": "Grace"}
    assert (await mutate(graph, "updateTrader", given), await books.trader(login)) == (
        refused("GroupNotFound", "Trader group 'VIP' not found"),
        before,
    )


async def test_an_unknown_trader_is_trader_not_found(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    before = await books.trader(login)
    given = {"login": 987654, "name": "Grace"}
    assert (await mutate(graph, "updateTrader", given), await books.trader(login)) == (
        refused("TraderNotFound", "Trader 987654 not found"),
        before,
    )


async def test_an_update_of_nothing_is_invalid_before_any_call(graph: Graph, books: Books) -> None:
    await books.crm.reset_calls()
    assert (await mutate(graph, "updateTrader", {"login": 5}), await books.calls()) == (
        invalid(
            "invalid input: input: give at least one field to change",
            ([], "give at least one field to change"),
        ),
        {},
    )


async def test_bad_leverage_and_email_are_invalid_before_any_call(
    graph: Graph, books: Books
) -> None:
    await books.crm.reset_calls()
    given = {"login": 5, "leverage": "0", "contactDetails": {"email": "nobody"}}
    assert (await mutate(graph, "updateTrader", given), await books.calls()) == (
        invalid(
            "invalid input: leverage: must be above 0 and at most 10000; "
            "contactDetails.email: is not an email address",
            (["leverage"], "must be above 0 and at most 10000"),
            (["contactDetails", "email"], "is not an email address"),
        ),
        {},
    )


async def test_the_rate_limit_changes_nothing(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    before = await books.trader(login)
    await fault(books, "error", ', "status": 429, "errorCode": "REQUEST_FREQUENCY_EXCEEDED"')
    given = {"login": login, "name": "Grace"}
    assert (await mutate(graph, "updateTrader", given), await books.trader(login)) == (
        refused("RateLimited", "the upstream's rate limit was reached; retry later"),
        before,
    )


async def test_an_unavailable_upstream_changes_nothing(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    before = await books.trader(login)
    await fault(books, "error", ', "status": 503, "times": 1')
    given = {"login": login, "name": "Grace"}
    assert (await mutate(graph, "updateTrader", given), await books.trader(login)) == (
        refused("UpstreamUnavailable", "503 UNKNOWN_ERROR: Injected fault: error"),
        before,
    )


async def test_a_lost_answer_says_the_change_may_have_applied(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    await fault(books, "drop_after_commit", ', "times": 1')
    given = {"login": login, "name": "Grace"}
    message = (
        "the upstream's answer was lost, so the change may have been applied; read it back first"
    )
    assert (await mutate(graph, "updateTrader", given), (await books.trader(login))["name"]) == (
        refused("UpstreamUnavailable", message),
        "Grace",
    )


async def test_a_read_only_manager_changes_nothing(read_only: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    before = await books.trader(login)
    given = {"login": login, "name": "Grace"}
    assert (await mutate(read_only, "updateTrader", given), await books.trader(login)) == (
        refused("NotEnoughRights", "This manager is read-only"),
        before,
    )


@pytest.mark.parametrize(
    "code",
    [
        "TRADER_ALREADY_LINKED",  # a lifecycle failure, but not one updateTrader's union holds
        "CH_UNHEARD_OF",  # a code the service does not know at all
    ],
)
async def test_an_answer_the_mutation_never_expects_is_a_graphql_error(
    graph: Graph, books: Books, code: str
) -> None:
    login = await books.crm.create_trader()
    before = await books.trader(login)
    await fault(books, "error", f', "status": 400, "errorCode": "{code}"')
    body = await graph.query(operation("updateTrader"), input={"login": login, "name": "Grace"})
    errors = body["errors"]
    assert isinstance(errors, list)
    extensions = {k: v for k, v in errors[0]["extensions"].items() if k != "requestId"}
    call = "PATCH /v2/webserv/traders/{login}"
    assert (body["data"], errors[0]["message"], extensions, await books.trader(login)) == (
        None,
        f"The upstream refused the request ({call}).",
        {"code": "UPSTREAM_REJECTED", "upstreamCall": call, "upstreamCode": code},
        before,
    )


TWO_UPDATES = """mutation ($login: Int!) {
  first: updateTrader(input: {login: $login, name: "Ada"}) {
    ... on TraderUpdated { trader { name } } }
  second: updateTrader(input: {login: $login, name: "Grace"}) {
    ... on TraderUpdated { trader { name } } } }"""


async def test_each_of_two_updates_in_one_request_shows_its_own_write(
    graph: Graph, books: Books
) -> None:
    login = await books.crm.create_trader()
    answer = await graph.query(TWO_UPDATES, login=login)
    assert answer == {
        "data": {"first": {"trader": {"name": "Ada"}}, "second": {"trader": {"name": "Grace"}}}
    }
