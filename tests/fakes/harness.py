"""A running gateway (app + workers) wired to the fakes, for tests and the benchmark."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from redis.asyncio import Redis
from telegram import Bot

from bot.settings import Settings
from channels import WorkerOptions, create_app, make_telegram_bot

from .telegram import FakeTelegramApi
from .zalo import APP_ID, OA_SECRET, FakeZaloApi, signed, text_event

TELEGRAM_SECRET = "tg-secret-0123"


def wire_settings(
    settings: Settings,
    *,
    zalo: FakeZaloApi | None = None,
    telegram: FakeTelegramApi | None = None,
    rasa_url: str | None = None,
    **gateway: Any,
) -> Settings:
    """``settings`` pointed at the fakes, with short retry delays for tests."""
    fast = {
        "outbox_backoff_base_s": 0.02,
        "outbox_backoff_max_s": 0.1,
        "claim_min_idle_ms": 1500,
        "rasa_retry_max_s": 0.3,
        "web_poll_timeout_s": 2.0,
    }
    fast.update(gateway)
    s = dataclasses.replace(settings, gateway=dataclasses.replace(settings.gateway, **fast))
    if rasa_url:
        s = dataclasses.replace(s, rasa=dataclasses.replace(s.rasa, url=rasa_url))
    if zalo is not None:
        s = dataclasses.replace(
            s,
            zalo=dataclasses.replace(
                s.zalo,
                app_id=APP_ID,
                app_secret=zalo.app_secret,
                oa_secret_key=OA_SECRET,
                api_url=zalo.url,
                oauth_url=zalo.url,
                access_token="AT-1",
                refresh_token="RT-1",
            ),
        )
    if telegram is not None:
        s = dataclasses.replace(
            s,
            telegram=dataclasses.replace(
                s.telegram,
                bot_token=telegram.token,
                webhook_secret=TELEGRAM_SECRET,
                api_url=telegram.base_url,
            ),
        )
    return s


@dataclass
class Gateway:
    settings: Settings
    url: str
    http: aiohttp.ClientSession
    redis: Redis
    app: web.Application
    bot: Bot | None

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        async with self.http.post(self.url + path, data=body, headers=headers) as resp:
            try:
                data = await resp.json(content_type=None)
            except ValueError:
                data = await resp.text()
            return resp.status, data

    async def zalo(self, user_id: str, text: str, *, msg_id: str | None = None) -> tuple[int, Any]:
        body, headers = signed(text_event(user_id, text, msg_id=msg_id))
        return await self.post("/webhooks/zalo", body, headers)

    async def telegram(self, update: dict[str, Any]) -> tuple[int, Any]:
        import json

        return await self.post(
            "/webhooks/telegram",
            json.dumps(update).encode(),
            {
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET,
            },
        )

    async def web(
        self, session: str, text: str | None = None, *, mid: str, payload: str | None = None
    ) -> tuple[int, Any]:
        import json

        body: dict[str, Any] = {"session": session, "id": mid}
        if text is not None:
            body["text"] = text
        if payload is not None:
            body["payload"] = payload
        return await self.post(
            "/api/web/messages", json.dumps(body).encode(), {"Content-Type": "application/json"}
        )


@asynccontextmanager
async def running_gateway(
    settings: Settings,
    *,
    redis: Redis,
    dispatchers: int = 2,
    outbox: bool = True,
    telegram_polling: bool = False,
    consumer_prefix: str = "",
) -> AsyncIterator[Gateway]:
    """Serve the gateway on a free port with its workers; stop everything afterwards."""
    bot = make_telegram_bot(settings)
    http = aiohttp.ClientSession()
    app = create_app(
        settings=settings,
        redis=redis,
        telegram_bot=bot,
        workers=WorkerOptions(
            dispatchers=dispatchers,
            outbox=outbox,
            telegram_polling=telegram_polling,
            consumer_prefix=consumer_prefix,
        ),
    )
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield Gateway(
            settings=settings,
            url=f"http://127.0.0.1:{port}",
            http=http,
            redis=redis,
            app=app,
            bot=bot,
        )
    finally:
        await runner.cleanup()
        await http.close()
        if bot is not None:
            await bot.shutdown()
