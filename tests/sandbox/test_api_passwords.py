"""§3.9 changepassword and §3.10 checkpassword: 204 with no body (§12), WRONG_PASSWORD on a
mismatch."""

import httpx

from tests.sandbox.matchers import error_body, outcome
from tests.sandbox.traders import TRADER_PASSWORD, create_trader
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV, md5


async def post_password(
    client: httpx.AsyncClient, token: str, login: object, verb: str, password: str
) -> httpx.Response:
    body = {"login": login, "hashedPassword": md5(password)}
    return await client.post(
        f"{WEBSERV}/traders/{login}/{verb}password",
        params={"token": token},
        json=body,
        headers=ACCEPT_JSON,
    )


async def test_check_password_answers_204_for_the_right_password(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await post_password(client, admin_token, login, "check", TRADER_PASSWORD)
    assert (response.status_code, response.content) == (204, b"")


async def test_check_password_answers_wrong_password_for_another_one(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await post_password(client, admin_token, login, "check", "guess")
    assert outcome(response) == (400, error_body("WRONG_PASSWORD"))


async def test_change_password_answers_204_with_no_body(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await post_password(client, admin_token, login, "change", "new-secret")
    assert (response.status_code, response.content) == (204, b"")


async def test_the_changed_password_is_the_one_checked(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await post_password(client, admin_token, login, "change", "new-secret")
    response = await post_password(client, admin_token, login, "check", "new-secret")
    assert response.status_code == 204


async def test_the_old_password_no_longer_checks_after_a_change(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await post_password(client, admin_token, login, "change", "new-secret")
    response = await post_password(client, admin_token, login, "check", TRADER_PASSWORD)
    assert outcome(response) == (400, error_body("WRONG_PASSWORD"))


async def test_change_password_of_an_unknown_trader_is_trader_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await post_password(client, admin_token, 987654321, "change", "x")
    assert outcome(response) == (404, error_body("TRADER_NOT_FOUND"))


async def test_check_password_of_an_unknown_trader_is_trader_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await post_password(client, admin_token, 987654321, "check", "x")
    assert outcome(response) == (404, error_body("TRADER_NOT_FOUND"))
