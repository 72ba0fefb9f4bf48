"""Button state kept in Redis: numbered choices (Zalo) and long callback data (Telegram)."""

from __future__ import annotations

import hashlib
import json

from redis.asyncio import Redis

from bot.outbox import Button, OutgoingMessage

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


async def remember_choices(
    redis: Redis, prefix: str, conversation: str, buttons: tuple[Button, ...]
) -> None:
    key = choices_key(prefix, conversation)
    if buttons:
        data = json.dumps([{"title": b.title, "payload": b.payload} for b in buttons])
        await redis.set(key, data, ex=_CHOICES_TTL_S)
    else:
        await redis.delete(key)


async def take_choice(redis: Redis, prefix: str, conversation: str, text: str) -> str | None:
    raw = await redis.get(choices_key(prefix, conversation))
    if not raw:
        return None
    payload = resolve_choice(text, json.loads(raw))
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
