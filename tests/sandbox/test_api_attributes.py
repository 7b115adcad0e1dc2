"""§3.15-3.23 attributes of traders, trader groups and managers at the paths and keys of §12:
upsert and delete answer `{}`, the list carries a cursor for traders, unauthorised ids are skipped
silently and none authorised is NOT_ENOUGH_RIGHTS; regular managers act on their own manager id
only, super-admins on any.

The reference leaves the upsert item and list entry keys open; this suite reads them as
`{"traders": [{"traderId", "attributes": [{name, value}]}]}` for the upsert and
`{"traders": [{"traderId", "attributes", "lastUpdateTimestamp"}], "nextCursor"?}` for the list
(`groups`/`groupId`, `managers`/`managerId` alike), and the delete as `{"traderIds", "names"?}`."""

from collections.abc import Mapping

import httpx

from tests.sandbox.calls import ADMIN, create_manager
from tests.sandbox.clock import HOUR_MS, NOW_MS, At, set_clock
from tests.sandbox.matchers import error_body, outcome
from tests.sandbox.traders import create_trader, trader_groups
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV, Json, as_xml_text, media_type, xml_value

KYC = [{"name": "kyc", "value": "passed"}]


async def call(
    client: httpx.AsyncClient, token: str, method: str, path: str, body: Mapping[str, object]
) -> httpx.Response:
    return await client.request(
        method, f"{WEBSERV}/{path}", params={"token": token}, json=body, headers=ACCEPT_JSON
    )


async def upsert(
    client: httpx.AsyncClient,
    token: str,
    kind: str,
    key: str,
    items: list[tuple[object, list[dict[str, str]]]],
) -> httpx.Response:
    """Upsert `(entity id, [{name, value}])` pairs; `kind` is traders/tradergroups/managers."""
    entries = {"traders": "traders", "tradergroups": "groups", "managers": "managers"}[kind]
    body = {entries: [{key: entity, "attributes": pairs} for entity, pairs in items]}
    return await call(client, token, "PUT", f"{kind}/attributes", body)


async def listed(
    client: httpx.AsyncClient, token: str, kind: str, body: Mapping[str, object]
) -> httpx.Response:
    return await call(client, token, "POST", f"{kind}/attributes/list", body)


def entry(key: str, entity: object, pairs: list[dict[str, str]], at_ms: int = NOW_MS) -> Json:
    return {key: entity, "attributes": pairs, "lastUpdateTimestamp": At(at_ms)}


def page(body: object, entries_key: str) -> tuple[list[object], object]:
    """The entries of a list answer with their attributes sorted by name (their order is not
    specified), and the next cursor (None when absent)."""
    assert isinstance(body, dict), body
    entries: list[object] = []
    for item in body[entries_key]:
        entries.append({**item, "attributes": sorted(item["attributes"], key=str)})
    return entries, body.get("nextCursor")


