"""UNKNOWN_ERROR is 500 with the usual error body (§6, §12). Nothing in a healthy sandbox fails
that way, so the fault injection of the control API (issue 3, item 6) makes it happen."""

import httpx

from tests.sandbox.calls import change_balance
from tests.sandbox.matchers import ANY_TEXT, error_body, outcome
from tests.sandbox.traders import create_trader, get_trader
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV, xml_value


async def inject(client: httpx.AsyncClient, method: str, path: str) -> None:
    fault = {
        "method": method,
        "path": path,
        "action": "error",
        "status": 500,
        "errorCode": "UNKNOWN_ERROR",
        "times": 1,
        "probability": 1.0,
    }
    (await client.post("/_sandbox/faults", json=fault)).raise_for_status()


async def test_unknown_error_is_500_with_the_error_body(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    await inject(client, "GET", f"{WEBSERV}/symbols")
    response = await client.get(
        f"{WEBSERV}/symbols", params={"token": admin_token}, headers=ACCEPT_JSON
    )
    assert outcome(response) == (500, error_body("UNKNOWN_ERROR"))


async def test_unknown_error_is_500_in_xml_by_default(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    await inject(client, "GET", f"{WEBSERV}/symbols")
    response = await client.get(f"{WEBSERV}/symbols", params={"token": admin_token})
    assert (response.status_code, xml_value(response.text)) == (
        500,
        ("error", {"errorCode": "UNKNOWN_ERROR", "description": ANY_TEXT}),
    )


async def test_a_failed_balance_change_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    before = await create_trader(client, admin_token, balance=1000)
    await inject(client, "POST", f"{WEBSERV}/traders/*/changebalance")
    response = await change_balance(client, admin_token, before["login"], "5.00")
    after = await get_trader(client, admin_token, before["login"])
    assert (outcome(response), after) == ((500, error_body("UNKNOWN_ERROR")), before)
