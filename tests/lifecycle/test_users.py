"""createUser and linkTrader: the upstream's cTrader IDs, recorded by the service too."""

from __future__ import annotations

from tests.lifecycle.kit import Books, invalid, mutate, new_user, refused
from tests.resolvers.harness import Graph, Json

USER_OF_LINK = "query ($id: Int!) { user(id: $id) { userId traders { login } } }"


def user(user_id: int, email: str, logins: list[int], language: str = "EN") -> Json:
    return {
        "userId": user_id,
        "email": email,
        "nickname": f"ctid{user_id}",
        "status": "CTID_NEW",
        "preferredLanguage": language,
        "traders": [{"login": login} for login in logins],
    }


async def test_creates_a_user_and_records_it(graph: Graph, books: Books) -> None:
    given = {"email": "ada@example.com", "whiteLabel": "atlas-markets", "preferredLanguage": "FR"}
    created = await mutate(graph, "createUser", given)
    (row,) = await books.users()
    user_id = int(row["userId"])
    read = await graph.query(USER_OF_LINK, id=user_id)
    assert (created, read) == (
        {"__typename": "UserCreated", "user": user(user_id, "ada@example.com", [], "FR")},
        {"data": {"user": {"userId": user_id, "traders": []}}},
    )


async def test_a_known_email_creates_nothing(graph: Graph, books: Books) -> None:
    await books.crm.post("/cid/ctid/create", '{"email": "ada@example.com"}')
    before = await books.users()
    created = await mutate(graph, "createUser", {"email": "ADA@example.com"})
    user_id = int(before[0]["userId"])
    message = f"this email is already the cTrader ID of user {user_id}"
    assert (created, await books.users()) == (
        {"__typename": "EmailAlreadyExists", "message": message, "userId": user_id},
        before,
    )


async def test_an_unconfigured_white_label_is_refused_before_any_call(
    graph: Graph, books: Books
) -> None:
    await books.crm.reset_calls()
    given = {"email": "ada@example.com", "whiteLabel": "nowhere-fx"}
    created = await mutate(graph, "createUser", given)
    message = "white label 'nowhere-fx' is not one the service is configured with"
    assert (created, await books.calls()) == (refused("WhiteLabelNotFound", message), {})


async def test_a_bad_email_is_invalid_before_any_call(graph: Graph, books: Books) -> None:
    await books.crm.reset_calls()
    given = {"email": "ada@", "preferredLanguage": "english"}
    created = await mutate(graph, "createUser", given)
    assert (created, await books.calls()) == (
        invalid(
            "invalid input: email: is not an email address; "
            "preferredLanguage: is not an ISO 639-1 code",
            (["email"], "is not an email address"),
            (["preferredLanguage"], "is not an ISO 639-1 code"),
        ),
        {},
    )


async def test_a_read_only_manager_creates_no_user(read_only: Graph, books: Books) -> None:
    created = await mutate(read_only, "createUser", {"email": "ada@example.com"})
    assert (created, await books.users()) == (
        refused("NotEnoughRights", "This manager is read-only"),
        [],
    )


async def test_links_a_trader_and_records_the_link(graph: Graph, books: Books) -> None:
    login, user_id = await books.crm.create_trader(), await new_user(graph)
    given = {"login": login, "userId": user_id, "password": "trader-secret"}
    linked = await mutate(graph, "linkTrader", given)
    (row,) = await books.users()
    assert (linked, row["traderLogin"]) == (
        {
            "__typename": "TraderLinked",
            "ctidTraderAccountId": int(row["ctidTraderAccountId"]),
            "trader": {"login": login, "user": {"userId": user_id}},
            "user": user(user_id, "ada@example.com", [login]),
        },
        str(login),
    )


async def test_a_wrong_password_links_nothing(graph: Graph, books: Books) -> None:
    login, user_id = await books.crm.create_trader(), await new_user(graph)
    given = {"login": login, "userId": user_id, "password": "guess"}
    linked = await mutate(graph, "linkTrader", given)
    (row,) = await books.users()
    assert (linked, row["traderLogin"]) == (
        refused("WrongPassword", "The trader password hash does not match"),
        "",
    )


async def test_an_already_linked_trader_links_nothing(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    other = await books.crm.link_user(login, "grace@example.com")
    user_id = await new_user(graph)
    given = {"login": login, "userId": user_id, "password": "trader-secret"}
    linked = await mutate(graph, "linkTrader", given)
    links = {row["userId"]: row["traderLogin"] for row in await books.users()}
    assert (linked, links) == (
        refused("AlreadyLinked", f"Trader {login} is already linked"),
        {str(other): str(login), str(user_id): ""},
    )


async def test_a_user_the_service_does_not_know_is_refused_before_any_call(
    graph: Graph, books: Books
) -> None:
    login = await books.crm.create_trader()
    await books.crm.reset_calls()
    given = {"login": login, "userId": 424242, "password": "trader-secret"}
    linked = await mutate(graph, "linkTrader", given)
    message = "the service knows no user 424242; create it or import it first"
    assert (linked, await books.calls()) == (refused("UserNotFound", message), {})


async def test_an_unknown_trader_links_nothing(graph: Graph, books: Books) -> None:
    user_id = await new_user(graph)
    given = {"login": 987654, "userId": user_id, "password": "trader-secret"}
    linked = await mutate(graph, "linkTrader", given)
    (row,) = await books.users()
    assert (linked, row["traderLogin"]) == (
        refused("TraderNotFound", "Trader 987654 not found"),
        "",
    )


async def test_an_empty_password_is_invalid_before_any_call(graph: Graph, books: Books) -> None:
    user_id = await new_user(graph)
    await books.crm.reset_calls()
    given = {"login": 0, "userId": user_id, "password": "  "}
    linked = await mutate(graph, "linkTrader", given)
    assert (linked, await books.calls()) == (
        invalid(
            "invalid input: login: must be positive; password: must not be empty",
            (["login"], "must be positive"),
            (["password"], "must not be empty"),
        ),
        {},
    )


async def test_a_read_only_manager_links_nothing(
    graph: Graph, read_only: Graph, books: Books
) -> None:
    login, user_id = await books.crm.create_trader(), await new_user(graph)
    given = {"login": login, "userId": user_id, "password": "trader-secret"}
    linked = await mutate(read_only, "linkTrader", given)
    (row,) = await books.users()
    assert (linked, row["traderLogin"]) == (
        refused("NotEnoughRights", "This manager is read-only"),
        "",
    )
