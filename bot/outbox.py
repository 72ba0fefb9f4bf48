"""The outbox contract: how any process asks for a message to be delivered to a citizen.

Producers (the gateway's dispatcher, the dossier notifier) append to one Redis Stream;
the gateway's outbox worker delivers each entry through the right channel with retries,
and moves entries that still fail to a dead-letter stream. Producers never talk to a
platform themselves.

Stream ``{prefix}outbox``, one entry per message, fields (all strings):

* ``channel``: ``zalo`` | ``telegram`` | ``web`` | ``rest``
* ``recipient``: the platform's user/chat id (``sender.id`` for Zalo, chat id for Telegram,
  the web session id, or the REST sender id)
* ``message``: JSON ``{"text": str, "buttons": [{"title": str, "payload": str}, ...]}``
* ``idempotency_key``: unique per logical message; a second enqueue with the same key is
  dropped here, so a producer that restarts mid-way cannot send twice
* ``origin``: who produced it (``dispatcher``, ``notifier``, ...)
* ``created_at``: epoch seconds
* ``seq``: the message's number within its conversation (1, 2, ...), kept in the hash
  ``{prefix}outbox:conv:<conversation id>`` (field ``seq``; the worker records ``done``),
  so that the outbox worker delivers one conversation's messages in order

Conversation ids (Rasa sender ids) are ``<channel>:<recipient>``; a sender id without a
channel prefix belongs to the plain REST channel.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

CHANNELS = ("zalo", "telegram", "web", "rest")
OUTBOX_STREAM = "outbox"
DEAD_LETTER_STREAM = "outbox:dead"
# The one definition of an outbox append, as a Lua function so that other scripts (the
# gateway's dispatcher) can embed it and append replies atomically with their own writes.
# Returns the entry id, or false when ``idem_key`` was already used.
OUTBOX_APPEND_LUA = """
local function outbox_append(idem_key, stream, order_key, idem_ttl, maxlen, channel,
                             recipient, message, idempotency_key, origin, created_at, order_ttl)
  if not redis.call('SET', idem_key, '1', 'NX', 'EX', idem_ttl) then
    return false
  end
  local seq = redis.call('HINCRBY', order_key, 'seq', 1)
  redis.call('EXPIRE', order_key, order_ttl)
  return redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*',
    'channel', channel, 'recipient', recipient, 'message', message,
    'idempotency_key', idempotency_key, 'origin', origin, 'created_at', created_at,
    'seq', tostring(seq))
end
"""
_ENQUEUE_LUA = (
    OUTBOX_APPEND_LUA
    + """
return outbox_append(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5],
                     ARGV[6], ARGV[7], ARGV[8], ARGV[9])
"""
)
IDEMPOTENCY_TTL_S = 7 * 24 * 3600
ORDER_TTL_S = 30 * 24 * 3600


@dataclass(frozen=True, kw_only=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True, kw_only=True)
class OutgoingMessage:
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        return json.dumps(
            {
                "text": self.text,
                "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> OutgoingMessage:
        data: dict[str, Any] = json.loads(raw)
        return cls(
            text=str(data.get("text") or ""),
            buttons=tuple(
                Button(title=str(b["title"]), payload=str(b["payload"]))
                for b in data.get("buttons") or []
            ),
        )


def order_key(key_prefix: str, conversation: str) -> str:
    """The hash holding a conversation's outbox sequence (``seq``) and progress (``done``)."""
    return f"{key_prefix}outbox:conv:{conversation}"


def idempotency_redis_key(key_prefix: str, idempotency_key: str) -> str:
    """The key that remembers an idempotency key was used (``SET NX``, a week)."""
    return f"{key_prefix}outbox:idem:{idempotency_key}"


def conversation_id(channel: str, recipient: str) -> str:
    """The Rasa sender id of a citizen on a channel: ``zalo:123``."""
    return recipient if channel == "rest" else f"{channel}:{recipient}"


def split_conversation_id(sender_id: str) -> tuple[str, str]:
    """``"zalo:123"`` → ``("zalo", "123")``; an unprefixed id is the REST channel's."""
    channel, sep, recipient = sender_id.partition(":")
    if sep and channel in CHANNELS and recipient:
        return channel, recipient
    return "rest", sender_id


async def enqueue(
    redis: Redis,
    *,
    key_prefix: str,
    channel: str,
    recipient: str,
    message: OutgoingMessage,
    idempotency_key: str,
    origin: str,
    maxlen: int = 100_000,
) -> str | None:
    """Append a message to the outbox; returns the stream id, or None for a duplicate."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    # One Lua call: the idempotency claim and the append happen together or not at all,
    # so a crash between them can neither lose the message nor let it be sent twice.
    entry_id = await redis.eval(
        _ENQUEUE_LUA,
        3,
        idempotency_redis_key(key_prefix, idempotency_key),
        f"{key_prefix}{OUTBOX_STREAM}",
        order_key(key_prefix, conversation_id(channel, recipient)),
        IDEMPOTENCY_TTL_S,
        maxlen,
        channel,
        recipient,
        message.to_json(),
        idempotency_key,
        origin,
        f"{time.time():.3f}",
        ORDER_TTL_S,
    )
    if not entry_id:
        return None
    return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
