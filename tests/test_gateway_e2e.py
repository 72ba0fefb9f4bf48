"""End to end with the real assistant: webhook → Redis → Rasa → fake platform, exact text."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest
import yaml
from redis.asyncio import Redis

from bot.settings import PROJECT_ROOT, Settings
from tests.fakes.harness import running_gateway, wire_settings
from tests.fakes.telegram import FakeTelegramApi
from tests.fakes.zalo import FakeZaloApi

pytestmark = pytest.mark.slow


def _greeting() -> str:
    domain = yaml.safe_load(Path(PROJECT_ROOT, "domain.yml").read_text(encoding="utf-8"))
    return domain["responses"]["utter_greet"][0]["text"]


async def test_each_channel_gets_the_greeting_exactly_once(
    rasa_stack,
    settings: Settings,
    redis_client: Redis,
    fake_zalo: FakeZaloApi,
    fake_telegram: FakeTelegramApi,
) -> None:
    s = wire_settings(
        settings, zalo=fake_zalo, telegram=fake_telegram, rasa_url=rasa_stack.rasa_url
    )
    s = dataclasses.replace(s, redis=dataclasses.replace(s.redis, url=rasa_stack.redis_url))
    greeting = _greeting()
    run = uuid.uuid4().hex[:8]
    zalo_user, chat_id, session = f"84{run}", int(run, 16) % 10**9 + 1, f"e2e-{run}"
    async with running_gateway(s, redis=redis_client) as gw:
        assert (await gw.zalo(zalo_user, "xin chào"))[0] == 200
        assert (await gw.telegram(fake_telegram.text_update(chat_id, "xin chào")))[0] == 200
        cursor = "0"
        assert (await gw.web(session, "xin chào", mid=f"m-{run}"))[0] == 202
        await fake_zalo.wait_until(lambda: fake_zalo.sent, timeout=120)
        await fake_telegram.wait_until(lambda: fake_telegram.sent, timeout=120)
        web_texts: list[str] = []
        for _ in range(60):
            async with gw.http.get(
                gw.url + "/api/web/replies",
                params={"session": session, "after": cursor, "wait": "2"},
            ) as resp:
                data = await resp.json()
            web_texts += [r["text"] for r in data["replies"]]
            cursor = data["cursor"]
            if web_texts:
                break
        import asyncio

        await asyncio.sleep(1.0)
    assert fake_zalo.texts_for(zalo_user) == [greeting]
    assert fake_telegram.texts_for(chat_id) == [greeting]
    assert web_texts == [greeting]
