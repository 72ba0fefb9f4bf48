"""Telegram channel: webhook secret, update kinds, inline keyboards, callbacks, polling."""

from __future__ import annotations

import json

import pytest
from redis.asyncio import Redis

from bot.outbox import Button, OutgoingMessage
from bot.settings import Settings
from channels import SendError, TelegramAdapter, inbound_stream
from channels.telegram_webhook import run as webhook_command
from tests.fakes.harness import TELEGRAM_SECRET, Gateway, running_gateway
from tests.fakes.rasa import FakeRasa
from tests.fakes.telegram import FakeTelegramApi


async def _stream_len(gw: Gateway) -> int:
    return await gw.redis.xlen(inbound_stream(gw.settings.redis.key_prefix))


async def test_text_message_is_answered(
    gateway: Gateway, fake_telegram: FakeTelegramApi, fake_rasa: FakeRasa
) -> None:
    status, data = await gateway.telegram(fake_telegram.text_update(1001, "xin chào"))
    assert (status, data) == (200, {"status": "enqueued"})
    await fake_telegram.wait_until(lambda: fake_telegram.sent)
    assert fake_telegram.texts_for(1001) == ["Bạn nói: xin chào"]
    assert fake_rasa.received == [("telegram:1001", "xin chào")]


async def test_secret_token_is_checked(
    gateway_only: Gateway, fake_telegram: FakeTelegramApi
) -> None:
    body = json.dumps(fake_telegram.text_update(1, "hi")).encode()
    for headers in (
        {"Content-Type": "application/json"},
        {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "wrong"},
    ):
        status, _ = await gateway_only.post("/webhooks/telegram", body, headers)
        assert status == 401
    assert await _stream_len(gateway_only) == 0


async def test_replayed_update_is_enqueued_once(
    gateway_only: Gateway, fake_telegram: FakeTelegramApi
) -> None:
    update = fake_telegram.text_update(1, "hi")
    assert (await gateway_only.telegram(update))[1] == {"status": "enqueued"}
    assert (await gateway_only.telegram(update))[1] == {"status": "duplicate"}
    assert await _stream_len(gateway_only) == 1


async def test_other_update_kinds_are_handled(
    gateway: Gateway, fake_telegram: FakeTelegramApi, fake_rasa: FakeRasa
) -> None:
    edited = await gateway.telegram(fake_telegram.edited_update(7, "sửa"))
    assert edited == (200, {"status": "ignored", "event": "edited_message"})
    member = {
        "update_id": fake_telegram.next_update_id(),
        "my_chat_member": {
            "chat": {"id": 7, "type": "private"},
            "from": {"id": 7, "is_bot": False, "first_name": "Lan"},
            "date": 1700000000,
            "old_chat_member": {
                "status": "member",
                "user": {"id": 1, "is_bot": True, "first_name": "B"},
            },
            "new_chat_member": {
                "status": "kicked",
                "until_date": 0,
                "user": {"id": 1, "is_bot": True, "first_name": "B"},
            },
        },
    }
    assert (await gateway.telegram(member))[1]["status"] == "ignored"
    assert (await gateway.telegram(fake_telegram.sticker_update(7)))[1]["status"] == "enqueued"
    assert (await gateway.telegram(fake_telegram.photo_update(7)))[1]["status"] == "enqueued"
    await fake_telegram.wait_until(lambda: len(fake_telegram.sent) == 2)
    assert all("chỉ đọc được tin nhắn chữ" in t for t in fake_telegram.texts_for(7))
    assert fake_rasa.received == []


async def test_malformed_updates_get_400(gateway_only: Gateway) -> None:
    headers = {
        "Content-Type": "application/json",
        "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET,
    }
    for body in (
        b"{",
        b'{"message": {}}',
        b'{"update_id": "x"}',
        b'{"update_id": 5, "message": {"text": 1}}',
    ):
        status, data = await gateway_only.post("/webhooks/telegram", body, headers)
        assert status == 400, (body, data)
    assert await _stream_len(gateway_only) == 0


async def test_buttons_are_an_inline_keyboard_and_a_click_is_a_payload(
    gateway: Gateway, fake_telegram: FakeTelegramApi, fake_rasa: FakeRasa
) -> None:
    await gateway.telegram(fake_telegram.text_update(55, "/menu"))
    await fake_telegram.wait_until(lambda: fake_telegram.sent)
    markup = fake_telegram.sent[0].reply_markup
    rows = markup["inline_keyboard"]
    assert [r[0]["text"] for r in rows] == ["Lệ phí", "Thời gian", "Cổng dịch vụ công"]
    assert rows[0][0]["callback_data"] == '/ask_fee{"procedure":"khai_sinh"}'
    assert rows[2][0]["url"] == "https://dichvucong.gov.vn"
    click = fake_telegram.callback_update(55, rows[0][0]["callback_data"])
    assert (await gateway.telegram(click))[1] == {"status": "enqueued"}
    await fake_telegram.wait_until(lambda: len(fake_telegram.sent) == 2)
    assert fake_rasa.messages_from("telegram:55")[-1] == '/ask_fee{"procedure":"khai_sinh"}'
    await fake_telegram.wait_until(lambda: fake_telegram.calls_of("answerCallbackQuery"))
    assert (
        fake_telegram.calls_of("answerCallbackQuery")[0]["callback_query_id"]
        == click["callback_query"]["id"]
    )


