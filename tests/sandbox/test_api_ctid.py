"""§3.24 cTID create (idempotent by email) and §3.25 link (the trader's password hash must match,
one link per trader): JSON only on `/cid` (§1.7, §12)."""

import httpx

from tests.sandbox.calls import create_manager
from tests.sandbox.clock import NOW_MS, At
from tests.sandbox.matchers import ANY_INT, ANY_TEXT, error_body, outcome
from tests.sandbox.traders import TRADER_PASSWORD, create_trader, trader_groups
from tests.sandbox.wire import Json, md5, media_type

CREATE = "/cid/ctid/create"
LINK = "/cid/ctid/link"


async def create_user(client: httpx.AsyncClient, token: str, email: str) -> int:
    body = {"email": email, "brokerName": "sandbox", "preferredLanguage": "EN"}
    response = await client.post(CREATE, params={"token": token}, json=body)
    assert response.status_code == 200, response.text
    user_id = response.json()["userId"]
    assert isinstance(user_id, int)
    return user_id


def link_body(login: object, user_id: int, **overrides: object) -> Json:
    body: Json = {
        "traderLogin": login,
        "traderPasswordHash": md5(TRADER_PASSWORD),
        "userId": user_id,
        "brokerName": "sandbox",
        "environmentName": "demo",
        "returnAccountDetails": True,
    }
    body.update(overrides)
    return body


async def link(client: httpx.AsyncClient, token: str, body: Json) -> httpx.Response:
    return await client.post(LINK, params={"token": token}, json=body)


async def test_create_answers_the_whole_new_user_in_json_without_accept(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    body = {"email": "ada@example.com", "brokerName": "sandbox", "preferredLanguage": "EN"}
    response = await client.post(CREATE, params={"token": admin_token}, json=body)
    user_id = response.json().get("userId")
    assert (response.status_code, media_type(response), response.json()) == (
        200,
        "application/json",
        {
            "userId": ANY_INT,
            "nickname": f"ctid{user_id}",
            "email": "ada@example.com",
            "preferredLanguage": "EN",
            "utcCreateTimestamp": At(NOW_MS),
            "status": "CTID_NEW",
        },
    )


async def test_create_with_a_known_email_answers_the_existing_user_id_only(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    user_id = await create_user(client, admin_token, "ada@example.com")
    response = await client.post(
        CREATE, params={"token": admin_token}, json={"email": "ada@example.com"}
    )
    assert outcome(response) == (200, {"userId": user_id})


async def test_create_without_email_is_invalid_request(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.post(CREATE, params={"token": admin_token}, json={"brokerName": "x"})
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_create_under_an_unknown_broker_is_refused_as_not_on_this_plant(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    body = {"email": "ada@example.com", "brokerName": "no-such-broker"}
    response = await client.post(CREATE, params={"token": admin_token}, json=body)
    codes = [error_body("CH_PLANT_INVALID"), error_body("CH_BROKER_NOT_FOUND")]
    assert (response.status_code, response.json() in codes) == (400, True)


async def test_cid_refuses_an_xml_body(client: httpx.AsyncClient, admin_token: str) -> None:
    # §1.7: /cid is JSON only; an XML body is a request the server cannot read (§12).
    response = await client.post(
        CREATE,
        params={"token": admin_token},
        content="<user><email>ada@example.com</email></user>",
        headers={"Content-Type": "application/xml"},
    )
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_link_answers_the_ctid_trader_account_id(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    user_id = await create_user(client, admin_token, "ada@example.com")
    response = await link(client, admin_token, link_body(login, user_id))
    assert outcome(response) == (200, {"ctidTraderAccountId": ANY_INT})


async def test_link_without_account_details_answers_an_empty_body(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    user_id = await create_user(client, admin_token, "ada@example.com")
    body = link_body(login, user_id, returnAccountDetails=False)
    response = await link(client, admin_token, body)
    assert (response.status_code, response.content) == (200, b"")


async def test_each_link_gets_its_own_ctid_trader_account_id(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    user_id = await create_user(client, admin_token, "ada@example.com")
    logins = [(await create_trader(client, admin_token))["login"] for _ in range(2)]
    responses = [await link(client, admin_token, link_body(login, user_id)) for login in logins]
    ids = {response.json()["ctidTraderAccountId"] for response in responses}
    assert len(ids) == 2


async def test_link_with_a_wrong_password_hash_is_refused(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # The code of this cTID error is lost (§6); WRONG_PASSWORD is the API's code for a password
    # that does not match (§3.10), 400 per §12.
    login = (await create_trader(client, admin_token))["login"]
    user_id = await create_user(client, admin_token, "ada@example.com")
    body = link_body(login, user_id, traderPasswordHash=md5("guess"))
    response = await link(client, admin_token, body)
    assert outcome(response) == (400, error_body("WRONG_PASSWORD"))


async def test_a_refused_link_leaves_the_trader_unlinked(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    user_id = await create_user(client, admin_token, "ada@example.com")
    await link(client, admin_token, link_body(login, user_id, traderPasswordHash=md5("guess")))
    response = await link(client, admin_token, link_body(login, user_id))
    assert outcome(response) == (200, {"ctidTraderAccountId": ANY_INT})


async def test_linking_a_linked_trader_again_is_trader_already_linked(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    user_id = await create_user(client, admin_token, "ada@example.com")
    await link(client, admin_token, link_body(login, user_id))
    response = await link(client, admin_token, link_body(login, user_id))
    assert outcome(response) == (400, error_body("TRADER_ALREADY_LINKED"))


async def test_linking_a_linked_trader_to_another_user_is_trader_already_linked(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    first = await create_user(client, admin_token, "ada@example.com")
    second = await create_user(client, admin_token, "grace@example.com")
    await link(client, admin_token, link_body(login, first))
    response = await link(client, admin_token, link_body(login, second))
    assert outcome(response) == (400, error_body("TRADER_ALREADY_LINKED"))


async def test_linking_an_unknown_trader_is_trader_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    user_id = await create_user(client, admin_token, "ada@example.com")
    response = await link(client, admin_token, link_body(987654321, user_id))
    assert outcome(response) == (404, error_body("TRADER_NOT_FOUND"))


async def test_linking_to_an_unknown_user_is_user_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await link(client, admin_token, link_body(login, 987654321))
    assert outcome(response) == (404, error_body("USER_NOT_FOUND"))


async def test_linking_on_an_unknown_environment_is_refused(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # docs/sandbox.md: `demo` is the only environment. The code of "environment not found" is
    # lost (§6) and §12 names none, so only the status and the error shape are specified.
    login = (await create_trader(client, admin_token))["login"]
    user_id = await create_user(client, admin_token, "ada@example.com")
    response = await link(client, admin_token, link_body(login, user_id, environmentName="live"))
    assert outcome(response) == (
        400,
        {"error": {"errorCode": ANY_TEXT, "description": ANY_TEXT}},
    )


async def test_linking_a_foreign_trader_is_not_enough_rights(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    first, second = (await trader_groups(client, admin_token))[:2]
    login = (await create_trader(client, admin_token, groupName=second.name))["login"]
    user_id = await create_user(client, admin_token, "ada@example.com")
    token = await create_manager(client, 2001, "scoped-secret", allowed_group_ids=[first.id])
    response = await link(client, token, link_body(login, user_id))
    assert outcome(response) == (403, error_body("NOT_ENOUGH_RIGHTS"))
