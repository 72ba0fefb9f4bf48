"""Button state kept in Redis: numbered choices (Zalo) and long callback data (Telegram)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from redis.asyncio import Redis

from bot.outbox import Button, OutgoingMessage, order_key

from ._adapter import is_link
from ._keys import callback_ref_key, choices_key

CALLBACK_REF_PREFIX = "cb:"
TELEGRAM_CALLBACK_MAX_BYTES = 64
_CHOICES_TTL_S = 24 * 3600
_CALLBACK_TTL_S = 30 * 24 * 3600


def render_numbered(message: OutgoingMessage) -> str:
    """Text with the buttons as a numbered list, for platforms without buttons."""
    if not message.buttons:
        return message.text
    lines = [message.text.rstrip(), ""] if message.text.strip() else []
    for i, b in enumerate(message.buttons, start=1):
        lines.append(f"{i}. {b.title}: {b.payload}" if is_link(b.payload) else f"{i}. {b.title}")
    if any(not is_link(b.payload) for b in message.buttons):
        lines.append("(Bạn trả lời bằng số thứ tự để chọn.)")
    return "\n".join(lines)


def resolve_choice(text: str, buttons: list[dict[str, str]]) -> str | None:
    """The payload chosen by a reply such as ``"2"``, or None when it is not a choice."""
    t = text.strip().rstrip(".")
    if not t.isdigit():
        return None
    i = int(t)
    if 1 <= i <= len(buttons) and not is_link(buttons[i - 1]["payload"]):
        return buttons[i - 1]["payload"]
    return None


# Choices are saved with the outbox ``seq`` of the message that showed them and count only
# while that message is still the conversation's latest one (its outbox ``seq``): a later
# message, with or without buttons, from any producer, retires them without a write.


async def remember_choices(
    redis: Redis, prefix: str, conversation: str, buttons: tuple[Button, ...], *, seq: int | None
) -> None:
    """Save the buttons a message shows as numbered text (``seq``: its outbox number)."""
    data = {"seq": seq, "buttons": [{"title": b.title, "payload": b.payload} for b in buttons]}
    await redis.set(choices_key(prefix, conversation), json.dumps(data), ex=_CHOICES_TTL_S)


def choice_from(raw: bytes | str | None, text: str, *, latest_seq: Any = None) -> str | None:
    """The payload ``text`` picks from the saved choices ``raw`` (as read from Redis), if
    they are still current: ``latest_seq`` is the conversation's outbox ``seq`` field."""
    if not raw:
        return None
    data = json.loads(raw)
    if isinstance(data, dict):
        seq = data.get("seq")
        if seq is not None and latest_seq is not None and int(latest_seq) != seq:
            return None
        data = data.get("buttons") or []
    return resolve_choice(text, data)


async def take_choice(
    redis: Redis,
    prefix: str,
    conversation: str,
    text: str,
    *,
    raw: bytes | str | None = None,
    latest_seq: Any = None,
) -> str | None:
    """The payload chosen by ``text``, used once; ``raw``/``latest_seq``: already read."""
    if raw is None:
        async with redis.pipeline(transaction=False) as pipe:
            pipe.get(choices_key(prefix, conversation))
            pipe.hget(order_key(prefix, conversation), "seq")
            raw, latest_seq = await pipe.execute()
    payload = choice_from(raw, text, latest_seq=latest_seq)
    if payload is not None:
        await redis.delete(choices_key(prefix, conversation))
    return payload


async def callback_data_for(redis: Redis, prefix: str, payload: str) -> str:
    """Telegram allows 64 bytes of callback data; longer payloads are stored and referenced."""
    if len(payload.encode()) <= TELEGRAM_CALLBACK_MAX_BYTES and not payload.startswith(
        CALLBACK_REF_PREFIX
    ):
        return payload
    ref = hashlib.sha256(payload.encode()).hexdigest()[:24]
    await redis.set(callback_ref_key(prefix, ref), payload, ex=_CALLBACK_TTL_S)
    return CALLBACK_REF_PREFIX + ref


async def resolve_callback(redis: Redis, prefix: str, data: str) -> str:
    if not data.startswith(CALLBACK_REF_PREFIX):
        return data
    raw = await redis.get(callback_ref_key(prefix, data[len(CALLBACK_REF_PREFIX) :]))
    if raw is None:
        return data
    return raw.decode() if isinstance(raw, bytes) else str(raw)
