"""§3.0 manager token and the token rules of §1.2 and §12."""

import httpx
import pytest

from tests.sandbox.calls import ADMIN, DESK, PARTNER, create_manager, token_of
from tests.sandbox.matchers import ANY_TEXT, error_body, outcome
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV, md5, media_type, xml_value

TOKEN_PATH = f"{WEBSERV}/managers/token"


async def test_the_token_call_answers_a_webserv_token_in_json(client: httpx.AsyncClient) -> None:
    body = {"login": ADMIN[0], "hashedPassword": md5(ADMIN[1])}
    response = await client.post(TOKEN_PATH, json=body, headers=ACCEPT_JSON)
    assert outcome(response) == (200, {"webservToken": ANY_TEXT})


async def test_the_token_call_answers_xml_when_no_accept_header_is_sent(
    client: httpx.AsyncClient,
) -> None:
    body = {"login": ADMIN[0], "hashedPassword": md5(ADMIN[1])}
    response = await client.post(TOKEN_PATH, json=body)
    assert (response.status_code, media_type(response), xml_value(response.text)) == (
        200,
        "application/xml",
        ("token", {"webservToken": ANY_TEXT}),
    )


@pytest.mark.parametrize(("login", "password"), [ADMIN, DESK, PARTNER])
async def test_every_documented_manager_obtains_a_token(
    client: httpx.AsyncClient, login: int, password: str
) -> None:
    assert await token_of(client, login, password) == ANY_TEXT


async def test_the_token_is_stable_across_calls(client: httpx.AsyncClient) -> None:
    first = await token_of(client, *ADMIN)
    assert await token_of(client, *ADMIN) == first


async def test_the_token_changes_when_the_managers_password_changes(
    client: httpx.AsyncClient,
) -> None:
    before = await create_manager(client, 2001, "first-password")
    after = await create_manager(client, 2001, "second-password")
    assert after != before


async def test_the_old_token_is_refused_once_the_password_changed(
    client: httpx.AsyncClient,
) -> None:
    old = await create_manager(client, 2001, "first-password")
    await create_manager(client, 2001, "second-password")
    response = await client.get(f"{WEBSERV}/symbols", params={"token": old}, headers=ACCEPT_JSON)
    assert outcome(response) == (401, error_body("INVALID_TOKEN"))


async def test_the_new_token_works_once_the_password_changed(client: httpx.AsyncClient) -> None:
    await create_manager(client, 2001, "first-password")
    new = await create_manager(client, 2001, "second-password")
    response = await client.get(f"{WEBSERV}/symbols", params={"token": new}, headers=ACCEPT_JSON)
    assert response.status_code == 200


async def test_a_call_without_token_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{WEBSERV}/symbols", headers=ACCEPT_JSON)
    assert outcome(response) == (401, error_body("INVALID_TOKEN"))


async def test_an_unknown_token_is_refused(client: httpx.AsyncClient) -> None:
    params = {"token": "1dd4ef40-c5b3-61c0-0689-b1b40c97fadc"}
    response = await client.get(f"{WEBSERV}/symbols", params=params, headers=ACCEPT_JSON)
    assert outcome(response) == (401, error_body("INVALID_TOKEN"))


async def test_an_unknown_token_is_refused_in_xml_by_default(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{WEBSERV}/symbols", params={"token": "nope"})
    assert (response.status_code, media_type(response), xml_value(response.text)) == (
        401,
        "application/xml",
        ("error", {"errorCode": "INVALID_TOKEN", "description": ANY_TEXT}),
    )


async def test_an_unknown_token_is_refused_on_cid_calls(client: httpx.AsyncClient) -> None:
    body = {"email": "nobody@example.com"}
    response = await client.post("/cid/ctid/create", params={"token": "nope"}, json=body)
    assert outcome(response) == (401, error_body("INVALID_TOKEN"))


async def test_a_wrong_manager_password_gets_no_token(client: httpx.AsyncClient) -> None:
    # The reference names no code for this refusal; it is a client error with the error body.
    body = {"login": ADMIN[0], "hashedPassword": md5("guess")}
    response = await client.post(TOKEN_PATH, json=body, headers=ACCEPT_JSON)
    assert (response.status_code in {400, 401, 403}, response.json()) == (
        True,
        {"error": {"errorCode": ANY_TEXT, "description": ANY_TEXT}},
    )


async def test_an_unknown_manager_gets_no_token(client: httpx.AsyncClient) -> None:
    body = {"login": 9999, "hashedPassword": md5("anything")}
    response = await client.post(TOKEN_PATH, json=body, headers=ACCEPT_JSON)
    assert (response.status_code in {400, 401, 403, 404}, response.json()) == (
        True,
        {"error": {"errorCode": ANY_TEXT, "description": ANY_TEXT}},
    )


async def test_a_token_request_without_password_is_invalid_request(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(TOKEN_PATH, json={"login": ADMIN[0]}, headers=ACCEPT_JSON)
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_only_the_token_parameter_authenticates(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # §1.2: some clients also send `Authorization: Bearer`; only `?token=` matters.
    headers = {**ACCEPT_JSON, "Authorization": f"Bearer {admin_token}"}
    response = await client.get(f"{WEBSERV}/symbols", headers=headers)
    assert outcome(response) == (401, error_body("INVALID_TOKEN"))
