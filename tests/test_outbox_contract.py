"""The outbox contract: idempotent enqueue into a Redis Stream, conversation ids."""

from __future__ import annotations

import pytest

from bot.outbox import (
    Button,
    OutgoingMessage,
    conversation_id,
    enqueue,
    split_conversation_id,
)


def test_conversation_ids_round_trip() -> None:
    for channel, recipient in [("zalo", "84123"), ("telegram", "-1001"), ("web", "abc:def")]:
        assert split_conversation_id(conversation_id(channel, recipient)) == (channel, recipient)
    assert split_conversation_id("plain-rest-sender") == ("rest", "plain-rest-sender")
    assert split_conversation_id("unknown:thing") == ("rest", "unknown:thing")


def test_message_json_round_trip() -> None:
    msg = OutgoingMessage(text="Chào bạn", buttons=(Button(title="Có", payload="/affirm"),))
    assert OutgoingMessage.from_json(msg.to_json()) == msg


async def test_enqueue_is_idempotent(redis_client, key_prefix: str) -> None:
    msg = OutgoingMessage(text="Hồ sơ của bạn đã có kết quả")
    first = await enqueue(
        redis_client,
        key_prefix=key_prefix,
        channel="zalo",
        recipient="1",
        message=msg,
        idempotency_key="notify:x:9",
        origin="test",
    )
    second = await enqueue(
        redis_client,
        key_prefix=key_prefix,
        channel="zalo",
        recipient="1",
        message=msg,
        idempotency_key="notify:x:9",
        origin="test",
    )
    assert first is not None and second is None
    entries = await redis_client.xrange(f"{key_prefix}outbox")
    assert len(entries) == 1
    fields = entries[0][1]
    assert fields[b"channel"] == b"zalo" and fields[b"recipient"] == b"1"
    assert OutgoingMessage.from_json(fields[b"message"]) == msg


async def test_enqueue_rejects_unknown_channel(redis_client, key_prefix: str) -> None:
    with pytest.raises(ValueError):
        await enqueue(
            redis_client,
            key_prefix=key_prefix,
            channel="fax",
            recipient="1",
            message=OutgoingMessage(text="x"),
            idempotency_key="k",
            origin="test",
        )
