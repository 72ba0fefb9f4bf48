"""Dispatcher workers: inbound stream → Rasa (or the agent console) → outbox."""

from __future__ import annotations

import asyncio
import time

from redis.asyncio import Redis

from bot.logs import get_logger
from bot.outbox import OutgoingMessage, conversation_id, enqueue
from bot.settings import Settings

from ._backoff import backoff_delay
from ._choices import resolve_callback, take_choice
from ._consumer import REDIS_DOWN, OrderedConsumer, StreamEntry
from ._keys import DISPATCH_GROUP, inbound_order_key, inbound_stream
from ._message import IncomingMessage
from ._metrics import incr
from ._mode import AGENT, get_mode, push_handoff
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


class Dispatcher:
    """One dispatcher consumer; several may run in one or many processes."""

    def __init__(
        self, *, redis: Redis, rasa: RasaClient, settings: Settings, consumer: str
    ) -> None:
        self._redis = redis
        self._rasa = rasa
        self._settings = settings
        self._prefix = settings.redis.key_prefix
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
        )

    async def run(self) -> None:
        await self.consumer.run()

    async def handle(self, entry: StreamEntry) -> None:
        msg = IncomingMessage.from_fields(entry.fields)
        conv = msg.conversation_id
        if msg.kind == "unsupported":
            await self._deliver(msg, [OutgoingMessage(text=UNSUPPORTED_NOTICE)])
            return
        text = await self._user_text(msg)
        if await get_mode(self._redis, self._prefix, conv) == AGENT:
            await push_handoff(self._redis, self._prefix, msg, text=text)
            await incr(self._redis, self._prefix, "handoff", channel=msg.channel)
            log.info("gateway.dispatch.handoff", conversation=conv)
            return
        started = time.monotonic()
        replies = await self._ask_rasa(conv, text)
        # Redis trouble from here on must not call Rasa a second time for this message.
        attempt = 0
        while True:
            try:
                await self._deliver(msg, replies)
                break
            except REDIS_DOWN:
                attempt += 1
                await asyncio.sleep(backoff_delay(attempt, base_s=0.05, max_s=1.0))
        await incr(self._redis, self._prefix, "dispatched", channel=msg.channel)
        log.info(
            "gateway.dispatch.ok",
            conversation=conv,
            replies=len(replies),
            ms=round((time.monotonic() - started) * 1000, 1),
        )

    async def _user_text(self, msg: IncomingMessage) -> str:
        if msg.kind == "payload" and msg.payload:
            return await resolve_callback(self._redis, self._prefix, msg.payload)
        # A numbered choice ("2") on a channel that showed buttons as numbered text.
        choice = await take_choice(self._redis, self._prefix, msg.conversation_id, msg.text)
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
                await incr(self._redis, self._prefix, "rasa_errors", kind="unavailable")
                g = self._settings.gateway
                await asyncio.sleep(
                    backoff_delay(unavailable, base_s=0.2, max_s=g.rasa_retry_max_s)
                )
            except RasaError as exc:
                errors += 1
                await incr(self._redis, self._prefix, "rasa_errors", kind="error")
                log.error("gateway.rasa.error", conversation=conv, attempt=errors, error=str(exc))
                if errors >= _RASA_ERRORS_BEFORE_APOLOGY:
                    return [OutgoingMessage(text=APOLOGY)]
                await asyncio.sleep(backoff_delay(errors, base_s=0.5, max_s=5.0))

    async def _deliver(self, msg: IncomingMessage, replies: list[OutgoingMessage]) -> None:
        # Keys derived from the inbound message: a message handled twice (claimed after a
        # crash) cannot produce its replies twice.
        for i, reply in enumerate(replies):
            await enqueue(
                self._redis,
                key_prefix=self._prefix,
                channel=msg.channel,
                recipient=msg.sender,
                message=reply,
                idempotency_key=f"reply:{msg.uid}:{i}",
                origin="dispatcher",
                maxlen=self._settings.gateway.stream_maxlen,
            )

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
