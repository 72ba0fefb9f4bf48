"""The notifier end to end: a status change in the simulator → exactly one outbox entry."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.notifier import Notifier, SubscriptionStore, next_delay
from bot.onestop import OneStopClient
from bot.outbox import OUTBOX_STREAM, OutgoingMessage
from bot.settings import PROJECT_ROOT, Settings


@pytest.fixture
def nsettings(settings: Settings, sim_url: str) -> Settings:
    return dataclasses.replace(
        settings,
        onestop=dataclasses.replace(
            settings.onestop, url=sim_url, timeout_s=0.5, retries=0, breaker_failures=50
        ),
    )


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


def make_notifier(nsettings: Settings, redis, session) -> Notifier:
    prefix = nsettings.redis.key_prefix
    return Notifier(
        client=OneStopClient.from_settings(session=session, redis=redis, settings=nsettings),
        store=SubscriptionStore(redis=redis, key_prefix=prefix),
        redis=redis,
        key_prefix=prefix,
        poll_interval_s=0.05,
    )


async def outbox(redis, prefix: str) -> list[dict[str, str]]:
    entries = await redis.xrange(f"{prefix}{OUTBOX_STREAM}")
    return [{k.decode(): v.decode() for k, v in fields.items()} for _, fields in entries]


async def subscribe(store: SubscriptionStore, client: OneStopClient, code: str, conv: str) -> None:
    d = await client.get_dossier(code, use_cache=False)
    assert (
        await store.subscribe(
            code=code, conversation_id=conv, status=int(d.status), version=d.version
        )
        == "created"
    )


async def test_status_change_sends_exactly_one_message(nsettings, redis_client, session, admin):
    prefix = nsettings.redis.key_prefix
    n = make_notifier(nsettings, redis_client, session)
    code = (await admin.codes(status=4))[0]
    await subscribe(n._store, n._client, code, "zalo:8888")
    assert await n.run_once() == 0  # first cycle: takes the feed's head, nothing changed
    await admin.set_status(code, 5, documents=["Bản sao giấy khai sinh"])
    assert await n.run_once() == 1
    assert await n.run_once() == 0
    entries = await outbox(redis_client, prefix)
    assert len(entries) == 1
    e = entries[0]
    assert (e["channel"], e["recipient"], e["origin"]) == ("zalo", "8888", "notifier")
    text = OutgoingMessage.from_json(e["message"]).text
    assert code in text and "Yêu cầu bổ sung giấy tờ" in text and "Bản sao giấy khai sinh" in text
    assert "hủy theo dõi" in text

    # A restarted notifier (new objects, same Redis) sends nothing again.
    n2 = make_notifier(nsettings, redis_client, session)
    assert await n2.run_once() == 0
    assert len(await outbox(redis_client, prefix)) == 1


async def test_crash_between_enqueue_and_record_does_not_send_twice(
    nsettings, redis_client, session, admin
):
    prefix = nsettings.redis.key_prefix
    n = make_notifier(nsettings, redis_client, session)
    code = (await admin.codes(status=4))[0]
    await subscribe(n._store, n._client, code, "telegram:1")
    await n.run_once()
    await admin.set_status(code, 9)
    # Simulate a crash after the outbox append but before the subscriber's status was saved.
    original = n._store.mark_seen

    async def crash(*args, **kwargs):
        raise RuntimeError("killed")

    n._store.mark_seen = crash  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        await n.run_once()
    n._store.mark_seen = original  # type: ignore[method-assign]
    assert len(await outbox(redis_client, prefix)) == 1
    restarted = make_notifier(nsettings, redis_client, session)
    assert await restarted.run_once() == 0  # the same change again: dropped by idempotency
    assert len(await outbox(redis_client, prefix)) == 1
    subs = await restarted._store.subscribers(code)
    assert subs[0].status == 9


async def test_every_subscriber_on_their_channel_and_final_status_ends(
    nsettings, redis_client, session, admin
):
    prefix = nsettings.redis.key_prefix
    n = make_notifier(nsettings, redis_client, session)
    code = (await admin.codes(status=9))[0]
    for conv in ("zalo:1", "telegram:2", "web:3", "restuser"):
        await subscribe(n._store, n._client, code, conv)
    await n.run_once()
    await admin.set_status(code, 10)
    assert await n.run_once() == 4
    got = sorted((e["channel"], e["recipient"]) for e in await outbox(redis_client, prefix))
    assert got == [("rest", "restuser"), ("telegram", "2"), ("web", "3"), ("zalo", "1")]
    text = OutgoingMessage.from_json((await outbox(redis_client, prefix))[0]["message"]).text
    assert "thông báo cuối cùng" in text
    assert await n._store.watched() == set()
    assert await n._store.codes_of("zalo:1") == []


async def test_same_status_again_is_a_new_change(nsettings, redis_client, session, admin):
    n = make_notifier(nsettings, redis_client, session)
    code = (await admin.codes(status=4))[0]
    await subscribe(n._store, n._client, code, "zalo:5")
    await n.run_once()
    await admin.set_status(code, 5)
    assert await n.run_once() == 1
    await admin.set_status(code, 4)
    assert await n.run_once() == 1
    await asyncio.sleep(1.1)  # the simulator's timestamps have one-second resolution
    await admin.set_status(code, 5)  # papers requested a second time
    assert await n.run_once() == 1
    assert len(await outbox(redis_client, nsettings.redis.key_prefix)) == 3


async def test_unsubscribed_gets_nothing(nsettings, redis_client, session, admin):
    n = make_notifier(nsettings, redis_client, session)
    code = (await admin.codes(status=4))[0]
    await subscribe(n._store, n._client, code, "zalo:6")
    await n.run_once()
    await n._store.unsubscribe(code=code, conversation_id="zalo:6")
    await admin.set_status(code, 9)
    assert await n.run_once() == 0
    assert await outbox(redis_client, nsettings.redis.key_prefix) == []


async def test_expired_cursor_resyncs_by_polling(nsettings, redis_client, session, admin):
    n = make_notifier(nsettings, redis_client, session)
    code = (await admin.codes(status=4))[0]
    await subscribe(n._store, n._client, code, "zalo:7")
    await n.run_once()
    await redis_client.set(f"{nsettings.redis.key_prefix}notifier:cursor", "deadbeef.12")
    await admin.set_status(code, 6)
    assert await n.run_once() == 1


async def test_backs_off_while_onestop_is_down(nsettings, redis_client, session, admin):
    n = make_notifier(nsettings, redis_client, session)
    code = (await admin.codes(status=4))[0]
    await subscribe(n._store, n._client, code, "zalo:9")
    await admin.faults(outage=True)
    stop = asyncio.Event()
    task = asyncio.create_task(n.run_forever(stop))
    await asyncio.sleep(1.0)
    stop.set()
    await task
    # 0.05 s interval doubling per failure: far fewer attempts than 1.0/0.05 = 20.
    assert (await admin.stats())["requests"] <= 6
    assert (
        next_delay(30, 0, 600) == 30
        and next_delay(30, 3, 600) == 240
        and next_delay(30, 10, 600) == 600
    )


async def test_notifier_process_restart_sends_once(nsettings, redis_client, admin, sim_url):
    """``python -m bot.notifier`` as a real process, killed and started again."""
    prefix = nsettings.redis.key_prefix
    async with aiohttp.ClientSession() as session:
        client = OneStopClient.from_settings(
            session=session, redis=redis_client, settings=nsettings
        )
        store = SubscriptionStore(redis=redis_client, key_prefix=prefix)
        code = (await admin.codes(status=2))[0]
        await subscribe(store, client, code, "telegram:31337")
    env = {
        **os.environ,
        "REDIS_URL": nsettings.redis.url,
        "REDIS_KEY_PREFIX": prefix,
        "ONESTOP_URL": sim_url,
        "NOTIFIER_POLL_INTERVAL_S": "0.1",
        "PYTHONPATH": str(PROJECT_ROOT),
    }

    def start() -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.notifier"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    async def wait_for(predicate, timeout: float = 20.0) -> None:
        for _ in range(int(timeout / 0.1)):
            if await predicate():
                return
            await asyncio.sleep(0.1)
        raise AssertionError("condition not reached")

    proc = start()
    try:
        await wait_for(lambda: redis_client.exists(f"{prefix}notifier:cursor"))
        await admin.set_status(code, 4)
        await wait_for(lambda: redis_client.xlen(f"{prefix}{OUTBOX_STREAM}"))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    proc = start()
    try:
        await asyncio.sleep(1.5)  # several cycles of the restarted process
        await admin.set_status(code, 9)
        await wait_for(lambda: _xlen_at_least(redis_client, f"{prefix}{OUTBOX_STREAM}", 2))
        await asyncio.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    entries = await outbox(redis_client, prefix)
    statuses = [
        json.loads(e["message"])["text"].split("vừa có cập nhật: ")[1].split(".")[0]
        for e in entries
    ]
    assert statuses == ["Đang xử lý", "Đã có kết quả, chờ trả"]


async def _xlen_at_least(redis, key: str, n: int) -> bool:
    return await redis.xlen(key) >= n
