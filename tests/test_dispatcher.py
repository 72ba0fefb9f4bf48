"""Dispatcher workers: order per conversation, parallel conversations, modes, Rasa trouble."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from bot.settings import Settings
from channels import AGENT, APOLOGY, handoff_stream, set_mode
from tests.fakes.harness import Gateway, running_gateway
from tests.fakes.rasa import FakeRasa
from tests.fakes.zalo import FakeZaloApi


async def test_each_conversation_in_order_and_conversations_in_parallel(
    gw_settings: Settings, redis_client: Redis, fake_zalo: FakeZaloApi, fake_rasa: FakeRasa
) -> None:
    fake_rasa.delay_s = 0.05
    users = [f"u{i}" for i in range(6)]
    async with running_gateway(gw_settings, redis=redis_client, dispatchers=3) as gw:
        for n in range(6):
            await asyncio.gather(*(gw.zalo(u, f"tin {n}") for u in users))
        await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 36, timeout=60)
    for u in users:
        expected = [f"tin {n}" for n in range(6)]
        assert fake_rasa.messages_from(f"zalo:{u}") == expected
        assert fake_zalo.texts_for(u) == [f"Bạn nói: {t}" for t in expected]
    assert fake_rasa.max_active > 1  # different conversations overlapped


async def test_agent_mode_queues_for_the_console(
    gateway: Gateway, redis_client: Redis, fake_rasa: FakeRasa, fake_zalo: FakeZaloApi
) -> None:
    p = gateway.settings.redis.key_prefix
    await set_mode(redis_client, p, "zalo:900", AGENT)
    await gateway.zalo("900", "cho tôi gặp cán bộ")
    await gateway.zalo("901", "xin chào")  # another conversation, still in bot mode
    await fake_zalo.wait_until(lambda: fake_zalo.sent)
    for _ in range(100):
        entries = await redis_client.xrange(handoff_stream(p))
        if entries:
            break
        await asyncio.sleep(0.05)
    assert len(entries) == 1
    fields = entries[0][1]
    assert fields[b"conversation_id"] == b"zalo:900"
    assert fields[b"text"] == "cho tôi gặp cán bộ".encode()
    assert fake_rasa.messages_from("zalo:900") == []
    assert fake_zalo.texts_for("900") == []


async def test_rasa_errors_end_in_an_apology(
    gateway: Gateway, fake_rasa: FakeRasa, fake_zalo: FakeZaloApi
) -> None:
    fake_rasa.fail_status = 500
    await gateway.zalo("31", "xin chào")
    await fake_zalo.wait_until(lambda: fake_zalo.sent, timeout=30)
    assert fake_zalo.texts_for("31") == [APOLOGY]
    assert len(fake_rasa.messages_from("zalo:31")) == 3


async def test_rasa_down_messages_wait_then_are_answered(
    gateway: Gateway, fake_rasa: FakeRasa, fake_zalo: FakeZaloApi
) -> None:
    await fake_rasa.stop()
    await gateway.zalo("32", "một")
    await gateway.zalo("32", "hai")
    await asyncio.sleep(2.0)  # several failed attempts, well past the claim idle time
    assert fake_zalo.sent == []
    await fake_rasa.start()
    await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 2, timeout=30)
    assert fake_zalo.texts_for("32") == ["Bạn nói: một", "Bạn nói: hai"]


async def test_several_replies_leave_in_order(gateway: Gateway, fake_zalo: FakeZaloApi) -> None:
    await gateway.zalo("33", "/two")
    await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 2)
    assert fake_zalo.texts_for("33") == ["Câu trả lời thứ nhất.", "Câu trả lời thứ hai."]


async def test_everything_is_acknowledged(
    gateway: Gateway, fake_zalo: FakeZaloApi, redis_client: Redis
) -> None:
    for i in range(5):
        await gateway.zalo("34", f"m{i}")
    await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 5)
    p = gateway.settings.redis.key_prefix
    for _ in range(100):
        a = await redis_client.xpending(f"{p}inbound", "dispatchers")
        b = await redis_client.xpending(f"{p}outbox", "outbox-workers")
        if a["pending"] == 0 and b["pending"] == 0:
            break
        await asyncio.sleep(0.05)
    assert a["pending"] == 0 and b["pending"] == 0


async def test_dispatchers_without_a_local_outbox_worker_leave_replies_to_another_process(
    gw_settings: Settings, redis_client: Redis, fake_zalo: FakeZaloApi
) -> None:
    async with (
        running_gateway(gw_settings, redis=redis_client, dispatchers=2, outbox=False) as gw,
        running_gateway(gw_settings, redis=redis_client, dispatchers=0, consumer_prefix="b-"),
    ):
        for i in range(3):
            await gw.zalo("35", f"m{i}")
        await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 3)
    assert fake_zalo.texts_for("35") == [f"Bạn nói: m{i}" for i in range(3)]


async def test_a_handoff_applies_to_messages_still_waiting_for_a_dispatcher(
    gw_settings: Settings, redis_client: Redis, fake_rasa: FakeRasa
) -> None:
    p = gw_settings.redis.key_prefix
    async with running_gateway(gw_settings, redis=redis_client, dispatchers=0, outbox=False) as gw:
        assert (await gw.zalo("36", "cho tôi hỏi"))[1] == {"status": "enqueued"}
    await set_mode(redis_client, p, "zalo:36", AGENT)  # an official took it meanwhile
    await asyncio.sleep(1.2)  # what the gateway saw on arrival is no longer trusted
    async with running_gateway(gw_settings, redis=redis_client, dispatchers=1):
        for _ in range(100):
            entries = await redis_client.xrange(handoff_stream(p))
            if entries:
                break
            await asyncio.sleep(0.05)
    assert [e[1][b"text"] for e in entries] == ["cho tôi hỏi".encode()]
    assert fake_rasa.messages_from("zalo:36") == []
