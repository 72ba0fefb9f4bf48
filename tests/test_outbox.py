"""The outbox worker: retries, Retry-After, dead letters, order, producers other than us."""

from __future__ import annotations

import asyncio
import random

from redis.asyncio import Redis

from bot.outbox import DEAD_LETTER_STREAM, Button, OutgoingMessage, enqueue
from bot.settings import Settings
from channels import backoff_delay
from tests.fakes.harness import running_gateway
from tests.fakes.telegram import FakeTelegramApi
from tests.fakes.zalo import FakeZaloApi


def test_backoff_grows_with_jitter_and_honours_retry_after() -> None:
    rng = random.Random(1)
    delays = [backoff_delay(n, base_s=0.5, max_s=30, rng=rng) for n in range(1, 10)]
    assert all(0.25 <= d <= 0.5 for d in delays[:1])
    assert all(15 <= d <= 30 for d in delays[7:])
    assert len({round(d, 6) for d in delays}) == len(delays)  # jittered
    assert backoff_delay(3, base_s=0.5, max_s=30, retry_after_s=7) == 7
    assert backoff_delay(3, base_s=0.5, max_s=1, retry_after_s=3600) == 4


async def _dead(redis: Redis, prefix: str) -> list[dict[bytes, bytes]]:
    return [f for _id, f in await redis.xrange(f"{prefix}{DEAD_LETTER_STREAM}")]


async def _send(
    redis: Redis, s: Settings, channel: str, to: str, text: str, key: str, **kw
) -> None:
    await enqueue(
        redis,
        key_prefix=s.redis.key_prefix,
        channel=channel,
        recipient=to,
        message=OutgoingMessage(text=text, **kw),
        idempotency_key=key,
        origin="notifier",
    )


async def test_a_notifier_message_reaches_telegram_once(
    gw_settings: Settings, redis_client: Redis, fake_telegram: FakeTelegramApi
) -> None:
    async with running_gateway(gw_settings, redis=redis_client, dispatchers=0):
        await _send(
            redis_client,
            gw_settings,
            "telegram",
            "4242",
            "Hồ sơ của bạn đã có kết quả.",
            "n-1",
            buttons=(Button(title="Xem", payload="/check"),),
        )
        await _send(
            redis_client, gw_settings, "telegram", "4242", "Hồ sơ của bạn đã có kết quả.", "n-1"
        )
        await fake_telegram.wait_until(lambda: fake_telegram.sent)
        await asyncio.sleep(0.3)
    assert fake_telegram.texts_for(4242) == ["Hồ sơ của bạn đã có kết quả."]


async def test_429_retry_after_is_honoured(
    gw_settings: Settings, redis_client: Redis, fake_zalo: FakeZaloApi
) -> None:
    fake_zalo.fail_next(2, status=429, headers={"Retry-After": "0.3"})
    async with running_gateway(gw_settings, redis=redis_client, dispatchers=0):
        await _send(redis_client, gw_settings, "zalo", "7", "xin chào", "k-429")
        await fake_zalo.wait_until(lambda: fake_zalo.sent, timeout=30)
    times = [a.at for a in fake_zalo.attempts]
    assert len(times) == 3 and [a.ok for a in fake_zalo.attempts] == [False, False, True]
    assert times[1] - times[0] >= 0.29 and times[2] - times[1] >= 0.29


async def test_permanent_failure_is_dead_lettered_with_reason(
    gw_settings: Settings, redis_client: Redis, fake_telegram: FakeTelegramApi
) -> None:
    p = gw_settings.redis.key_prefix
    async with running_gateway(gw_settings, redis=redis_client, dispatchers=0):
        await _send(redis_client, gw_settings, "telegram", "403", "chào", "k-403")
        await _send(redis_client, gw_settings, "rest", "abc", "x", "k-rest")
        for _ in range(200):
            dead = await _dead(redis_client, p)
            if len(dead) == 2:
                break
            await asyncio.sleep(0.05)
    reasons = sorted(d[b"reason"].decode() for d in dead)
    assert "blocked" in reasons[1] and "not configured" in reasons[0]
    assert {d[b"idempotency_key"] for d in dead} == {b"k-403", b"k-rest"}
    metrics = await redis_client.hgetall(f"{p}metrics:gateway")
    assert metrics[b"dead_lettered|channel=telegram"] == b"1"


async def test_retries_exhausted_go_to_dead_letter(
    gw_settings: Settings, redis_client: Redis, fake_zalo: FakeZaloApi
) -> None:
    p = gw_settings.redis.key_prefix
    fake_zalo.fail_next(100, status=503)
    async with running_gateway(gw_settings, redis=redis_client, dispatchers=0):
        await _send(redis_client, gw_settings, "zalo", "8", "chào", "k-503")
        for _ in range(400):
            dead = await _dead(redis_client, p)
            if dead:
                break
            await asyncio.sleep(0.05)
    assert dead[0][b"reason"] == b"zalo HTTP 503"
    assert int(dead[0][b"attempts"]) == gw_settings.gateway.outbox_max_attempts
    assert len(fake_zalo.attempts) == gw_settings.gateway.outbox_max_attempts


async def test_one_conversation_is_delivered_in_order_despite_retries(
    gw_settings: Settings, redis_client: Redis, fake_zalo: FakeZaloApi
) -> None:
    fake_zalo.fail_next(3, status=500)
    async with running_gateway(gw_settings, redis=redis_client, dispatchers=0):
        for i in range(8):
            await _send(redis_client, gw_settings, "zalo", "9", f"thông báo {i}", f"ord-{i}")
        await _send(redis_client, gw_settings, "zalo", "10", "người khác", "ord-x")
        await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 9, timeout=30)
    assert fake_zalo.texts_for("9") == [f"thông báo {i}" for i in range(8)]
