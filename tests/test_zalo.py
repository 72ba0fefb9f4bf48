"""Zalo OA channel: signature, parsing, de-duplication, sending, token refresh."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from bot.outbox import OutgoingMessage, enqueue
from channels import inbound_stream
from tests.fakes.harness import Gateway
from tests.fakes.rasa import FakeRasa
from tests.fakes.zalo import FakeZaloApi, signed, text_event


async def _stream_len(gw: Gateway) -> int:
    return await gw.redis.xlen(inbound_stream(gw.settings.redis.key_prefix))


async def test_text_message_is_answered_once(
    gateway: Gateway, fake_zalo: FakeZaloApi, fake_rasa: FakeRasa
) -> None:
    status, data = await gateway.zalo("8437000001", "xin chào")
    assert (status, data) == (200, {"status": "enqueued"})
    await fake_zalo.wait_until(lambda: fake_zalo.sent)
    assert fake_zalo.texts_for("8437000001") == ["Bạn nói: xin chào"]
    assert fake_rasa.received == [("zalo:8437000001", "xin chào")]
    assert fake_zalo.sent[0].access_token == "AT-1"


async def test_missing_signature_is_401_and_nothing_enqueued(gateway_only: Gateway) -> None:
    body, headers = signed(text_event("1", "hi"))
    del headers["X-ZEvent-Signature"]
    status, data = await gateway_only.post("/webhooks/zalo", body, headers)
    assert status == 401
    assert "X-ZEvent-Signature" in data["error"]
    assert await _stream_len(gateway_only) == 0


async def test_wrong_signature_is_401(gateway_only: Gateway) -> None:
    body, headers = signed(text_event("1", "hi"), secret="not-the-secret")
    assert (await gateway_only.post("/webhooks/zalo", body, headers))[0] == 401
    # a body changed after signing
    body, headers = signed(text_event("1", "hi"))
    tampered = body.replace(b'"hi"', b'"ho"')
    assert (await gateway_only.post("/webhooks/zalo", tampered, headers))[0] == 401
    assert await _stream_len(gateway_only) == 0


async def test_replayed_delivery_is_enqueued_once(gateway_only: Gateway) -> None:
    body, headers = signed(text_event("1", "hi", msg_id="m-1"))
    first = await gateway_only.post("/webhooks/zalo", body, headers)
    second = await gateway_only.post("/webhooks/zalo", body, headers)
    assert first == (200, {"status": "enqueued"})
    assert second == (200, {"status": "duplicate"})
    assert await _stream_len(gateway_only) == 1


async def test_other_events_are_200_and_ignored(gateway_only: Gateway) -> None:
    for name in ("follow", "unfollow", "user_submit_info", "oa_send_text", "brand_new_event"):
        event = text_event("1", "x")
        event["event_name"] = name
        body, headers = signed(event)
        status, data = await gateway_only.post("/webhooks/zalo", body, headers)
        assert status == 200 and data["status"] == "ignored", name
    assert await _stream_len(gateway_only) == 0


async def test_sticker_gets_a_text_only_notice(
    gateway: Gateway, fake_zalo: FakeZaloApi, fake_rasa: FakeRasa
) -> None:
    event = text_event("77", "")
    event["event_name"] = "user_send_sticker"
    event["message"] = {"msg_id": "st-1", "attachments": [{"type": "sticker", "payload": {}}]}
    body, headers = signed(event)
    assert (await gateway.post("/webhooks/zalo", body, headers))[0] == 200
    await fake_zalo.wait_until(lambda: fake_zalo.sent)
    assert "chỉ đọc được tin nhắn chữ" in fake_zalo.texts_for("77")[0]
    assert fake_rasa.received == []


async def test_bad_inputs_get_clear_answers(gateway_only: Gateway) -> None:
    body, headers = signed(text_event("1", "hi"))
    # wrong content type
    status, _ = await gateway_only.post(
        "/webhooks/zalo", body, {**headers, "Content-Type": "text/plain"}
    )
    assert status == 415
    # malformed JSON (signed as it is: the JSON check comes first)
    status, data = await gateway_only.post("/webhooks/zalo", b"{not json", headers)
    assert status == 400 and "JSON" in data["error"]
    # too large
    big = text_event("1", "a" * 100_000)
    b, h = signed(big)
    status, data = await gateway_only.post("/webhooks/zalo", b, h)
    assert status == 413
    # a JSON array
    status, _ = await gateway_only.post("/webhooks/zalo", b"[1,2]", headers)
    assert status == 400
    # a text event without msg_id
    ev = text_event("1", "hi")
    del ev["message"]["msg_id"]
    b, h = signed(ev)
    status, data = await gateway_only.post("/webhooks/zalo", b, h)
    assert status == 400 and "msg_id" in data["error"]
    assert await _stream_len(gateway_only) == 0


async def test_expired_token_is_refreshed_and_new_refresh_token_stored(
    gateway: Gateway, fake_zalo: FakeZaloApi, redis_client: Redis
) -> None:
    fake_zalo.expire_tokens()
    await gateway.zalo("555", "xin chào")
    await fake_zalo.wait_until(lambda: fake_zalo.sent)
    assert fake_zalo.texts_for("555") == ["Bạn nói: xin chào"]
    assert len(fake_zalo.refresh_calls) == 1
    call = fake_zalo.refresh_calls[0]
    assert call == {
        "refresh_token": "RT-1",
        "app_id": "app-1",
        "grant_type": "refresh_token",
        "secret_key": "app-secret",
    }
    p = gateway.settings.redis.key_prefix
    assert await redis_client.get(f"{p}zalo:refresh_token") == fake_zalo.refresh_token.encode()
    assert (
        await redis_client.get(f"{p}zalo:access_token") == fake_zalo.sent[0].access_token.encode()
    )
    # the next message uses the new token without another refresh
    await gateway.zalo("555", "cảm ơn")
    await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 2)
    assert len(fake_zalo.refresh_calls) == 1


async def test_buttons_are_numbered_text_and_a_number_picks_one(
    gateway: Gateway, fake_zalo: FakeZaloApi, fake_rasa: FakeRasa
) -> None:
    await gateway.zalo("42", "/menu")
    await fake_zalo.wait_until(lambda: fake_zalo.sent)
    text = fake_zalo.texts_for("42")[0]
    assert text.startswith("Bạn muốn biết gì về khai sinh?")
    assert "1. Lệ phí" in text and "2. Thời gian" in text
    assert "3. Cổng dịch vụ công: https://dichvucong.gov.vn" in text
    await gateway.zalo("42", "2")
    await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 2)
    assert fake_rasa.messages_from("zalo:42")[-1] == '/ask_duration{"procedure":"khai_sinh"}'
    # the choice is used once: a later "2" is plain text
    await gateway.zalo("42", "2")
    await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 3)
    assert fake_rasa.messages_from("zalo:42")[-1] == "2"


async def test_ids_sent_as_numbers_are_kept_exact(gateway_only: Gateway) -> None:
    event = text_event("1", "hi")
    raw = json.dumps(event).replace('"id": "1"', '"id": 6557012323129373216')
    event2 = json.loads(raw)
    body, headers = signed(event2)
    assert (await gateway_only.post("/webhooks/zalo", body, headers))[0] == 200
    entries = await gateway_only.redis.xrange(
        inbound_stream(gateway_only.settings.redis.key_prefix)
    )
    assert entries[0][1][b"sender"] == b"6557012323129373216"


async def test_a_later_message_retires_the_numbered_choices(
    gateway: Gateway, fake_zalo: FakeZaloApi, fake_rasa: FakeRasa, redis_client: Redis
) -> None:
    await gateway.zalo("43", "/menu")
    await fake_zalo.wait_until(lambda: fake_zalo.sent)
    # another producer (the dossier notifier) writes to the citizen meanwhile
    await enqueue(
        redis_client,
        key_prefix=gateway.settings.redis.key_prefix,
        channel="zalo",
        recipient="43",
        message=OutgoingMessage(text="Hồ sơ của bạn đã có kết quả."),
        idempotency_key="n-43",
        origin="notifier",
    )
    await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 2)
    await gateway.zalo("43", "2")
    await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 3)
    assert fake_rasa.messages_from("zalo:43")[-1] == "2"


async def test_a_token_rotated_by_another_process_is_used_without_a_refresh(
    gateway: Gateway, fake_zalo: FakeZaloApi, redis_client: Redis
) -> None:
    await gateway.zalo("556", "xin chào")  # this process now holds AT-1 in memory
    await fake_zalo.wait_until(lambda: fake_zalo.sent)
    p = gateway.settings.redis.key_prefix
    await redis_client.set(f"{p}zalo:access_token", "AT-9")  # refreshed elsewhere
    fake_zalo.valid_access_tokens = {"AT-9"}
    await gateway.zalo("556", "cảm ơn")
    await fake_zalo.wait_until(lambda: len(fake_zalo.sent) == 2)
    assert [(a.access_token, a.ok) for a in fake_zalo.attempts] == [
        ("AT-1", True),
        ("AT-1", False),
        ("AT-9", True),
    ]
    assert fake_zalo.refresh_calls == []
