"""A trader's password: change it, or check one against it.

The password stays a `SecretStr` until the upstream client hashes it (MD5, as the protocol
mandates); nothing here logs, stores or returns it, hashed or not.
"""

from __future__ import annotations

from pydantic import SecretStr

from resolvers.lifecycle import validation as check
from resolvers.lifecycle.desk import LifecycleDesk
from resolvers.lifecycle.failures import Failure, Refusal, attempt, refuse
from resolvers.lifecycle.validation import Checks


async def change_password(desk: LifecycleDesk, login: int, password: SecretStr) -> int | Refusal:
    return await attempt(_change(desk, login, password))


async def check_password(desk: LifecycleDesk, login: int, password: SecretStr) -> int | Refusal:
    """The login when the password matches; WRONG_PASSWORD when it does not."""
    return await attempt(_check(desk, login, password))


def _checked(login: int, password: SecretStr) -> None:
    checks = Checks()
    check.login(checks, ("login",), login)
    check.password(checks, ("password",), password)
    checks.done()


async def _change(desk: LifecycleDesk, login: int, password: SecretStr) -> int:
    _checked(login, password)
    await desk.client.change_password(login, password)
    return login


async def _check(desk: LifecycleDesk, login: int, password: SecretStr) -> int:
    _checked(login, password)
    if not await desk.client.check_password(login, password):
        raise refuse(Failure.WRONG_PASSWORD, f"the password of trader {login} is not this one")
    return login
