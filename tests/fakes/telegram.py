"""A fake Telegram Bot API (``/bot<token>/<method>``), enough for the gateway and PTB.

PTB posts form fields with JSON-encoded non-string values; JSON bodies are accepted too.
Also builds realistic updates for webhook/getUpdates tests.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from ._server import FakeServer

_JSON_FIELDS = {"reply_markup", "allowed_updates", "entities", "link_preview_options"}


@dataclass
class SentTelegram:
    chat_id: str
    text: str
    reply_markup: dict[str, Any] | None
    ok: bool


class FakeTelegramApi(FakeServer):
    def __init__(self, *, token: str = "123456:TEST-token") -> None:
        super().__init__()
        self.token = token
        self.attempts: list[SentTelegram] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.failures: list[tuple[int, int | None]] = []
        self.webhook: dict[str, Any] = {}
        self.updates: list[dict[str, Any]] = []
        self._msg_ids = itertools.count(1000)
        self._update_ids = itertools.count(500_000)

    @property
    def base_url(self) -> str:
        """For ``Bot(token, base_url=...)`` (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def sent(self) -> list[SentTelegram]:
        return [a for a in self.attempts if a.ok]

    def texts_for(self, chat_id: int | str) -> list[str]:
        return [s.text for s in self.sent if s.chat_id == str(chat_id)]

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        return [p for m, p in self.calls if m == method]

    def fail_next(self, n: int, *, status: int = 500, retry_after: int | None = None) -> None:
        self.failures.extend((status, retry_after) for _ in range(n))

    # -- updates a citizen would produce -----------------------------------------------------

    def next_update_id(self) -> int:
        return next(self._update_ids)

    @staticmethod
    def _chat(chat_id: int) -> dict[str, Any]:
        return {"id": chat_id, "type": "private", "first_name": "Lan"}

    def text_update(
        self, chat_id: int, text: str, *, update_id: int | None = None
    ) -> dict[str, Any]:
        return {
            "update_id": update_id or self.next_update_id(),
            "message": {
                "message_id": next(self._msg_ids),
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": {"id": chat_id, "is_bot": False, "first_name": "Lan"},
                "text": text,
            },
        }

    def callback_update(self, chat_id: int, data: str) -> dict[str, Any]:
        return {
            "update_id": self.next_update_id(),
            "callback_query": {
                "id": f"cq{next(self._msg_ids)}",
                "from": {"id": chat_id, "is_bot": False, "first_name": "Lan"},
                "chat_instance": "ci-1",
                "data": data,
                "message": {
                    "message_id": next(self._msg_ids),
                    "date": int(time.time()),
                    "chat": self._chat(chat_id),
                    "from": {"id": 1, "is_bot": True, "first_name": "Bot"},
                    "text": "Mời bạn chọn:",
                },
            },
        }

    def sticker_update(self, chat_id: int) -> dict[str, Any]:
        u = self.text_update(chat_id, "x")
        del u["message"]["text"]
        u["message"]["sticker"] = {
            "file_id": "CAAD",
            "file_unique_id": "AQAD",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return u

    def photo_update(self, chat_id: int) -> dict[str, Any]:
        u = self.text_update(chat_id, "x")
        del u["message"]["text"]
        u["message"]["photo"] = [
            {"file_id": "PH1", "file_unique_id": "P1", "width": 90, "height": 90}
        ]
        return u

    def edited_update(self, chat_id: int, text: str) -> dict[str, Any]:
        u = self.text_update(chat_id, text)
        u["edited_message"] = u.pop("message")
        u["edited_message"]["edit_date"] = int(time.time())
        return u

    # -- the API ---------------------------------------------------------------------------

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._dispatch)
        app.router.add_get("/bot{token}/{method}", self._dispatch)
        return app

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post()
        out: dict[str, Any] = {}
        for k, v in form.items():
            v = str(v)
            out[k] = json.loads(v) if k in _JSON_FIELDS or k in {"offset", "timeout"} else v
        return out

    def _ok(self, result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        try:
            if method == "getUpdates":
                return await self._get_updates(params)
            if self.failures and method == "sendMessage":
                status, retry_after = self.failures.pop(0)
                self.attempts.append(
                    SentTelegram(
                        str(params.get("chat_id")),
                        params.get("text", ""),
                        params.get("reply_markup"),
                        ok=False,
                    )
                )
                body: dict[str, Any] = {
                    "ok": False,
                    "error_code": status,
                    "description": "Internal Server Error",
                }
                if retry_after is not None:
                    body["description"] = f"Too Many Requests: retry after {retry_after}"
                    body["parameters"] = {"retry_after": retry_after}
                return web.json_response(body, status=status)
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                return web.json_response(
                    {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
                )
            return handler(params)
        finally:
            self.notify()

    def _m_getMe(self, params: dict[str, Any]) -> web.Response:
        return self._ok(
            {
                "id": 123456,
                "is_bot": True,
                "first_name": "Tro ly",
                "username": "trolycongdan_bot",
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        )

    def _m_sendMessage(self, params: dict[str, Any]) -> web.Response:
        chat_id = str(params["chat_id"])
        text = params.get("text", "")
        if not text:
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: message text is empty",
                },
                status=400,
            )
        if chat_id == "403":
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                },
                status=403,
            )
        self.attempts.append(SentTelegram(chat_id, text, params.get("reply_markup"), ok=True))
        return self._ok(
            {
                "message_id": next(self._msg_ids),
                "date": int(time.time()),
                "chat": {"id": int(chat_id), "type": "private"},
                "text": text,
                **({"reply_markup": params["reply_markup"]} if params.get("reply_markup") else {}),
            }
        )

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> web.Response:
        return self._ok(True)

    def _m_setWebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = dict(params)
        return self._ok(True)

    def _m_deleteWebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = {}
        return self._ok(True)

    def _m_getWebhookInfo(self, params: dict[str, Any]) -> web.Response:
        return self._ok(
            {
                "url": self.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": 0,
            }
        )

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        if self.webhook:
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 409,
                    "description": "Conflict: can't use getUpdates method while webhook is active",
                },
                status=409,
            )
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), 1.0)
        deadline = time.monotonic() + wait
        while True:
            # Confirmed updates are forgotten, as Telegram does.
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            if self.updates or time.monotonic() >= deadline:
                return self._ok(list(self.updates))
            await asyncio.sleep(0.05)
