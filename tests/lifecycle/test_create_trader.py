"""createTrader: a new account with every setting, or a typed refusal that creates nothing."""

from __future__ import annotations

from tests.lifecycle.kit import Books, invalid, mutate, refused
from tests.resolvers.harness import WEBSERV, Graph, Json, md5

TOKEN = "POST /v2/webserv/managers/token"
NEW = {
    "whiteLabel": "sandbox",
    "group": "Retail USD",
    "depositCurrency": "USD",
    "leverage": "100",
    "password": "s3cret-pw",
}
NO_CONTACT = dict.fromkeys(
    ("email", "phone", "address", "city", "state", "zipCode", "countryId", "documentId")
)


def trader(login: int, **changes: object) -> Json:
    """The GraphQL trader a minimal NEW creates, with `changes` on top."""
    account = {
        "currency": "USD",
        "leverage": "100",
        "swapFree": False,
        "limitedRisk": False,
        "marginCalculationType": "MAX",
    }
    return {
        "login": login,
        "name": None,
        "lastName": None,
        "description": None,
        "accessRights": "FULL_ACCESS",
        "accountType": "HEDGED",
        "group": {"name": "Retail USD"},
        "whiteLabel": {"name": "sandbox"},
        "partners": [],
        "contactDetails": NO_CONTACT,
        "account": account,
        "attributes": [],
        **changes,
    }


async def test_creates_a_trader_with_every_setting(graph: Graph, books: Books) -> None:
    given = {
        **NEW,
        "whiteLabel": "atlas-markets",
        "group": "Retail EUR",
        "depositCurrency": "EUR",
        "leverage": "30.5",
        "accessRights": "NO_TRADING",
        "accountType": "NETTED",
        "marginCalculationType": "SUM",
        "name": "Ada",
        "lastName": "Lovelace",
        "description": "KYC pending",
        "contactDetails": {"email": "ada@example.com", "phone": "+44 20", "countryId": 826},
        "introducingBroker1": "ib-north",
        "introducingBroker2": "ib-south",
        "swapFree": True,
        "limitedRisk": True,
        "sendOwnStatement": True,
        "sendStatementToBroker": True,
    }
    created = await mutate(graph, "createTrader", given)
    (login,) = await books.logins()
    contact = {**NO_CONTACT, "email": "ada@example.com", "phone": "+44 20", "countryId": 826}
    account = {
        "currency": "EUR",
        "leverage": "30.5",
        "swapFree": True,
        "limitedRisk": True,
        "marginCalculationType": "SUM",
    }
    assert created == {
        "__typename": "TraderCreated",
        "trader": trader(
            login,
            name="Ada",
            lastName="Lovelace",
            description="KYC pending",
            accessRights="NO_TRADING",
            accountType="NETTED",
            group={"name": "Retail EUR"},
            whiteLabel={"name": "atlas-markets"},
            partners=[{"partnerId": "ib-north"}, {"partnerId": "ib-south"}],
            contactDetails=contact,
            account=account,
        ),
    }


async def test_statements_reach_the_upstream(graph: Graph, books: Books) -> None:
    await mutate(graph, "createTrader", {**NEW, "sendStatementToBroker": True})
    (login,) = await books.logins()
    found = await books.trader(login)
    assert (found["sendOwnStatement"], found["sendStatementToBroker"]) == (False, True)


async def test_the_initial_password_is_sent_as_its_md5(graph: Graph, books: Books) -> None:
    await mutate(graph, "createTrader", NEW)
    (login,) = await books.logins()
    body = f'{{"login": {login}, "hashedPassword": "{md5("s3cret-pw")}"}}'
    answer = await books.crm.post(f"{WEBSERV}/traders/{login}/checkpassword", body)
    assert answer.status_code == 204


async def test_an_unknown_group_creates_nothing(graph: Graph, books: Books) -> None:
    created = await mutate(graph, "createTrader", {**NEW, "group": "VIP"})
    assert (created, await books.logins()) == (
        refused("GroupNotFound", "Trader group 'VIP' not found"),
        [],
    )


async def test_an_unconfigured_white_label_is_refused_before_any_call(
    graph: Graph, books: Books
) -> None:
    await books.crm.reset_calls()
    created = await mutate(graph, "createTrader", {**NEW, "whiteLabel": "nowhere-fx"})
    message = "white label 'nowhere-fx' is not one the service is configured with"
    assert (created, await books.calls()) == (refused("WhiteLabelNotFound", message), {})