async def test_start_command_greets(
    gateway: Gateway, fake_telegram: FakeTelegramApi, fake_rasa: FakeRasa
) -> None:
    await gateway.telegram(fake_telegram.text_update(9, "/start"))
    await fake_telegram.wait_until(lambda: fake_telegram.sent)
    assert fake_rasa.received == [("telegram:9", "/greet")]


async def test_long_callback_payload_goes_by_reference(
    gw_settings: Settings, redis_client: Redis, fake_telegram: FakeTelegramApi
) -> None:
    async with running_gateway(gw_settings, redis=redis_client, dispatchers=0, outbox=False) as gw:
        tg = TelegramAdapter(
            bot=gw.bot,
            redis=redis_client,
            key_prefix=gw_settings.redis.key_prefix,
            webhook_secret=TELEGRAM_SECRET,
        )
        long_payload = '/ask_documents{"procedure":"thanh_lap_doanh_nghiep","aspect":"documents"}'
        await tg.send(
            "31",
            OutgoingMessage(text="Chọn:", buttons=(Button(title="Giấy tờ", payload=long_payload),)),
        )
        data = fake_telegram.sent[0].reply_markup["inline_keyboard"][0][0]["callback_data"]
        assert data.startswith("cb:") and len(data.encode()) <= 64
        from channels._choices import resolve_callback

        assert (
            await resolve_callback(redis_client, gw_settings.redis.key_prefix, data) == long_payload
        )


async def test_send_errors_are_classified(
    gw_settings: Settings, redis_client: Redis, fake_telegram: FakeTelegramApi
) -> None:
    async with running_gateway(gw_settings, redis=redis_client, dispatchers=0, outbox=False) as gw:
        tg = TelegramAdapter(
            bot=gw.bot,
            redis=redis_client,
            key_prefix=gw_settings.redis.key_prefix,
            webhook_secret="x",
        )
        fake_telegram.fail_next(1, status=429, retry_after=3)
        with pytest.raises(SendError) as err:
            await tg.send("1", OutgoingMessage(text="a"))
        assert err.value.retryable and err.value.retry_after == 3
        fake_telegram.fail_next(1, status=500)
        with pytest.raises(SendError) as err:
            await tg.send("1", OutgoingMessage(text="a"))
        assert err.value.retryable
        with pytest.raises(SendError) as err:
            await tg.send("403", OutgoingMessage(text="a"))
        assert not err.value.retryable and "blocked" in err.value.reason


async def test_long_polling_mode(
    gw_settings: Settings, redis_client: Redis, fake_telegram: FakeTelegramApi, fake_rasa: FakeRasa
) -> None:
    fake_telegram.updates.append(fake_telegram.text_update(77, "xin chào"))
    async with running_gateway(gw_settings, redis=redis_client, telegram_polling=True):
        await fake_telegram.wait_until(lambda: fake_telegram.sent)
        fake_telegram.updates.append(fake_telegram.text_update(77, "cảm ơn"))
        await fake_telegram.wait_until(lambda: len(fake_telegram.sent) == 2)
    assert fake_telegram.texts_for(77) == ["Bạn nói: xin chào", "Bạn nói: cảm ơn"]
    offset = await redis_client.get(f"{gw_settings.redis.key_prefix}telegram:offset")
    assert int(offset) > 0


async def test_webhook_command_sets_and_deletes(
    gw_settings: Settings, fake_telegram: FakeTelegramApi
) -> None:
    import dataclasses

    s = dataclasses.replace(
        gw_settings,
        gateway=dataclasses.replace(gw_settings.gateway, public_url="https://bot.example.vn"),
    )
    out = await webhook_command("set", s)
    assert out == "webhook set: https://bot.example.vn/webhooks/telegram"
    assert fake_telegram.webhook["url"] == "https://bot.example.vn/webhooks/telegram"
    assert fake_telegram.webhook["secret_token"] == TELEGRAM_SECRET
    assert fake_telegram.webhook["allowed_updates"] == ["message", "callback_query"]
    assert await webhook_command("delete", s) == "webhook deleted"
    assert fake_telegram.webhook == {}
