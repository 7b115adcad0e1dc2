"""setAttributes, removeAttributes and deleteTrader: the change, or a refusal changing nothing."""

from __future__ import annotations

from tests.lifecycle.kit import Books, invalid, mutate, new_user, refused
from tests.resolvers.harness import Graph

SELECTED = "query ($login: Int!) { trader(login: $login) { attributes { name value } } }"
TRADER_ID = "query ($login: Int!) { trader(login: $login) { id } }"
USER_TRADERS = "query ($id: Int!) { user(id: $id) { traders { login } } }"
PAIRS = [{"name": "kyc", "value": "passed"}, {"name": "desk", "value": "london"}]


async def attributes_in_graph(graph: Graph, login: int) -> object:
    return (await graph.query(SELECTED, login=login))["data"]


async def test_sets_attributes(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    await mutate(graph, "setAttributes", {"login": login, "attributes": PAIRS})
    assert await books.attributes(login) == [
        {"name": "desk", "value": "london"},
        {"name": "kyc", "value": "passed"},
    ]


async def test_the_changed_trader_shows_its_attributes(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    await mutate(graph, "setAttributes", {"login": login, "attributes": PAIRS[:1]})
    assert await attributes_in_graph(graph, login) == {
        "trader": {"attributes": [{"name": "kyc", "value": "passed"}]}
    }


async def test_removes_attributes_by_name(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    await mutate(graph, "setAttributes", {"login": login, "attributes": PAIRS})
    removed = await mutate(graph, "removeAttributes", {"login": login, "names": ["kyc"]})
    trader = removed["trader"]
    assert isinstance(trader, dict)
    assert (trader["attributes"], await books.attributes(login)) == (
        [{"name": "desk", "value": "london"}],
        [{"name": "desk", "value": "london"}],
    )


async def test_attributes_of_an_unknown_trader_are_trader_not_found(
    graph: Graph, books: Books
) -> None:
    await books.crm.reset_calls()
    given = {"login": 987654, "attributes": PAIRS}
    assert (await mutate(graph, "setAttributes", given), await books.calls()) == (
        refused("TraderNotFound", "Trader 987654 not found"),
        {"POST /v2/webserv/managers/token": 1, "GET /v2/webserv/traders/{login}": 1},
    )


async def test_bad_attributes_are_invalid_before_any_call(graph: Graph, books: Books) -> None:
    await books.crm.reset_calls()
    pairs = [{"name": "kyc", "value": "passed"}, {"name": "kyc", "value": ""}]
    given = {"login": 5, "attributes": pairs}
    assert (await mutate(graph, "setAttributes", given), await books.calls()) == (
        invalid(
            "invalid input: attributes: names an attribute twice; "
            "attributes.1.value: must be 1 to 512 characters",
            (["attributes"], "names an attribute twice"),
            (["attributes", "1", "value"], "must be 1 to 512 characters"),
        ),
        {},
    )


async def test_no_names_to_remove_is_invalid_before_any_call(graph: Graph, books: Books) -> None:
    await books.crm.reset_calls()
    given = {"login": 5, "names": []}
    assert (await mutate(graph, "removeAttributes", given), await books.calls()) == (
        invalid(
            "invalid input: names: must hold 1 to 100 names",
            (["names"], "must hold 1 to 100 names"),
        ),
        {},
    )


async def test_a_read_only_manager_sets_no_attribute(read_only: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    given = {"login": login, "attributes": PAIRS}
    assert (await mutate(read_only, "setAttributes", given), await books.attributes(login)) == (
        refused("NotEnoughRights", "This manager is read-only"),
        [],
    )


async def test_deletes_a_trader(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    before = await graph.query(TRADER_ID, login=login)
    deleted = await mutate(graph, "deleteTrader", {"login": login})
    after = await graph.query(TRADER_ID, login=login)
    assert (before, deleted, after, await books.logins()) == (
        {"data": {"trader": {"id": deleted["deletedId"]}}},
        {"__typename": "TraderDeleted", "login": login, "deletedId": deleted["deletedId"]},
        {"data": {"trader": None}},
        [],
    )


async def test_deleting_a_linked_trader_drops_it_from_its_user(graph: Graph, books: Books) -> None:
    login, user_id = await books.crm.create_trader(), await new_user(graph)
    link = {"login": login, "userId": user_id, "password": "trader-secret"}
    await mutate(graph, "linkTrader", link)
    await mutate(graph, "deleteTrader", {"login": login})
    after = await graph.query(USER_TRADERS, id=user_id)
    assert after == {"data": {"user": {"traders": []}}}


async def test_deleting_an_unknown_trader_is_trader_not_found(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    assert (await mutate(graph, "deleteTrader", {"login": 987654}), await books.logins()) == (
        refused("TraderNotFound", "Trader 987654 not found"),
        [login],
    )


async def test_a_read_only_manager_deletes_nothing(read_only: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    assert (await mutate(read_only, "deleteTrader", {"login": login}), await books.logins()) == (
        refused("NotEnoughRights", "This manager is read-only"),
        [login],
    )
