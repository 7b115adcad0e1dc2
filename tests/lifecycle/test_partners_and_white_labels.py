"""attributeToPartners and moveTraderToWhiteLabel: the change, or a refusal that changes nothing."""

from __future__ import annotations

from pathlib import Path

from store.db import make_engine
from store.users import Link, UserStore
from tests.lifecycle.kit import Books, invalid, mutate, new_user, refused, updated
from tests.resolvers.harness import Graph

PARTNER_TRADERS = """query ($id: String!) {
  partner(id: $id) { traders { edges { node { login } } } }
}"""


async def test_attributes_a_trader_to_two_partners(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    given = {"login": login, "introducingBroker1": "ib-north", "introducingBroker2": "ib-south"}
    assert await mutate(graph, "attributeToPartners", given) == updated(
        login, partners=[{"partnerId": "ib-north"}, {"partnerId": "ib-south"}]
    )


async def test_the_partner_lists_the_trader_at_once(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    await graph.query(PARTNER_TRADERS, id="ib-north")  # the index is built before the change
    await mutate(graph, "attributeToPartners", {"login": login, "introducingBroker1": "ib-north"})
    assert await graph.query(PARTNER_TRADERS, id="ib-north") == {
        "data": {"partner": {"traders": {"edges": [{"node": {"login": login}}]}}}
    }


async def test_a_level_not_given_stays(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader(partner="ib-north")
    given = {"login": login, "introducingBroker2": "ib-south"}
    await mutate(graph, "attributeToPartners", given)
    found = await books.trader(login)
    assert found["contactDetails"] == {
        "email": "ada@example.com",
        "introducingBroker1": "ib-north",
        "introducingBroker2": "ib-south",
    }


async def test_no_partner_is_invalid_before_any_call(graph: Graph, books: Books) -> None:
    await books.crm.reset_calls()
    given = {"login": 5, "introducingBroker1": " "}
    assert (await mutate(graph, "attributeToPartners", given), await books.calls()) == (
        invalid(
            "invalid input: introducingBroker1: must not be blank",
            (["introducingBroker1"], "must not be blank"),
        ),
        {},
    )


async def test_partners_of_an_unknown_trader_are_trader_not_found(
    graph: Graph, books: Books
) -> None:
    login = await books.crm.create_trader()
    before = await books.trader(login)
    given = {"login": 987654, "introducingBroker1": "ib-north"}
    assert (await mutate(graph, "attributeToPartners", given), await books.trader(login)) == (
        refused("TraderNotFound", "Trader 987654 not found"),
        before,
    )


async def test_a_read_only_manager_attributes_nothing(read_only: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    before = await books.trader(login)
    given = {"login": login, "introducingBroker1": "ib-north"}
    assert (await mutate(read_only, "attributeToPartners", given), await books.trader(login)) == (
        refused("NotEnoughRights", "This manager is read-only"),
        before,
    )


async def test_moves_a_trader_to_another_white_label(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    given = {"login": login, "whiteLabel": "atlas-markets"}
    assert await mutate(graph, "moveTraderToWhiteLabel", given) == updated(
        login, whiteLabel={"name": "atlas-markets"}
    )


async def test_an_unconfigured_white_label_is_refused_before_any_call(
    graph: Graph, books: Books
) -> None:
    login = await books.crm.create_trader()
    await books.crm.reset_calls()
    given = {"login": login, "whiteLabel": "nowhere-fx"}
    message = "white label 'nowhere-fx' is not one the service is configured with"
    assert (await mutate(graph, "moveTraderToWhiteLabel", given), await books.calls()) == (
        refused("WhiteLabelNotFound", message),
        {},
    )


async def test_a_white_label_the_upstream_lacks_moves_nothing(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    before = await books.trader(login)
    given = {"login": login, "whiteLabel": "ghost-fx"}
    assert (await mutate(graph, "moveTraderToWhiteLabel", given), await books.trader(login)) == (
        refused("WhiteLabelNotFound", "Broker 'ghost-fx' not found"),
        before,
    )


async def test_moving_an_unknown_trader_is_trader_not_found(graph: Graph, books: Books) -> None:
    given = {"login": 987654, "whiteLabel": "atlas-markets"}
    assert (await mutate(graph, "moveTraderToWhiteLabel", given), await books.logins()) == (
        refused("TraderNotFound", "Trader 987654 not found"),
        [],
    )


async def test_a_read_only_manager_moves_nothing(read_only: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    before = await books.trader(login)
    given = {"login": login, "whiteLabel": "atlas-markets"}
    assert (
        await mutate(read_only, "moveTraderToWhiteLabel", given),
        await books.trader(login),
    ) == (
        refused("NotEnoughRights", "This manager is read-only"),
        before,
    )


async def test_a_move_carries_the_services_record_of_the_link(
    graph: Graph, books: Books, tmp_path: Path
) -> None:
    login, user_id = await books.crm.create_trader(), await new_user(graph)
    link = {"login": login, "userId": user_id, "password": "trader-secret"}
    await mutate(graph, "linkTrader", link)
    await mutate(graph, "moveTraderToWhiteLabel", {"login": login, "whiteLabel": "atlas-markets"})
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'service.db'}")
    try:
        recorded = await UserStore(engine).links_by_login([login])
    finally:
        await engine.dispose()
    (row,) = await books.users()
    assert recorded == {
        login: Link(login, user_id, int(row["ctidTraderAccountId"]), "atlas-markets", "demo")
    }
