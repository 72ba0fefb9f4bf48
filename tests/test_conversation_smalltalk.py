"""Small talk through the running assistant (REST channel), and state kept in Redis."""

from __future__ import annotations

import uuid

import aiohttp
import pytest
import redis.asyncio as aioredis
import yaml

from actions.bot_challenge import MSG_IAMABOT
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow

RESPONSES = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]


def _text(name: str) -> str:
    return RESPONSES[name][0]["text"]


def _sender() -> str:
    return f"rest-test-{uuid.uuid4().hex[:8]}"


async def test_greeting_in_vietnamese(rasa_stack) -> None:
    assert await rasa_stack.say_text(_sender(), "xin chào") == _text("utter_greet")


async def test_greeting_without_diacritics(rasa_stack) -> None:
    assert await rasa_stack.say_text(_sender(), "xin chao ban") == _text("utter_greet")


async def test_who_are_you(rasa_stack) -> None:
    assert await rasa_stack.say_text(_sender(), "bạn là ai") == MSG_IAMABOT


async def test_thanks_and_goodbye(rasa_stack) -> None:
    sender = _sender()
    assert await rasa_stack.say_text(sender, "cảm ơn bạn nhiều") == _text("utter_thank")
    assert await rasa_stack.say_text(sender, "tạm biệt") == _text("utter_goodbye")


async def test_gibberish_gets_the_polite_fallback(rasa_stack) -> None:
    reply = await rasa_stack.say_text(_sender(), "asdkjh qwpoe zzxq")
    # The fallback, or the out-of-scope answer when the classifier already reads it so.
    assert reply in (_text("utter_default"), _text("utter_out_of_scope"))


async def test_conversation_survives_a_rasa_restart(rasa_stack) -> None:
    sender = _sender()
    assert await rasa_stack.say_text(sender, "xin chào") == _text("utter_greet")
    client = aioredis.Redis.from_url(rasa_stack.redis_url)
    try:
        stored = await client.get(f"tlcd:tracker:{sender}")
    finally:
        await client.close()
    assert stored is not None, "the tracker is not in Redis"
    assert b"xin ch" in stored

    rasa_stack.restart_rasa()

    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{rasa_stack.rasa_url}/conversations/{sender}/tracker") as resp,
    ):
        tracker = await resp.json()
    user_texts = [e.get("text") for e in tracker["events"] if e.get("event") == "user"]
    assert "xin chào" in user_texts
    assert await rasa_stack.say_text(sender, "bạn là ai") == MSG_IAMABOT
