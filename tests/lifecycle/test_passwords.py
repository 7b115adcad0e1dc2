"""changeTraderPassword and checkTraderPassword: MD5 on the wire, never returned or logged."""

from __future__ import annotations

import logging

import pytest

from tests.lifecycle.kit import Books, invalid, mutate, new_user, refused, updated
from tests.resolvers.harness import WEBSERV, Graph, md5

NEW_PASSWORD = "n3w-Secret!"


async def upstream_accepts(books: Books, login: int, password: str) -> bool:
    """Whether the upstream takes `password` for `login`, asked as a CRM would."""
    body = f'{{"login": {login}, "hashedPassword": "{md5(password)}"}}'
    answer = await books.crm.http.post(
        f"{WEBSERV}/traders/{login}/checkpassword",
        params={"token": books.crm.token},
        content=body,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    return answer.status_code == 204


def service_records(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The captured records, less the in-process sandbox's own SQL: its tables (`sbx_*`) are the
    upstream's books, where the hash belongs, and not the service's log."""
    messages = (record.getMessage() for record in caplog.records)
    return [message for message in messages if "sbx_" not in message]


async def test_changes_the_password(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    given = {"login": login, "password": NEW_PASSWORD}
    changed = await mutate(graph, "changeTraderPassword", given)
    accepted = (
        await upstream_accepts(books, login, NEW_PASSWORD),
        await upstream_accepts(books, login, "trader-secret"),
    )
    assert (changed, accepted) == (updated(login), (True, False))


async def test_an_empty_password_is_invalid_before_any_call(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    await books.crm.reset_calls()
    changed = await mutate(graph, "changeTraderPassword", {"login": login, "password": ""})
    assert (changed, await books.calls()) == (
        invalid("invalid input: password: must not be empty", (["password"], "must not be empty")),
        {},
    )


async def test_changing_an_unknown_traders_password_is_trader_not_found(
    graph: Graph, books: Books
) -> None:
    login = await books.crm.create_trader()
    given = {"login": 987654, "password": NEW_PASSWORD}
    changed = await mutate(graph, "changeTraderPassword", given)
    assert (changed, await upstream_accepts(books, login, "trader-secret")) == (
        refused("TraderNotFound", "Trader 987654 not found"),
        True,
    )


async def test_a_read_only_manager_changes_no_password(read_only: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    given = {"login": login, "password": NEW_PASSWORD}
    changed = await mutate(read_only, "changeTraderPassword", given)
    assert (changed, await upstream_accepts(books, login, "trader-secret")) == (
        refused("NotEnoughRights", "This manager is read-only"),
        True,
    )


async def test_the_traders_password_matches(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    given = {"login": login, "password": "trader-secret"}
    assert await mutate(graph, "checkTraderPassword", given) == {
        "__typename": "PasswordMatches",
        "trader": {"login": login},
    }


async def test_another_password_is_wrong_and_changes_nothing(graph: Graph, books: Books) -> None:
    login = await books.crm.create_trader()
    checked = await mutate(graph, "checkTraderPassword", {"login": login, "password": "guess"})
    assert (checked, await upstream_accepts(books, login, "trader-secret")) == (
        refused("WrongPassword", f"the password of trader {login} is not this one"),
        True,
    )


async def test_checking_an_unknown_trader_is_trader_not_found(graph: Graph) -> None:
    given = {"login": 987654, "password": "guess"}
    assert await mutate(graph, "checkTraderPassword", given) == refused(
        "TraderNotFound", "Trader 987654 not found"
    )


async def test_no_password_reaches_the_logs(
    graph: Graph, books: Books, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every mutation that carries a password, succeeding and failing, with logs at DEBUG
    (and structlog's lines on stdout)."""
    caplog.set_level(logging.DEBUG)
    login = await books.crm.create_trader()
    user_id = await new_user(graph)
    new = {"whiteLabel": "sandbox", "group": "Retail USD", "depositCurrency": "USD"}
    await mutate(graph, "createTrader", {**new, "leverage": "100", "password": NEW_PASSWORD})
    await mutate(graph, "createTrader", {**new, "leverage": "-1", "password": NEW_PASSWORD})
    await mutate(graph, "linkTrader", {"login": login, "userId": user_id, "password": "wrong-1"})
    await mutate(graph, "changeTraderPassword", {"login": login, "password": NEW_PASSWORD})
    await mutate(graph, "checkTraderPassword", {"login": login, "password": "wrong-2"})
    await mutate(graph, "checkTraderPassword", {"login": login, "password": NEW_PASSWORD})
    logged = "\n".join([*service_records(caplog), capsys.readouterr().out])
    secrets = [NEW_PASSWORD, "wrong-1", "wrong-2"]
    assert [s for s in secrets + [md5(s) for s in secrets] if s in logged] == []
