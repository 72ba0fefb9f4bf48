"""A fake Zalo OA Open API: ``POST /v3.0/oa/message/cs`` and ``POST /v4/oa/access_token``."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from ._server import FakeServer


@dataclass
class SentZalo:
    user_id: str
    text: str
    access_token: str
    ok: bool
    at: float = 0.0


@dataclass
class ZaloFailure:
    status: int = 500
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


class FakeZaloApi(FakeServer):
    def __init__(
        self,
        *,
        access_token: str = "AT-1",
        refresh_token: str = "RT-1",
        app_id: str = "app-1",
        app_secret: str = "app-secret",
    ) -> None:
        super().__init__()
        self.valid_access_tokens = {access_token}
        self.refresh_token = refresh_token
        self.app_id = app_id
        self.app_secret = app_secret
        self.attempts: list[SentZalo] = []
        # Delivered messages, in order and by user (the benchmark looks them up per user
        # thousands of times: no scans of the whole history).
        self.sent: list[SentZalo] = []
        self._sent_by_user: dict[str, list[SentZalo]] = {}
        self.refresh_calls: list[dict[str, str]] = []
        self.failures: list[ZaloFailure] = []
        self.delay_s = 0.0
        self._ids = itertools.count(1)

    def sent_to(self, user_id: str) -> list[SentZalo]:
        """Messages the user actually received, in order."""
        return self._sent_by_user.get(user_id, [])

    def texts_for(self, user_id: str) -> list[str]:
        return [s.text for s in self.sent_to(user_id)]

    def _record(self, attempt: SentZalo) -> None:
        self.attempts.append(attempt)
        if attempt.ok:
            self.sent.append(attempt)
            self._sent_by_user.setdefault(attempt.user_id, []).append(attempt)

    def fail_next(self, n: int, *, status: int = 500, **kw: Any) -> None:
        self.failures.extend(ZaloFailure(status=status, **kw) for _ in range(n))

    def expire_tokens(self) -> None:
        self.valid_access_tokens.clear()

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3.0/oa/message/cs", self._send)
        app.router.add_post("/v4/oa/access_token", self._refresh)
        return app

    async def _send(self, request: web.Request) -> web.Response:
        import asyncio
        import time

        token = request.headers.get("access_token", "")
        data = await request.json()
        user_id = str(data["recipient"]["user_id"])
        text = data["message"]["text"]
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        try:
            if self.failures:
                f = self.failures.pop(0)
                self._record(SentZalo(user_id, text, token, ok=False, at=time.time()))
                return web.json_response(
                    f.body or {"error": -1, "message": "boom"}, status=f.status, headers=f.headers
                )
            if token not in self.valid_access_tokens:
                self._record(SentZalo(user_id, text, token, ok=False, at=time.time()))
                return web.json_response({"error": -216, "message": "Access token is invalid"})
            self._record(SentZalo(user_id, text, token, ok=True, at=time.time()))
            return web.json_response(
                {
                    "error": 0,
                    "message": "Success",
                    "data": {"message_id": uuid.uuid4().hex, "user_id": user_id},
                }
            )
        finally:
            self.notify()

    async def _refresh(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.refresh_calls.append(
            {k: str(v) for k, v in form.items()}
            | {"secret_key": request.headers.get("secret_key", "")}
        )
        self.notify()
        if (
            request.headers.get("secret_key") != self.app_secret
            or form.get("app_id") != self.app_id
            or form.get("grant_type") != "refresh_token"
            or form.get("refresh_token") != self.refresh_token
        ):
            return web.json_response({"error": -14014, "error_name": "Invalid refresh token"})
        n = next(self._ids) + 1
        access, refresh = f"AT-{n}", f"RT-{n}"
        self.valid_access_tokens = {access}
        self.refresh_token = refresh  # single use: the old one is now dead
        return web.json_response(
            {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}
        )


OA_SECRET = "oa-secret-key"
APP_ID = "app-1"


def text_event(user_id: str, text: str, *, msg_id: str | None = None) -> dict[str, Any]:
    """A ``user_send_text`` webhook body as Zalo sends it."""
    import time

    return {
        "app_id": APP_ID,
        "user_id_by_app": "552177279717587730",
        "event_name": "user_send_text",
        "timestamp": str(int(time.time() * 1000)),
        "sender": {"id": user_id},
        "recipient": {"id": "579745863508352884"},
        "message": {"text": text, "msg_id": msg_id or uuid.uuid4().hex},
    }


def signed(event: dict[str, Any], *, secret: str = OA_SECRET) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers of a signed delivery."""
    import hashlib
    import json

    body = json.dumps(event, ensure_ascii=False).encode()
    mac = hashlib.sha256(
        (event.get("app_id", APP_ID)).encode()
        + body
        + str(event["timestamp"]).encode()
        + secret.encode()
    ).hexdigest()
    return body, {"Content-Type": "application/json", "X-ZEvent-Signature": f"mac={mac}"}
