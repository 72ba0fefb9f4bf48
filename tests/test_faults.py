"""Faults: a dispatcher killed mid-message, Rasa down for 30 s, Redis restarted, a flaky
send API. Each time every accepted message is answered exactly once."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
from collections import Counter

import aiohttp
import pytest
from redis.asyncio import Redis

from bot.redis_client import connect
from bot.settings import Settings
from tests.fakes.harness import Gateway, running_gateway
from tests.fakes.processes import RedisServer, start_dispatcher_process
from tests.fakes.rasa import FakeRasa
from tests.fakes.telegram import FakeTelegramApi
from tests.fakes.zalo import FakeZaloApi, signed, text_event

RASA_DOWN_S = float(os.environ.get("FAULT_RASA_DOWN_S", "30"))


async def test_dispatcher_killed_mid_message_is_answered_once_by_another(
    gw_settings: Settings, redis_client: Redis, fake_rasa: FakeRasa, fake_zalo: FakeZaloApi
) -> None:
    s = gw_settings
    env = {
        "REDIS_URL": s.redis.url,
        "REDIS_KEY_PREFIX": s.redis.key_prefix,
        "RASA_URL": fake_rasa.url,
        "DISPATCHER_CLAIM_MIN_IDLE_MS": str(s.gateway.claim_min_idle_ms),
    }
    fake_rasa.released.clear()  # Rasa "thinks" until we say so
    victim = start_dispatcher_process(env)
    try:
        async with running_gateway(s, redis=redis_client, dispatchers=0) as gw:
            await gw.zalo("700", "câu hỏi một")
            await gw.zalo("700", "câu hỏi hai")
            await fake_rasa.wait_until(lambda: fake_rasa.received, timeout=60)
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)
            fake_rasa.released.set()
            # a second worker (another process) takes over the pending message
            rescuer = start_dispatcher_process(env)
            try:
                await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 2, timeout=60)
                await asyncio.sleep(1.0)  # anything extra would arrive now
            finally:
                rescuer.terminate()
                rescuer.wait(10)
    finally:
        if victim.poll() is None:
            victim.kill()
    assert fake_zalo.texts_for("700") == ["Bạn nói: câu hỏi một", "Bạn nói: câu hỏi hai"]
    # the first message reached Rasa twice (the killed worker's call, then the retry)
    assert fake_rasa.messages_from("zalo:700")[0] == "câu hỏi một"


async def test_rasa_stopped_for_30s_then_everything_is_answered(
    gateway: Gateway, fake_rasa: FakeRasa, fake_zalo: FakeZaloApi
) -> None:
    await fake_rasa.stop()
    sent = [("801", "một"), ("802", "hai"), ("801", "ba")]
    for user, text in sent:
        assert (await gateway.zalo(user, text))[0] == 200
    await asyncio.sleep(RASA_DOWN_S)
    assert fake_zalo.sent == []
    await fake_rasa.start()
    await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 3, timeout=60)
    await asyncio.sleep(0.5)
    assert fake_zalo.texts_for("801") == ["Bạn nói: một", "Bạn nói: ba"]
    assert fake_zalo.texts_for("802") == ["Bạn nói: hai"]


async def test_send_api_failing_3_times_then_ok_gives_one_reply(
    gateway: Gateway, fake_zalo: FakeZaloApi, fake_telegram: FakeTelegramApi
) -> None:
    fake_zalo.fail_next(3, status=500)
    fake_telegram.fail_next(3, status=502)
    await gateway.zalo("901", "xin chào")
    await gateway.telegram(fake_telegram.text_update(902, "xin chào"))
    await fake_zalo.wait_until(lambda: fake_zalo.sent, timeout=30)
    await fake_telegram.wait_until(lambda: fake_telegram.sent, timeout=30)
    await asyncio.sleep(0.5)
    assert fake_zalo.texts_for("901") == ["Bạn nói: xin chào"]
    assert [a.ok for a in fake_zalo.attempts] == [False, False, False, True]
    assert fake_telegram.texts_for(902) == ["Bạn nói: xin chào"]
    assert [a.ok for a in fake_telegram.attempts] == [False, False, False, True]


async def _deliver_like_zalo(http: aiohttp.ClientSession, url: str, user: str, text: str) -> None:
    """POST until a 200, as Zalo does (same body, same msg_id)."""
    body, headers = signed(text_event(user, text))
    for _ in range(600):
        try:
            async with http.post(url + "/webhooks/zalo", data=body, headers=headers) as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError("never accepted")


async def test_redis_restarted_no_accepted_message_lost(
    gw_settings: Settings, fake_rasa: FakeRasa, fake_zalo: FakeZaloApi
) -> None:
    server = RedisServer()
    server.start()
    s = dataclasses.replace(
        gw_settings, redis=dataclasses.replace(gw_settings.redis, url=server.url)
    )
    redis = connect(server.url, socket_connect_timeout=0.5, socket_timeout=5)
    users = [f"r{i}" for i in range(3)]
    try:
        async with running_gateway(s, redis=redis, dispatchers=2) as gw:

            async def citizen(user: str) -> None:
                for n in range(10):
                    await _deliver_like_zalo(gw.http, gw.url, user, f"{user} tin {n}")
                    await asyncio.sleep(0.03)

            talk = asyncio.gather(*(citizen(u) for u in users))
            await fake_zalo.wait_until(lambda: len(fake_zalo.sent) >= 5, timeout=30)
            server.kill()
            await asyncio.sleep(1.0)
            server.start()
            await talk
            await fake_zalo.wait_until(lambda: len(fake_zalo.sent) >= 30, timeout=90)
            await asyncio.sleep(1.0)
    finally:
        await redis.close()
        server.stop()
    for u in users:
        assert fake_zalo.texts_for(u) == [f"Bạn nói: {u} tin {n}" for n in range(10)]
    assert max(Counter(t for t in (s.text for s in fake_zalo.sent)).values()) == 1


@pytest.mark.parametrize("channel", ["zalo", "telegram"])
async def test_flood_from_one_sender_is_limited_politely(
    gw_settings: Settings,
    redis_client: Redis,
    fake_zalo: FakeZaloApi,
    fake_telegram: FakeTelegramApi,
    channel: str,
) -> None:
    s = dataclasses.replace(
        gw_settings, gateway=dataclasses.replace(gw_settings.gateway, sender_rate_limit=5)
    )
    async with running_gateway(s, redis=redis_client) as gw:
        statuses = []
        for i in range(12):
            if channel == "zalo":
                statuses.append((await gw.zalo("990", f"spam {i}"))[1]["status"])
            else:
                statuses.append(
                    (await gw.telegram(fake_telegram.text_update(990, f"spam {i}")))[1]["status"]
                )
        fake = fake_zalo if channel == "zalo" else fake_telegram
        await fake.wait_until(lambda: len(fake.sent) == 6, timeout=30)
        await asyncio.sleep(0.3)
    assert statuses == ["enqueued"] * 5 + ["rate_limited"] * 7
    texts = fake.texts_for("990") if channel == "zalo" else fake.texts_for(990)
    assert sum("gửi nhanh quá" in t for t in texts) == 1
