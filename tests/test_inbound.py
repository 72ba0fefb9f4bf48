"""The gateway's accept step against a real Redis: de-duplication and the flood limit."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from bot.settings import Settings
from channels._inbound import RATE_LIMIT_NOTICE, AcceptResult, accept
from channels._message import IncomingMessage

LIMIT = 5
WINDOW_S = 60


async def _send(
    redis: Redis, settings: Settings, mid: str, now: float, sender: str = "s-1"
) -> AcceptResult:
    message = IncomingMessage(channel="web", sender=sender, message_id=mid, text=f"tin {mid}")
    return await accept(
        redis,
        message,
        key_prefix=settings.redis.key_prefix,
        dedupe_ttl_s=3600,
        rate_limit=LIMIT,
        rate_window_s=WINDOW_S,
        maxlen=10_000,
        now=now,
    )


async def _notices(redis: Redis, settings: Settings) -> list[str]:
    entries = await redis.xrange(f"{settings.redis.key_prefix}outbox")
    return [json.loads(fields[b"message"])["text"] for _, fields in entries]


async def test_a_burst_across_a_minute_boundary_is_still_limited(
    redis_client: Redis, settings: Settings
) -> None:
    # Half the burst just before a whole minute, half just after: a fixed per-minute
    # window would have let 2 × LIMIT through.
    start = 1_800_000_000.0 - 1.0  # a multiple of 60 s lies one second later
    statuses = [
        (await _send(redis_client, settings, f"m{i}", start + i * 0.2)).status
        for i in range(2 * LIMIT)
    ]
    assert statuses == ["enqueued"] * LIMIT + ["rate_limited"] * LIMIT
    assert await _notices(redis_client, settings) == [RATE_LIMIT_NOTICE]


async def test_the_limit_slides_and_the_notice_comes_once_per_window(
    redis_client: Redis, settings: Settings
) -> None:
    t0 = 1_800_000_000.0
    for i in range(LIMIT):
        assert (await _send(redis_client, settings, f"a{i}", t0 + i)).status == "enqueued"
    first = await _send(redis_client, settings, "over-1", t0 + 10)
    second = await _send(redis_client, settings, "over-2", t0 + 11)
    assert (first.status, first.notice_sent) == ("rate_limited", True)
    assert (second.status, second.notice_sent) == ("rate_limited", False)
    # The oldest accepted message (t0) leaves the window at t0 + 60: one slot frees up.
    assert (await _send(redis_client, settings, "b0", t0 + WINDOW_S + 0.5)).status == "enqueued"
    assert (await _send(redis_client, settings, "b1", t0 + WINDOW_S + 0.6)).status == "rate_limited"
    # Another sender is not affected by this one's flood.
    other = await _send(redis_client, settings, "x0", t0 + 12, sender="s-2")
    assert other.status == "enqueued"
    assert await _notices(redis_client, settings) == [RATE_LIMIT_NOTICE]
    # A replay of a message that was refused is still a replay.
    assert (await _send(redis_client, settings, "over-1", t0 + 200)).status == "duplicate"
