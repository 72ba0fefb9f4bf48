"""Accepting a citizen's message: de-duplicate, rate-limit, number and append, atomically."""

from __future__ import annotations

import time
from dataclasses import dataclass

from redis.asyncio import Redis

from bot.outbox import OutgoingMessage, enqueue

from ._keys import (
    choices_key,
    dedupe_key,
    inbound_order_key,
    inbound_stream,
    metrics_key,
    mode_key,
    rate_key,
    rate_notice_key,
)
from ._lua import LuaScript
from ._message import IncomingMessage

_ORDER_TTL_S = 30 * 24 * 3600
RATE_LIMIT_NOTICE = (
    "Bạn gửi nhanh quá, tôi chưa kịp đọc hết. Bạn vui lòng chờ một chút rồi nhắn lại giúp tôi nhé."
)

# One script, so that a crash can never leave a message marked as seen but not appended
# (lost) or appended twice. Returns {status, detail}.
# It also notes on the entry (``ready`` = 1) when, as it is appended, every earlier message
# of the conversation is done and the conversation has no mode (agent) and no saved
# choices: the dispatcher may then skip reading them (see ``_dispatcher``).
# The flood limit is a sliding window (a sorted set of accepted message ids scored by their
# time): a fixed window let a burst straddling its edge through twice over.
_ACCEPT = LuaScript("""
local ch = ARGV[1]
redis.call('HINCRBY', KEYS[5], 'received|channel=' .. ch, 1)
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then
  redis.call('HINCRBY', KEYS[5], 'duplicates|channel=' .. ch, 1)
  return {'duplicate', ''}
end
local now = tonumber(ARGV[7])
local window = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
  redis.call('HINCRBY', KEYS[5], 'rate_limited|channel=' .. ch, 1)
  if redis.call('SET', KEYS[8], '1', 'NX', 'PX', window) then
    return {'rate_limited', '1'}
  end
  return {'rate_limited', '0'}
end
redis.call('ZADD', KEYS[2], now, ARGV[8])
redis.call('PEXPIRE', KEYS[2], window + 1000)
local seq = redis.call('HINCRBY', KEYS[3], 'seq', 1)
redis.call('EXPIRE', KEYS[3], ARGV[6])
local args = {'XADD', KEYS[4], 'MAXLEN', '~', ARGV[5], '*', 'seq', tostring(seq)}
local done = tonumber(redis.call('HGET', KEYS[3], 'done') or '0')
if done == seq - 1 and redis.call('EXISTS', KEYS[6], KEYS[7]) == 0 then
  args[#args + 1] = 'ready'
  args[#args + 1] = '1'
end
for i = 9, #ARGV do args[#args + 1] = ARGV[i] end
local id = redis.call(unpack(args))
redis.call('HINCRBY', KEYS[5], 'enqueued|channel=' .. ch, 1)
return {'enqueued', id}
""")


@dataclass(frozen=True, kw_only=True)
class AcceptResult:
    status: str  # "enqueued" | "duplicate" | "rate_limited"
    entry_id: str | None = None
    notice_sent: bool = False


async def accept(
    redis: Redis,
    message: IncomingMessage,
    *,
    key_prefix: str,
    dedupe_ttl_s: int,
    rate_limit: int,
    rate_window_s: int,
    maxlen: int,
    now: float | None = None,
) -> AcceptResult:
    """Append ``message`` to the inbound stream unless it is a replay or a flood.

    At most ``rate_limit`` messages of a conversation are accepted in any
    ``rate_window_s`` seconds. The first message over the limit gets a polite notice
    through the outbox (at most one per window); the rest are dropped quietly.
    """
    conv = message.conversation_id
    argv: list[str | int] = [
        message.channel,
        dedupe_ttl_s,
        rate_limit,
        rate_window_s * 1000,
        maxlen,
        _ORDER_TTL_S,
        int((now if now is not None else time.time()) * 1000),
        message.message_id,
    ]
    for k, v in message.to_fields().items():
        argv += [k, v]
    status, detail = await _ACCEPT(
        redis,
        [
            dedupe_key(key_prefix, message.channel, message.message_id),
            rate_key(key_prefix, conv),
            inbound_order_key(key_prefix, conv),
            inbound_stream(key_prefix),
            metrics_key(key_prefix),
            mode_key(key_prefix, conv),
            choices_key(key_prefix, conv),
            rate_notice_key(key_prefix, conv),
        ],
        argv,
    )
    status = status.decode() if isinstance(status, bytes) else str(status)
    detail = detail.decode() if isinstance(detail, bytes) else str(detail)
    if status == "enqueued":
        return AcceptResult(status=status, entry_id=detail)
    if status == "rate_limited":
        notice = detail == "1"
        if notice:
            await enqueue(
                redis,
                key_prefix=key_prefix,
                channel=message.channel,
                recipient=message.sender,
                message=OutgoingMessage(text=RATE_LIMIT_NOTICE),
                idempotency_key=f"ratelimit:{conv}:{message.message_id}",
                origin="gateway",
            )
        return AcceptResult(status=status, notice_sent=notice)
    return AcceptResult(status=status)
