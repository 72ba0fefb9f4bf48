"""A fake Rasa REST channel: answers ``Bạn nói: <text>`` (and buttons for ``/menu``).

Can be stopped and started again on the same port, held (requests wait until released)
or made to fail, to test the dispatcher's behaviour when Rasa misbehaves.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from ._server import FakeServer

MENU_BUTTONS = [
    {"title": "Lệ phí", "payload": '/ask_fee{"procedure":"khai_sinh"}'},
    {"title": "Thời gian", "payload": '/ask_duration{"procedure":"khai_sinh"}'},
    {"title": "Cổng dịch vụ công", "payload": "https://dichvucong.gov.vn"},
]


def answer_for(message: str) -> list[dict[str, Any]]:
    if message == "/menu":
        return [{"text": "Bạn muốn biết gì về khai sinh?", "buttons": MENU_BUTTONS}]
    if message == "/two":
        return [{"text": "Câu trả lời thứ nhất."}, {"text": "Câu trả lời thứ hai."}]
    if message == "/silent":
        return []
    return [{"text": f"Bạn nói: {message}"}]


class FakeRasa(FakeServer):
    def __init__(self, *, delay_s: float = 0.0) -> None:
        super().__init__()
        self.received: list[tuple[str, str]] = []
        self.delay_s = delay_s
        self.fail_status: int | None = None
        # While cleared, requests wait (to kill a dispatcher mid-message).
        self.released = asyncio.Event()
        self.released.set()
        self.active = 0
        self.max_active = 0

    def messages_from(self, sender: str) -> list[str]:
        return [m for s, m in self.received if s == sender]

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        app.router.add_get("/", self._root)
        return app

    async def _root(self, request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21")

    async def _webhook(self, request: web.Request) -> web.Response:
        data = await request.json()
        sender, message = str(data["sender"]), str(data["message"])
        self.received.append((sender, message))
        self.notify()
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            await self.released.wait()
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
        finally:
            self.active -= 1
        if self.fail_status:
            return web.json_response({"error": "boom"}, status=self.fail_status)
        return web.json_response([{"recipient_id": sender, **m} for m in answer_for(message)])
