"""The outbox worker: delivers outbox entries through the channel adapters.

Retries with backoff and jitter on retryable failures (5xx, 429 with its Retry-After,
timeouts, network errors); a message that still fails, or fails for good (blocked bot,
unknown user, malformed entry), goes to ``{prefix}outbox:dead`` with the reason. One
conversation's messages leave in order (see ``_consumer``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping

from redis.asyncio import Redis

from bot.logs import get_logger
from bot.outbox import (
    DEAD_LETTER_STREAM,
    OUTBOX_STREAM,
    OutgoingMessage,
    conversation_id,
    order_key,
)
from bot.settings import Settings

from ._adapter import ChannelAdapter
from ._backoff import backoff_delay
from ._choices import remember_choices
from ._consumer import OrderedConsumer, StreamEntry
from ._errors import SendError
from ._keys import OUTBOX_GROUP, metrics_key
from ._metrics import Counters, field_name

log = get_logger(__name__)


class OutboxWorker:
    """``counters``: shared batched metrics (else its own, flushed by :meth:`run`)."""

    def __init__(
        self,
        *,
        redis: Redis,
        adapters: Mapping[str, ChannelAdapter],
        settings: Settings,
        consumer: str,
        counters: Counters | None = None,
    ) -> None:
        self._redis = redis
        self._adapters = adapters
        self._settings = settings
        self._prefix = settings.redis.key_prefix
        self._own_counters = counters is None
        self._counters = counters or Counters(redis=redis, key_prefix=self._prefix)
        g = settings.gateway
        self.consumer = OrderedConsumer(
            redis=redis,
            stream=f"{self._prefix}{OUTBOX_STREAM}",
            group=OUTBOX_GROUP,
            consumer=consumer,
            handler=self.handle,
            lane_of=lambda f: conversation_id(f.get("channel", ""), f.get("recipient", "")),
            order_key_of=lambda lane: order_key(self._prefix, lane),
            concurrency=g.worker_concurrency,
            claim_min_idle_ms=g.claim_min_idle_ms,
            order_wait_max_s=g.order_wait_max_s,
            on_give_up=lambda e, x: self._dead(e, f"worker error: {x!r}", attempts=0),
        )

    async def run(self) -> None:
        if self._own_counters:
            await self._counters.run_beside(self.consumer.run)
        else:
            await self.consumer.run()

    async def handle(self, entry: StreamEntry) -> None:
        f = entry.fields
        channel, recipient = f.get("channel", ""), f.get("recipient", "")
        try:
            message = OutgoingMessage.from_json(f["message"])
        except (KeyError, ValueError, TypeError) as exc:
            await self._dead(entry, f"malformed entry: {exc!r}", attempts=0)
            return
        adapter = self._adapters.get(channel)
        if adapter is None:
            await self._dead(entry, f"channel {channel!r} not configured", attempts=0)
            return
        if message.buttons and adapter.numbered_choices:
            # Saved before the send: the citizen may answer "2" as soon as it arrives, and
            # a Redis error after a successful send would make us send it again.
            await remember_choices(
                self._redis, self._prefix, entry.lane, message.buttons, seq=entry.seq
            )
        g = self._settings.gateway
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            try:
                async with asyncio.timeout(g.outbox_send_timeout_s):
                    await adapter.send(recipient, message)
            except SendError as exc:
                reason, retryable, retry_after = exc.reason, exc.retryable, exc.retry_after
            except asyncio.TimeoutError:
                reason, retryable = f"timeout after {g.outbox_send_timeout_s:g}s", True
            else:
                self._counters.add("delivered", channel=channel)
                # Every message is logged once already (gateway.dispatch.ok); a delivery
                # is worth its own line when it needed retries.
                (log.info if attempt > 1 else log.debug)(
                    "gateway.outbox.delivered",
                    channel=channel,
                    attempts=attempt,
                    origin=f.get("origin", ""),
                )
                return
            if not retryable or attempt >= g.outbox_max_attempts:
                await self._dead(entry, reason, attempts=attempt)
                return
            self._counters.add("send_retries", channel=channel)
            delay = backoff_delay(
                attempt,
                base_s=g.outbox_backoff_base_s,
                max_s=g.outbox_backoff_max_s,
                retry_after_s=retry_after,
            )
            log.warning(
                "gateway.outbox.retry",
                channel=channel,
                attempt=attempt,
                reason=reason,
                delay_s=round(delay, 2),
            )
            await asyncio.sleep(delay)

    async def _dead(self, entry: StreamEntry, reason: str, *, attempts: int) -> None:
        fields = dict(entry.fields)
        fields.update(
            reason=reason[:500],
            attempts=str(attempts),
            entry_id=entry.id,
            failed_at=f"{time.time():.3f}",
        )
        # Counted with the append (rare, and checked right after by operators and tests).
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xadd(f"{self._prefix}{DEAD_LETTER_STREAM}", fields)
            pipe.hincrby(
                metrics_key(self._prefix),
                field_name("dead_lettered", channel=fields.get("channel", "")),
                1,
            )
            await pipe.execute()
        log.error(
            "gateway.outbox.dead_lettered",
            channel=fields.get("channel", ""),
            reason=reason,
            attempts=attempts,
            origin=fields.get("origin", ""),
            idempotency_key=fields.get("idempotency_key", ""),
        )
