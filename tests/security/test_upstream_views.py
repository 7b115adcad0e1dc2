"""The upstream client speaking for another manager: its token from their credentials, and a
view of the one client that sends it, so the upstream applies that manager's permissions."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from tests.resolvers.harness import Upstream
from upstream.client import WebServicesClient
from upstream.errors import InvalidToken, NotEnoughRights

DESK = (1002, SecretStr("sandbox-desk"))


async def test_a_view_reads_with_the_other_managers_rights(
    upstream_client: WebServicesClient, upstream: Upstream
) -> None:
    login = await upstream.create_trader(broker="sandbox")  # 1002 cannot see white label sandbox
    desk = upstream_client.for_token(await upstream_client.token_for(*DESK))

    with pytest.raises(NotEnoughRights) as refused:
        await desk.get_trader(login)

    assert (refused.value.code, refused.value.call) == (
        "NOT_ENOUGH_RIGHTS",
        "GET /v2/webserv/traders/{login}",
    )


async def test_the_client_itself_keeps_its_own_managers_rights(
    upstream_client: WebServicesClient, upstream: Upstream
) -> None:
    login = await upstream.create_trader(broker="sandbox")
    upstream_client.for_token(await upstream_client.token_for(*DESK))

    trader = await upstream_client.get_trader(login)

    assert trader.login == login


async def test_wrong_credentials_get_no_token(upstream_client: WebServicesClient) -> None:
    with pytest.raises(InvalidToken) as refused:
        await upstream_client.token_for(1002, SecretStr("wrong"))

    assert (refused.value.code, refused.value.call) == (
        "INVALID_CREDENTIALS",
        "POST /v2/webserv/managers/token",
    )
