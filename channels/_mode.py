"""Conversation mode: ``bot`` (Rasa answers) or ``agent`` (an official holds it).

The handoff work sets the mode with :func:`set_mode`; while a conversation is in ``agent``
mode the dispatcher sends nothing to Rasa and appends each citizen message to the stream
``{prefix}handoff:inbox`` for the agent console.
"""

from __future__ import annotations

import time

from redis.asyncio import Redis

from ._keys import handoff_stream, mode_key
from ._message import IncomingMessage

BOT = "bot"
AGENT = "agent"
MODES = (BOT, AGENT)


def mode_from(raw: bytes | str | None) -> str:
    """The mode stored at ``mode_key`` (as read from Redis; absent or unknown = ``bot``)."""
    mode = raw.decode() if isinstance(raw, bytes) else raw
    return mode if mode in MODES else BOT


async def get_mode(redis: Redis, key_prefix: str, conversation: str) -> str:
    return mode_from(await redis.get(mode_key(key_prefix, conversation)))


async def set_mode(
    redis: Redis, key_prefix: str, conversation: str, mode: str, *, ttl_s: int | None = None
) -> None:
    """Set a conversation's mode; ``bot`` removes the key (the default)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    if mode == BOT:
        await redis.delete(mode_key(key_prefix, conversation))
    else:
        await redis.set(mode_key(key_prefix, conversation), mode, ex=ttl_s)


async def push_handoff(
    redis: Redis, key_prefix: str, message: IncomingMessage, *, text: str, maxlen: int = 100_000
) -> str:
    """Queue a citizen message for the console; returns the stream id."""
    eid = await redis.xadd(
        handoff_stream(key_prefix),
        {
            "conversation_id": message.conversation_id,
            "channel": message.channel,
            "recipient": message.sender,
            "message_id": message.uid,
            "text": text,
            "received_at": f"{message.received_at:.3f}",
            "queued_at": f"{time.time():.3f}",
        },
        maxlen=maxlen,
        approximate=True,
    )
    return eid.decode() if isinstance(eid, bytes) else str(eid)
