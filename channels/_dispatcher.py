"""Dispatcher workers: inbound stream → Rasa (or the agent console) → outbox.

Per message the dispatcher makes two Redis round trips besides reading the stream: one
pipeline that checks the message's turn and reads the conversation's mode and saved
choices, and one script that appends the replies to the outbox, marks the message done
and acknowledges it, all at once. When the outbox worker runs in the same process, the
script also reads the new outbox entries for it (``XREADGROUP`` under its name), so the
replies leave without waiting for its next read; they are in the outbox stream and its
pending list like any other entry (retries, dead letters, order, claim after a crash).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from redis.asyncio import Redis

from bot.logs import get_logger
from bot.outbox import (
    CHANNELS,
    IDEMPOTENCY_TTL_S,
    OUTBOX_APPEND_LUA,
    OUTBOX_STREAM,
    OutgoingMessage,
    conversation_id,
    enqueue,
    idempotency_redis_key,
    order_key,
)
from bot.settings import Settings

from ._backoff import backoff_delay
from ._choices import resolve_callback, take_choice
from ._consumer import (
    FINISH_LUA,
    ORDER_TTL_S,
    REDIS_DOWN,
    Finished,
    OrderedConsumer,
    OrderSignals,
    StreamEntry,
)
from ._keys import (
    DISPATCH_GROUP,
    OUTBOX_GROUP,
    choices_key,
    inbound_order_key,
    inbound_stream,
    metrics_key,
    mode_key,
)
from ._lua import LuaScript
from ._message import IncomingMessage
from ._metrics import Counters, field_name
from ._mode import AGENT, mode_from, push_handoff
from ._rasa import RasaClient, RasaError, RasaUnavailable

log = get_logger(__name__)

UNSUPPORTED_NOTICE = (
    "Xin lỗi, hiện tôi chỉ đọc được tin nhắn chữ. Bạn vui lòng gõ câu hỏi giúp tôi nhé."
)
APOLOGY = (
    "Xin lỗi, tôi đang gặp trục trặc nên chưa trả lời được câu này. "
    "Bạn vui lòng thử lại sau ít phút nhé."
)
_RASA_ERRORS_BEFORE_APOLOGY = 3
_READY_HINT_MAX_AGE_S = 1.0

# Replies in, message done and acknowledged, in one atomic step: a crash leaves either
# nothing (the message is handled again) or everything. Idempotency keys make a second
# run append nothing, so it is safe to retry after a lost connection.
_DELIVER = LuaScript(
    OUTBOX_APPEND_LUA
    + FINISH_LUA
    + """
-- KEYS: 1 inbound stream, 2 its order hash, 3 metrics hash, 4 outbox stream,
--       5 the conversation's outbox order hash, 6.. one idempotency key per reply
-- ARGV: 1 dispatch group, 2 entry id, 3 seq or '', 4 order ttl, 5 'dispatched' field,
--       6 outbox group, 7 local outbox consumer or '', 8 idempotency ttl, 9 outbox maxlen,
--       10 channel, 11 recipient, 12 created_at, then per reply: idempotency key, message
local out_done = tonumber(redis.call('HGET', KEYS[5], 'done') or '0')
local appended = 0
for i = 6, #KEYS do
  local a = 13 + (i - 6) * 2
  if outbox_append(KEYS[i], KEYS[4], KEYS[5], ARGV[8], ARGV[9], ARGV[10], ARGV[11],
                   ARGV[a + 1], ARGV[a], 'dispatcher', ARGV[12], ARGV[4]) then
    appended = appended + 1
  end
