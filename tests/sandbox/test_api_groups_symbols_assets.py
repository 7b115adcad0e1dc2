"""§3.12 trader groups, §3.27 symbols and §3.28 deposit assets, in JSON and XML (§12 roots)."""

import httpx

from tests.sandbox.matchers import ANY_BOOL, ANY_INT, ANY_TEXT
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV, as_xml_text, media_type, xml_value

ARRAYS = frozenset({"traderGroup", "symbol", "depositAsset"})


async def get_json(client: httpx.AsyncClient, token: str, path: str) -> httpx.Response:
    return await client.get(f"{WEBSERV}/{path}", params={"token": token}, headers=ACCEPT_JSON)


async def get_xml(client: httpx.AsyncClient, token: str, path: str) -> httpx.Response:
    return await client.get(f"{WEBSERV}/{path}", params={"token": token})


def group_shape(item: dict[str, object]) -> dict[str, object]:
    """A group has `id` and `name`, and `description` only when it has one (§3.12)."""
    shape: dict[str, object] = {"id": ANY_INT, "name": ANY_TEXT}
    if "description" in item:
        shape["description"] = ANY_TEXT
    return shape


def symbol_shape(item: dict[str, object]) -> dict[str, object]:
    """Every key of §3.27 but `description` is required."""
    shape: dict[str, object] = {
        "name": ANY_TEXT,
        "id": ANY_INT,
        "assetClass": ANY_TEXT,
        "category": ANY_TEXT,
        "quotesEnabled": ANY_BOOL,
        "showInCtrader": ANY_BOOL,
    }
    if "description" in item:
        shape["description"] = ANY_TEXT
    return shape


async def test_trader_groups_answer_ids_and_names(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await get_json(client, admin_token, "tradergroups")
    items = response.json()["traderGroup"]
    assert (response.status_code, items) == (200, [group_shape(item) for item in items])


async def test_trader_groups_have_distinct_ids(client: httpx.AsyncClient, admin_token: str) -> None:
    items = (await get_json(client, admin_token, "tradergroups")).json()["traderGroup"]
    assert len({item["id"] for item in items}) == len(items)


async def test_trader_groups_answer_xml_by_default(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    as_json = (await get_json(client, admin_token, "tradergroups")).json()
    response = await get_xml(client, admin_token, "tradergroups")
    assert (response.status_code, media_type(response), xml_value(response.text, ARRAYS)) == (
        200,
        "application/xml",
        ("traderGroupList", as_xml_text(as_json)),
    )


async def test_symbols_answer_every_required_key(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await get_json(client, admin_token, "symbols")
    items = response.json()["symbol"]
    assert (response.status_code, bool(items), items) == (
        200,
        True,
        [symbol_shape(item) for item in items],
    )


async def test_symbols_answer_xml_by_default(client: httpx.AsyncClient, admin_token: str) -> None:
    as_json = (await get_json(client, admin_token, "symbols")).json()
    response = await get_xml(client, admin_token, "symbols")
    assert (response.status_code, xml_value(response.text, ARRAYS)) == (
        200,
        ("symbolList", as_xml_text(as_json)),
    )


async def test_deposit_assets_are_the_documented_five(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # docs/sandbox.md fixes the base dataset's assets; their order is not specified.
    response = await get_json(client, admin_token, "depositAssets")
    assets = response.json()["depositAsset"]
    assert (response.status_code, sorted(assets)) == (200, ["BTC", "EUR", "GBP", "JPY", "USD"])


async def test_deposit_assets_answer_xml_by_default(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    as_json = (await get_json(client, admin_token, "depositAssets")).json()
    response = await get_xml(client, admin_token, "depositAssets")
    assert (response.status_code, xml_value(response.text, ARRAYS)) == (
        200,
        ("depositAssetList", as_xml_text(as_json)),
    )
