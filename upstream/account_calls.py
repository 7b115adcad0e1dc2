"""Money, passwords and cTrader IDs: the calls that change an account (3.8-3.11, 3.24-3.26)."""

from __future__ import annotations

from pydantic import SecretStr

from upstream import decode, encode
from upstream.base import ClientBase
from upstream.calls import Call
from upstream.errors import WrongPassword
from upstream.inputs import BalanceChangeRequest, BonusChangeRequest, LinkRequest, NewCtid
from upstream.records import BalanceChange, BonusChange, CtidUser, ExistingCtid, Link
from upstream.tokens import md5_hex
from upstream.wire import Document

TRADER = "/v2/webserv/traders/{login}"


class AccountCalls(ClientBase):
    async def change_balance(self, login: int, change: BalanceChangeRequest) -> BalanceChange:
        body = encode.balance_change(login, change)
        call = _write(f"{TRADER}/changebalance", login, body, "balanceChange")
        return await self._read(call, lambda f: BalanceChange(f.integer("balanceHistoryId")))

    async def change_bonus(self, login: int, change: BonusChangeRequest) -> BonusChange:
        body = encode.bonus_change(login, change)
        call = _write(f"{TRADER}/changebonus", login, body, "bonusChange")
        return await self._read(call, lambda f: BonusChange(f.integer("bonusHistoryId")))

    async def change_password(self, login: int, password: SecretStr) -> None:
        body: Document = {"login": login, "hashedPassword": md5_hex(password)}
        await self._send(_write(f"{TRADER}/changepassword", login, body, "password"))

    async def check_password(self, login: int, password: SecretStr) -> bool:
        """True when it matches; WRONG_PASSWORD becomes False, other errors raise."""
        body: Document = {"login": login, "hashedPassword": md5_hex(password)}
        path = f"{TRADER}/checkpassword"
        call = Call("POST", path, {"login": login}, body=body, root="password", read=True)
        try:
            await self._send(call)
        except WrongPassword:
            return False
        return True

    async def create_ctid(self, new: NewCtid) -> CtidUser | ExistingCtid:
        call = Call("POST", "/cid/ctid/create", body=encode.new_ctid(new), json_only=True)
        return await self._read(call, decode.ctid)

    async def link_trader(self, link: LinkRequest) -> Link | None:
        """None when `return_account_details` was False (the upstream answers no body)."""
        call = Call("POST", "/cid/ctid/link", body=encode.link(link), json_only=True)
        if not link.return_account_details:
            await self._send(call)
            return None
        return await self._read(call, lambda f: Link(f.integer("ctidTraderAccountId")))

    async def move_to_white_label(
        self, login: int, broker_name: str, environment_name: str
    ) -> None:
        body: Document = {
            "traderLogin": login,
            "brokerName": broker_name,
            "environmentName": environment_name,
        }
        call = Call("POST", "/cid/ctid/changeCtidTraderAccount", body=body, json_only=True)
        await self._send(call)


def _write(template: str, login: int, body: Document, root: str) -> Call:
    return Call("POST", template, {"login": login}, body=body, root=root)