end
local fin = finish_entry(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
if fin[1] == 1 then
  redis.call('HINCRBY', KEYS[3], ARGV[5], 1)
end
local claimed = false
if ARGV[7] ~= '' and appended > 0 then
  local res = redis.pcall('XREADGROUP', 'GROUP', ARGV[6], ARGV[7], 'COUNT', appended,
                          'STREAMS', KEYS[4], '>')
  if type(res) == 'table' and not res.err then
    claimed = res
  end
end
return {fin[1], fin[2], out_done, claimed}
"""
)


def _read_entries(claimed: Any) -> list[tuple[Any, dict[Any, Any]]]:
    """``XREADGROUP``'s answer as returned through a script: [[stream, [[id, [k, v, ...]]]]]."""
    items: list[tuple[Any, dict[Any, Any]]] = []
    for _stream, entries in claimed or []:
        for eid, flat in entries:
            items.append((eid, dict(zip(flat[::2], flat[1::2], strict=True))))
    return items


class Dispatcher:
    """One dispatcher consumer; several may run in one or many processes.

    ``counters``: shared batched metrics (else its own, flushed by :meth:`run`);
    ``outbox``: the consumer of an outbox worker in the same process, which then gets the
    replies directly; ``signals``: shared by the dispatchers of one process.
    """

    def __init__(
        self,
        *,
        redis: Redis,
        rasa: RasaClient,
        settings: Settings,
        consumer: str,
        counters: Counters | None = None,
        outbox: OrderedConsumer | None = None,
        signals: OrderSignals | None = None,
    ) -> None:
        self._redis = redis
        self._rasa = rasa
        self._settings = settings
        self._prefix = settings.redis.key_prefix
        self._own_counters = counters is None
        self._counters = counters or Counters(redis=redis, key_prefix=self._prefix)
        self._outbox = outbox
        g = settings.gateway
        self.consumer = OrderedConsumer(
            redis=redis,
            stream=inbound_stream(self._prefix),
            group=DISPATCH_GROUP,
            consumer=consumer,
            handler=self.handle,
            lane_of=lambda f: conversation_id(f["channel"], f["sender"]),
            order_key_of=lambda lane: inbound_order_key(self._prefix, lane),
            concurrency=g.worker_concurrency,
            claim_min_idle_ms=g.claim_min_idle_ms,
            order_wait_max_s=g.order_wait_max_s,
            on_give_up=self._give_up,
            prefetch=self._prefetch,
            ready_hint=self._ready_at_accept,
            signals=signals,
        )

    async def run(self) -> None:
        if self._own_counters:
            await self._counters.run_beside(self.consumer.run)
        else:
            await self.consumer.run()

    @staticmethod
    def _ready_at_accept(entry: StreamEntry) -> bool:
        """The gateway saw, as it appended this message, that its turn had come and that
        the conversation had no mode and no saved choices (``ready``). The turn holds until
        the message is handled (nothing else can finish it: it is fresh); the mode and
        choices are trusted for one second after acceptance (the stream id's clock), so a
        handoff takes effect for messages that arrive later than a second before it."""
        if entry.fields.get("ready") != "1":
            return False
        age = time.time() - int(entry.id.split("-", 1)[0]) / 1000
        return 0 <= age < _READY_HINT_MAX_AGE_S

    def _prefetch(self, pipe: Any, entry: StreamEntry) -> None:
        # Read with the turn check (one round trip): the mode, the saved choices and the
        # conversation's latest outbox number (the choices count only if they are its).
        pipe.get(mode_key(self._prefix, entry.lane))
        pipe.get(choices_key(self._prefix, entry.lane))
        pipe.hget(order_key(self._prefix, entry.lane), "seq")

    async def handle(self, entry: StreamEntry) -> Finished | None:
        msg = IncomingMessage.from_fields(entry.fields)
        conv = msg.conversation_id
        raw_mode, raw_choices, latest_seq = entry.prefetched or (None, None, None)
        if msg.kind == "unsupported":
            return await self._deliver(entry, msg, [OutgoingMessage(text=UNSUPPORTED_NOTICE)])
        text = await self._user_text(msg, raw_choices, latest_seq)
        if mode_from(raw_mode) == AGENT:
            await push_handoff(self._redis, self._prefix, msg, text=text)
            self._counters.add("handoff", channel=msg.channel)
            log.info("gateway.dispatch.handoff", conversation=conv)
            return None
        started = time.monotonic()
        replies = await self._ask_rasa(conv, text)
        finished = await self._deliver(entry, msg, replies)
        # Let an outbox worker of this process start sending the replies before we log.
        await asyncio.sleep(0)
        log.info(
            "gateway.dispatch.ok",
            conversation=conv,
            replies=len(replies),
            ms=round((time.monotonic() - started) * 1000, 1),
        )
        return finished

    async def _user_text(self, msg: IncomingMessage, raw_choices: Any, latest_seq: Any) -> str:
        if msg.kind == "payload" and msg.payload:
            return await resolve_callback(self._redis, self._prefix, msg.payload)
        # A numbered choice ("2") on a channel that showed buttons as numbered text.
        if not raw_choices:
            return msg.text
        choice = await take_choice(
            self._redis,
            self._prefix,
            msg.conversation_id,
            msg.text,
            raw=raw_choices,
            latest_seq=latest_seq,
        )
        return choice if choice is not None else msg.text

    async def _ask_rasa(self, conv: str, text: str) -> list[OutgoingMessage]:
        unavailable = errors = 0
        while True:
            try:
                return await self._rasa.say(sender=conv, message=text)
            except RasaUnavailable as exc:
                # Rasa down or restarting: the message waits (unacknowledged) and is
                # answered once Rasa is back; the consumer keeps it from being claimed.
                unavailable += 1
                if unavailable in (1, 10) or unavailable % 100 == 0:
                    log.warning(
                        "gateway.rasa.unavailable",
                        conversation=conv,
                        attempt=unavailable,
                        error=str(exc),
                    )
                self._counters.add("rasa_errors", kind="unavailable")
                g = self._settings.gateway
                await asyncio.sleep(
                    backoff_delay(unavailable, base_s=0.2, max_s=g.rasa_retry_max_s)
                )
            except RasaError as exc:
                errors += 1
                self._counters.add("rasa_errors", kind="error")
                log.error("gateway.rasa.error", conversation=conv, attempt=errors, error=str(exc))
                if errors >= _RASA_ERRORS_BEFORE_APOLOGY:
                    return [OutgoingMessage(text=APOLOGY)]
                await asyncio.sleep(backoff_delay(errors, base_s=0.5, max_s=5.0))

    async def _deliver(
        self, entry: StreamEntry, msg: IncomingMessage, replies: list[OutgoingMessage]
    ) -> Finished:
        if msg.channel not in CHANNELS:
            raise ValueError(f"unknown channel {msg.channel!r}")
        p = self._prefix
        # Keys derived from the inbound message: a message handled twice (claimed after a
        # crash) cannot produce its replies twice.
        idem = [f"reply:{msg.uid}:{i}" for i in range(len(replies))]
        finish_keys, finish_args = self.consumer.finish_keys_args(entry)
        local = self._outbox.consumer if self._outbox is not None and self._outbox.running else ""
        keys = [
            *finish_keys,
            metrics_key(p),
            f"{p}{OUTBOX_STREAM}",
            order_key(p, conversation_id(msg.channel, msg.sender)),
            *(idempotency_redis_key(p, k) for k in idem),
        ]
        args: list[str | int] = [
            finish_args[0],
            finish_args[1],
            finish_args[2],
            ORDER_TTL_S,
            field_name("dispatched", channel=msg.channel),
            OUTBOX_GROUP,
            local,
            IDEMPOTENCY_TTL_S,
            self._settings.gateway.stream_maxlen,
            msg.channel,
            msg.sender,
            f"{time.time():.3f}",
        ]
        for key, reply in zip(idem, replies, strict=True):
            args += [key, reply.to_json()]
        # Redis trouble from here on must not call Rasa a second time for this message.
        attempt = 0
        while True:
            try:
                _acked, done, out_done, claimed = await _DELIVER(self._redis, keys, args)
                break
            except REDIS_DOWN:
                attempt += 1
                await asyncio.sleep(backoff_delay(attempt, base_s=0.05, max_s=1.0))
        if claimed and self._outbox is not None:
            # Not adopted (the worker stopped meanwhile): they stay pending under its name.
            self._outbox.adopt(_read_entries(claimed), lane=entry.lane, done=int(out_done))
        return Finished(done=int(done))

    async def _give_up(self, entry: StreamEntry, exc: BaseException) -> None:
        msg = IncomingMessage.from_fields(entry.fields)
        log.error("gateway.dispatch.gave_up", conversation=msg.conversation_id, error=repr(exc))
        await enqueue(
            self._redis,
            key_prefix=self._prefix,
            channel=msg.channel,
            recipient=msg.sender,
            message=OutgoingMessage(text=APOLOGY),
            idempotency_key=f"apology:{msg.uid}",
            origin="dispatcher",
        )