async def test_an_upsert_answers_an_empty_object(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await upsert(client, admin_token, "traders", "traderId", [(login, KYC)])
    assert outcome(response) == (200, {})


async def test_trader_attributes_list_by_ids(client: httpx.AsyncClient, admin_token: str) -> None:
    login = (await create_trader(client, admin_token))["login"]
    pairs = [{"name": "kyc", "value": "passed"}, {"name": "tier", "value": "gold"}]
    await upsert(client, admin_token, "traders", "traderId", [(login, pairs)])
    response = await listed(client, admin_token, "traders", {"traderIds": [login]})
    assert (response.status_code, page(response.json(), "traders")) == (
        200,
        ([entry("traderId", login, pairs)], None),
    )


async def test_an_upsert_replaces_the_value_and_stamps_the_change(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await upsert(client, admin_token, "traders", "traderId", [(login, KYC)])
    await set_clock(client, NOW_MS + HOUR_MS)
    failed = [{"name": "kyc", "value": "failed"}]
    await upsert(client, admin_token, "traders", "traderId", [(login, failed)])
    response = await listed(client, admin_token, "traders", {"traderIds": [login]})
    assert page(response.json(), "traders") == (
        [entry("traderId", login, failed, NOW_MS + HOUR_MS)],
        None,
    )


async def test_the_trader_list_without_ids_pages_with_a_cursor(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    logins = [(await create_trader(client, admin_token))["login"] for _ in range(2)]
    await upsert(client, admin_token, "traders", "traderId", [(login, KYC) for login in logins])
    first = page((await listed(client, admin_token, "traders", {"limit": 1})).json(), "traders")
    second_body = {"limit": 1, "cursor": first[1]}
    second = page((await listed(client, admin_token, "traders", second_body)).json(), "traders")
    entries = sorted([*first[0], *second[0]], key=str)
    expected = sorted([entry("traderId", login, KYC) for login in logins], key=str)
    assert (entries, first[1] is not None, second[1]) == (expected, True, None)


async def test_a_cursor_past_the_end_answers_no_entries(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await upsert(client, admin_token, "traders", "traderId", [(login, KYC)])
    response = await listed(client, admin_token, "traders", {"cursor": 1000})
    assert (response.status_code, page(response.json(), "traders")) == (200, ([], None))


async def test_the_name_filter_is_a_case_insensitive_substring(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    pairs = [{"name": "KycStatus", "value": "passed"}, {"name": "tier", "value": "gold"}]
    await upsert(client, admin_token, "traders", "traderId", [(login, pairs)])
    body = {"traderIds": [login], "nameFilter": "kycs"}
    response = await listed(client, admin_token, "traders", body)
    assert page(response.json(), "traders") == ([entry("traderId", login, pairs[:1])], None)


async def test_changed_since_keeps_traders_changed_at_or_after_it(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    old = (await create_trader(client, admin_token))["login"]
    new = (await create_trader(client, admin_token))["login"]
    await upsert(client, admin_token, "traders", "traderId", [(old, KYC)])
    await set_clock(client, NOW_MS + HOUR_MS)
    await upsert(client, admin_token, "traders", "traderId", [(new, KYC)])
    body = {"traderIds": [old, new], "changedSince": NOW_MS + HOUR_MS}
    response = await listed(client, admin_token, "traders", body)
    assert page(response.json(), "traders") == (
        [entry("traderId", new, KYC, NOW_MS + HOUR_MS)],
        None,
    )


async def test_a_delete_by_name_answers_an_empty_object_and_keeps_the_rest(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    pairs = [{"name": "kyc", "value": "passed"}, {"name": "tier", "value": "gold"}]
    await upsert(client, admin_token, "traders", "traderId", [(login, pairs)])
    body = {"traderIds": [login], "names": ["kyc"]}
    deleted = await call(client, admin_token, "POST", "traders/attributes/delete", body)
    response = await listed(client, admin_token, "traders", {"traderIds": [login]})
    assert (outcome(deleted), page(response.json(), "traders")) == (
        (200, {}),
        ([entry("traderId", login, pairs[1:])], None),
    )


async def test_a_delete_without_names_removes_every_attribute(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await upsert(client, admin_token, "traders", "traderId", [(login, KYC)])
    await call(client, admin_token, "POST", "traders/attributes/delete", {"traderIds": [login]})
    response = await listed(client, admin_token, "traders", {"traderIds": [login]})
    assert page(response.json(), "traders") == ([], None)


async def test_a_null_value_is_invalid_request(client: httpx.AsyncClient, admin_token: str) -> None:
    # Use case 8.19: a null value is an error; its code is lost: INVALID_REQUEST, §6's generic.
    login = (await create_trader(client, admin_token))["login"]
    null = {"traders": [{"traderId": login, "attributes": [{"name": "kyc", "value": None}]}]}
    response = await call(client, admin_token, "PUT", "traders/attributes", null)
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def scoped_pair(client: httpx.AsyncClient, admin_token: str) -> tuple[str, object, object]:
    """A manager scoped to the first group, a trader it sees and one of the second group."""
    first, second = (await trader_groups(client, admin_token))[:2]
    own = (await create_trader(client, admin_token, groupName=first.name))["login"]
    foreign = (await create_trader(client, admin_token, groupName=second.name))["login"]
    token = await create_manager(client, 2001, "scoped-secret", allowed_group_ids=[first.id])
    return token, own, foreign


async def test_unauthorised_trader_ids_are_skipped_silently(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token, own, foreign = await scoped_pair(client, admin_token)
    response = await upsert(client, token, "traders", "traderId", [(own, KYC), (foreign, KYC)])
    listing = await listed(client, admin_token, "traders", {"traderIds": [own, foreign]})
    assert (outcome(response), page(listing.json(), "traders")) == (
        (200, {}),
        ([entry("traderId", own, KYC)], None),
    )


async def test_no_authorised_trader_id_is_not_enough_rights(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token, _, foreign = await scoped_pair(client, admin_token)
    response = await upsert(client, token, "traders", "traderId", [(foreign, KYC)])
    assert outcome(response) == (403, error_body("NOT_ENOUGH_RIGHTS"))


async def test_a_scoped_manager_lists_only_traders_it_sees(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    token, own, foreign = await scoped_pair(client, admin_token)
    await upsert(client, admin_token, "traders", "traderId", [(own, KYC), (foreign, KYC)])
    response = await listed(client, token, "traders", {})
    assert page(response.json(), "traders") == ([entry("traderId", own, KYC)], None)


async def test_group_attributes_round_trip(client: httpx.AsyncClient, admin_token: str) -> None:
    group = (await trader_groups(client, admin_token))[0]
    await upsert(client, admin_token, "tradergroups", "groupId", [(group.id, KYC)])
    response = await listed(client, admin_token, "tradergroups", {"groupIds": [group.id]})
    assert (response.status_code, page(response.json(), "groups")) == (
        200,
        ([entry("groupId", group.id, KYC)], None),
    )


async def test_group_attributes_need_group_ids(client: httpx.AsyncClient, admin_token: str) -> None:
    response = await listed(client, admin_token, "tradergroups", {})
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_a_regular_manager_keeps_its_own_attributes(client: httpx.AsyncClient) -> None:
    token = await create_manager(client, 2001, "regular-secret")
    await upsert(client, token, "managers", "managerId", [(2001, KYC)])
    response = await listed(client, token, "managers", {"managerIds": [2001]})
    assert page(response.json(), "managers") == ([entry("managerId", 2001, KYC)], None)


async def test_a_regular_manager_cannot_read_another_managers_attributes(
    client: httpx.AsyncClient,
) -> None:
    token = await create_manager(client, 2001, "regular-secret")
    response = await listed(client, token, "managers", {"managerIds": [ADMIN[0]]})
    assert outcome(response) == (403, error_body("NOT_ENOUGH_RIGHTS"))


async def test_a_regular_manager_cannot_delete_another_managers_attributes(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    await upsert(client, admin_token, "managers", "managerId", [(ADMIN[0], KYC)])
    token = await create_manager(client, 2001, "regular-secret")
    body = {"managerIds": [ADMIN[0]]}
    response = await call(client, token, "POST", "managers/attributes/delete", body)
    listing = await listed(client, admin_token, "managers", {"managerIds": [ADMIN[0]]})
    assert (outcome(response), page(listing.json(), "managers")) == (
        (403, error_body("NOT_ENOUGH_RIGHTS")),
        ([entry("managerId", ADMIN[0], KYC)], None),
    )


async def test_a_super_admin_writes_and_reads_any_managers_attributes(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    await create_manager(client, 2001, "regular-secret")
    await upsert(client, admin_token, "managers", "managerId", [(2001, KYC)])
    response = await listed(client, admin_token, "managers", {"managerIds": [2001]})
    assert page(response.json(), "managers") == ([entry("managerId", 2001, KYC)], None)


async def test_the_attribute_list_answers_xml_mirroring_json_by_default(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # §12 names no XML root for attribute payloads; only the mirror of the JSON keys is checked.
    login = (await create_trader(client, admin_token))["login"]
    await upsert(client, admin_token, "traders", "traderId", [(login, KYC)])
    as_json = await listed(client, admin_token, "traders", {"traderIds": [login]})
    response = await client.post(
        f"{WEBSERV}/traders/attributes/list",
        params={"token": admin_token},
        json={"traderIds": [login]},
    )
    _, value = xml_value(response.text, frozenset({"traders", "attributes"}))
    assert (response.status_code, media_type(response), value) == (
        200,
        "application/xml",
        as_xml_text(as_json.json()),
    )