async def test_a_white_label_the_upstream_lacks_creates_nothing(graph: Graph, books: Books) -> None:
    created = await mutate(graph, "createTrader", {**NEW, "whiteLabel": "ghost-fx"})
    message = "Broker 'ghost-fx' is not on this plant"
    assert (created, await books.logins()) == (refused("WhiteLabelNotFound", message), [])


async def test_invalid_fields_are_named_before_any_call(graph: Graph, books: Books) -> None:
    await books.crm.reset_calls()
    given = {
        **NEW,
        "depositCurrency": "us dollar",
        "leverage": "-5",
        "password": "",
        "contactDetails": {"email": "ada.example.com", "countryId": 4000},
    }
    created = await mutate(graph, "createTrader", given)
    assert (created, await books.calls()) == (
        invalid(
            "invalid input: depositCurrency: is not a deposit asset name; "
            "leverage: must be above 0 and at most 10000; password: must not be empty; "
            "contactDetails.email: is not an email address; "
            "contactDetails.countryId: is not ISO 3166-1",
            (["depositCurrency"], "is not a deposit asset name"),
            (["leverage"], "must be above 0 and at most 10000"),
            (["password"], "must not be empty"),
            (["contactDetails", "email"], "is not an email address"),
            (["contactDetails", "countryId"], "is not ISO 3166-1"),
        ),
        {},
    )


async def test_a_leverage_with_fractions_of_cents_is_invalid(graph: Graph, books: Books) -> None:
    await books.crm.reset_calls()
    created = await mutate(graph, "createTrader", {**NEW, "leverage": "100.001"})
    assert (created, await books.calls()) == (
        invalid(
            "invalid input: leverage: has more than 2 decimals",
            (["leverage"], "has more than 2 decimals"),
        ),
        {},
    )


async def test_a_leverage_with_an_exponent_is_invalid(graph: Graph, books: Books) -> None:
    await books.crm.reset_calls()
    created = await mutate(graph, "createTrader", {**NEW, "leverage": "1e999999999"})
    problem = "'1e999999999' is written with an exponent; write its digits out, as in \"1234.56\""
    assert (created, await books.calls()) == (
        invalid(f"invalid input: leverage: {problem}", (["leverage"], problem)),
        {},
    )


async def test_an_unknown_currency_is_refused_after_one_read(graph: Graph, books: Books) -> None:
    await books.crm.reset_calls()
    created = await mutate(graph, "createTrader", {**NEW, "depositCurrency": "XAU"})
    problem = "is not a deposit asset of the upstream (BTC, EUR, GBP, JPY, USD)"
    assert (created, await books.calls()) == (
        invalid(f"invalid input: depositCurrency: {problem}", (["depositCurrency"], problem)),
        {TOKEN: 1, "GET /v2/webserv/depositAssets": 1},
    )


async def test_a_read_only_manager_creates_nothing(read_only: Graph, books: Books) -> None:
    created = await mutate(read_only, "createTrader", NEW)
    assert (created, await books.logins()) == (
        refused("NotEnoughRights", "This manager is read-only"),
        [],
    )


async def test_the_rate_limit_creates_nothing(graph: Graph, books: Books) -> None:
    await books.crm.fault(
        '{"method": "POST", "path": "/v2/webserv/traders", "action": "error", "status": 429, '
        '"errorCode": "REQUEST_FREQUENCY_EXCEEDED", "times": 1}'
    )
    created = await mutate(graph, "createTrader", NEW)
    assert (created, await books.logins()) == (
        refused("RateLimited", "the upstream's rate limit was reached; retry later"),
        [],
    )


async def test_an_unavailable_upstream_creates_nothing(graph: Graph, books: Books) -> None:
    await books.crm.fault(
        '{"method": "POST", "path": "/v2/webserv/traders", "action": "error", "status": 503, '
        '"times": 1}'
    )
    created = await mutate(graph, "createTrader", NEW)
    assert (created, await books.logins()) == (
        refused("UpstreamUnavailable", "503 UNKNOWN_ERROR: Injected fault: error"),
        [],
    )


async def test_a_lost_answer_says_the_account_may_exist(graph: Graph, books: Books) -> None:
    await books.crm.fault(
        '{"method": "POST", "path": "/v2/webserv/traders", "action": "drop_after_commit", '
        '"times": 1}'
    )
    created = await mutate(graph, "createTrader", NEW)
    message = (
        "the upstream's answer was lost, so the change may have been applied; read it back first"
    )
    assert (created, len(await books.logins())) == (refused("UpstreamUnavailable", message), 1)
