"""§3.5 PUT, §3.6 PATCH and §3.7 DELETE of a trader: 204 with no body (§12), then read back."""

import httpx

from tests.sandbox.clock import HOUR_MS, NOW_MS, set_clock
from tests.sandbox.matchers import error_body, outcome, project
from tests.sandbox.traders import expected_trader, get_trader, trader_body, trader_groups
from tests.sandbox.wire import ACCEPT_JSON, TRADERS, Json

LATER_MS = NOW_MS + HOUR_MS


def put_body(body: Json) -> Json:
    """A PUT body as in the docs' example: the create schema without the immutable keys (§3.5)."""
    immutable = {"accountType", "balance", "depositCurrency", "hashedPassword"}
    return {key: value for key, value in body.items() if key not in immutable}


async def create(client: httpx.AsyncClient, token: str, group_name: str) -> Json:
    response = await client.post(
        TRADERS, params={"token": token}, json=trader_body(group_name), headers=ACCEPT_JSON
    )
    assert response.status_code == 201, response.text
    entity = response.json()
    assert isinstance(entity, dict)
    return entity


async def test_put_answers_204_with_no_body(client: httpx.AsyncClient, admin_token: str) -> None:
    group = (await trader_groups(client, admin_token))[0]
    login = (await create(client, admin_token, group.name))["login"]
    body = put_body(trader_body(group.name, accessRights="NO_TRADING"))
    response = await client.put(f"{TRADERS}/{login}", params={"token": admin_token}, json=body)
    assert (response.status_code, response.content) == (204, b"")


async def test_put_replaces_the_trader_and_stamps_the_update(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    first, second = (await trader_groups(client, admin_token))[:2]
    login = (await create(client, admin_token, first.name))["login"]
    await set_clock(client, LATER_MS)
    changes: Json = {"accessRights": "CLOSE_ONLY", "leverageInCents": 5000, "name": "Grace"}
    body = put_body(trader_body(second.name, **changes))
    await client.put(f"{TRADERS}/{login}", params={"token": admin_token}, json=body)
    expected = expected_trader(trader_body(second.name, **changes), login, updated_ms=LATER_MS)
    assert project(await get_trader(client, admin_token, login), expected) == expected


async def test_put_resets_an_omitted_optional_key(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # §3.5: anything omitted is reset to null / its default; a reset string is null or absent.
    group = (await trader_groups(client, admin_token))[0]
    login = (await create(client, admin_token, group.name))["login"]
    body = put_body(trader_body(group.name))
    del body["description"]
    await client.put(f"{TRADERS}/{login}", params={"token": admin_token}, json=body)
    entity = await get_trader(client, admin_token, login)
    assert entity.get("description") is None


async def test_put_cannot_change_the_balance(client: httpx.AsyncClient, admin_token: str) -> None:
    group = (await trader_groups(client, admin_token))[0]
    login = (await create(client, admin_token, group.name))["login"]
    body = {**put_body(trader_body(group.name)), "balance": 999999}
    await client.put(f"{TRADERS}/{login}", params={"token": admin_token}, json=body)
    assert (await get_trader(client, admin_token, login))["balance"] == 0


async def test_put_into_an_unknown_group_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    before = await create(client, admin_token, group.name)
    body = put_body(trader_body("no-such-group", name="Changed"))
    response = await client.put(
        f"{TRADERS}/{before['login']}",
        params={"token": admin_token},
        json=body,
        headers=ACCEPT_JSON,
    )
    after = await get_trader(client, admin_token, before["login"])
    assert (outcome(response), after) == ((400, error_body("TRADER_GROUP_NOT_FOUND")), before)


async def test_put_of_an_unknown_login_is_trader_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    response = await client.put(
        f"{TRADERS}/987654321",
        params={"token": admin_token},
        json=put_body(trader_body(group.name)),
        headers=ACCEPT_JSON,
    )
    assert outcome(response) == (404, error_body("TRADER_NOT_FOUND"))


async def test_patch_answers_204_with_no_body(client: httpx.AsyncClient, admin_token: str) -> None:
    group = (await trader_groups(client, admin_token))[0]
    login = (await create(client, admin_token, group.name))["login"]
    response = await client.patch(
        f"{TRADERS}/{login}", params={"token": admin_token}, json={"name": "Grace"}
    )
    assert (response.status_code, response.content) == (204, b"")


async def test_patch_changes_only_the_given_keys(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    login = (await create(client, admin_token, group.name))["login"]
    await set_clock(client, LATER_MS)
    patch: Json = {"name": "Grace", "swapFree": True, "leverageInCents": 20000}
    await client.patch(f"{TRADERS}/{login}", params={"token": admin_token}, json=patch)
    expected = expected_trader(trader_body(group.name, **patch), login, updated_ms=LATER_MS)
    assert project(await get_trader(client, admin_token, login), expected) == expected


async def test_patch_moves_the_trader_to_another_group(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    first, second = (await trader_groups(client, admin_token))[:2]
    login = (await create(client, admin_token, first.name))["login"]
    patch = {"groupName": second.name}
    await client.patch(f"{TRADERS}/{login}", params={"token": admin_token}, json=patch)
    assert (await get_trader(client, admin_token, login))["groupName"] == second.name


async def test_patch_into_an_unknown_group_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    before = await create(client, admin_token, group.name)
    response = await client.patch(
        f"{TRADERS}/{before['login']}",
        params={"token": admin_token},
        json={"groupName": "no-such-group"},
        headers=ACCEPT_JSON,
    )
    after = await get_trader(client, admin_token, before["login"])
    assert (outcome(response), after) == ((400, error_body("TRADER_GROUP_NOT_FOUND")), before)


async def test_patch_of_an_unknown_login_is_trader_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.patch(
        f"{TRADERS}/987654321",
        params={"token": admin_token},
        json={"name": "x"},
        headers=ACCEPT_JSON,
    )
    assert outcome(response) == (404, error_body("TRADER_NOT_FOUND"))


async def test_delete_answers_204_with_no_body(client: httpx.AsyncClient, admin_token: str) -> None:
    group = (await trader_groups(client, admin_token))[0]
    login = (await create(client, admin_token, group.name))["login"]
    response = await client.delete(f"{TRADERS}/{login}", params={"token": admin_token})
    assert (response.status_code, response.content) == (204, b"")


async def test_a_deleted_trader_is_no_longer_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    group = (await trader_groups(client, admin_token))[0]
    login = (await create(client, admin_token, group.name))["login"]
    await client.delete(f"{TRADERS}/{login}", params={"token": admin_token})
    response = await client.get(
        f"{TRADERS}/{login}", params={"token": admin_token}, headers=ACCEPT_JSON
    )
    assert outcome(response) == (404, error_body("TRADER_NOT_FOUND"))


async def test_delete_of_an_unknown_login_is_trader_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.delete(
        f"{TRADERS}/987654321", params={"token": admin_token}, headers=ACCEPT_JSON
    )
    assert outcome(response) == (404, error_body("TRADER_NOT_FOUND"))


async def test_put_tolerates_the_login_in_the_body(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # §3.5: clients include `login` in the PUT body; a harmless extra key.
    group = (await trader_groups(client, admin_token))[0]
    login = (await create(client, admin_token, group.name))["login"]
    body = {**put_body(trader_body(group.name)), "login": login}
    response = await client.put(f"{TRADERS}/{login}", params={"token": admin_token}, json=body)
    assert (response.status_code, response.content) == (204, b"")
