"""A subscription whose Redis cannot be reached fails, coded and masked; it never hangs."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from tests.live.clock import ManualClock
from tests.live.conftest import live_settings, serving
from tests.live.test_account_changed import ACCOUNT
from tests.live.ws import live_client

NOBODY = "redis://127.0.0.1:1/0"


async def test_a_subscription_fails_with_an_internal_error_when_redis_is_down(
    sandbox: Starlette, clock: ManualClock, tmp_path: Path
) -> None:
    settings = live_settings(tmp_path, redis_url=NOBODY)
    async with serving(sandbox, settings, clock) as app, live_client(app) as client:
        await client.subscribe("1", ACCOUNT, logins=[3000001])
        failed, ended = await client.receive(), await client.receive()
    errors = failed["payload"]["errors"]  # type: ignore[index]
    request_id = errors[0]["extensions"].pop("requestId")
    assert (failed, ended, len(request_id)) == (
        {
            "id": "1",
            "type": "next",
            "payload": {
                "data": None,
                "errors": [
                    {
                        "message": "Unexpected error.",
                        "path": ["accountChanged"],
                        "extensions": {"code": "INTERNAL_ERROR"},
                    }
                ],
            },
        },
        {"id": "1", "type": "complete"},
        32,
    )
