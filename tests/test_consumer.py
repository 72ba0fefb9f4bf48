"""OrderedConsumer on its own: entries handed over while stopped, and failures outside the
handler (the lane carries on)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis
from structlog.testing import capture_logs

from bot.settings import Settings
from channels import OrderedConsumer, StreamEntry


def _consumer(
    settings: Settings, redis: Redis, handler: Callable[[StreamEntry], Any]
) -> OrderedConsumer:
    p = settings.redis.key_prefix
    return OrderedConsumer(
        redis=redis,
        stream=f"{p}s",
        group="g",
        consumer="c1",
        handler=handler,
        lane_of=lambda f: f["conv"],
        order_key_of=lambda lane: f"{p}order:{lane}",
        concurrency=4,
        claim_min_idle_ms=60_000,
        order_wait_max_s=30,
    )


@asynccontextmanager
async def _running(consumer: OrderedConsumer) -> AsyncIterator[None]:
    task = asyncio.create_task(consumer.run())
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def _recording() -> tuple[list[str], Callable[[StreamEntry], Awaitable[None]]]:
    """A handler that records the text of each entry, and its record."""
    handled: list[str] = []

    async def handler(entry: StreamEntry) -> None:
        handled.append(entry.fields["text"])

    return handled, handler


async def _append(redis: Redis, consumer: OrderedConsumer, n: int) -> None:
    """Messages t1..tn of conversation x, numbered 1..n, on the consumer's stream."""
    for i in range(1, n + 1):
        await redis.xadd(consumer.stream, {"conv": "x", "seq": str(i), "text": f"t{i}"})


async def _until(check: Callable[[], bool], timeout_s: float = 10.0) -> None:
    for _ in range(int(timeout_s / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")


async def test_entries_handed_to_a_stopped_consumer_wait_for_it_and_run_in_order(
    settings: Settings, redis_client: Redis
) -> None:
    handled, handler = _recording()
    consumer = _consumer(settings, redis_client, handler)
    await consumer.ensure_group()
    await _append(redis_client, consumer, 2)
    # what a script does for a consumer of this process: read the entries under its name
    res = await redis_client.xreadgroup("g", "c1", {consumer.stream: ">"})
    assert consumer.adopt(res[0][1]) is False  # not running: they stay pending
    async with _running(consumer):
        await _until(lambda: len(handled) == 2, timeout_s=5.0)
    assert handled == ["t1", "t2"]
    assert (await redis_client.xpending(consumer.stream, "g"))["pending"] == 0


async def test_a_lane_survives_an_unexpected_redis_reply_and_loses_nothing(
    settings: Settings, redis_client: Redis
) -> None:
    handled, handler = _recording()
    consumer = _consumer(settings, redis_client, handler)
    order_key = consumer.order_key("x")
    # Not a hash: the order check's HGET gets WRONGTYPE, an error no retry path expects.
    await redis_client.set(order_key, "corrupt")
    await _append(redis_client, consumer, 3)
    with capture_logs() as logs:
        async with _running(consumer):
            await _until(lambda: any(e["event"] == "gateway.consumer.lane_failed" for e in logs))
            assert handled == []
            await redis_client.delete(order_key)  # an operator repairs the key
            # Wait for the last finish too: stopping while its ack is in flight would leave
            # the entry held (acked on the server; a restart starts clean), as seen under load.
            await _until(lambda: len(handled) == 3 and consumer.in_flight == 0)
    assert handled == ["t1", "t2", "t3"]
    assert (await redis_client.xpending(consumer.stream, "g"))["pending"] == 0


async def test_a_failed_finish_is_retried_without_handling_the_entry_twice(
    settings: Settings, redis_client: Redis
) -> None:
    handled: list[str] = []
    consumer_ref: list[OrderedConsumer] = []

    async def handler(entry: StreamEntry) -> None:
        handled.append(entry.fields["text"])
        if entry.fields["text"] == "t1":
            # Breaks the finish that follows this handler (HGET on a string: WRONGTYPE).
            await redis_client.set(consumer_ref[0].order_key("x"), "corrupt")

    consumer = _consumer(settings, redis_client, handler)
    consumer_ref.append(consumer)
    await _append(redis_client, consumer, 2)
    with capture_logs() as logs:
        async with _running(consumer):
            await _until(lambda: any(e["event"] == "gateway.consumer.finish_failed" for e in logs))
            await redis_client.delete(consumer.order_key("x"))
            await _until(lambda: len(handled) == 2)
            await _until(lambda: consumer.in_flight == 0)
    assert handled == ["t1", "t2"], "t1's handler ran once, t2 after it"
    assert (await redis_client.xpending(consumer.stream, "g"))["pending"] == 0
    assert await redis_client.hget(consumer.order_key("x"), "done") == b"2"
