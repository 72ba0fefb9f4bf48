"""Watches subscribed dossiers and enqueues one message per status change.

Each cycle reads the one-stop change feed from the stored cursor (or, when the system has no
feed or forgot the cursor, polls every watched dossier), fetches each changed dossier that
someone follows, and for every subscriber whose last known status differs enqueues a
message in the outbox (bot/outbox.py). The idempotency key names the dossier, the status,
the moment of that change and the conversation, so one change is sent once even when the
notifier dies between enqueueing and recording, and a later return to the same status (a
second request for papers) is still announced. When the one-stop system fails, cycles back
off exponentially.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import date

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.logs import get_logger
from bot.notifier._subscriptions import Subscription, SubscriptionStore
from bot.onestop import (
    CircuitOpen,
    CursorExpired,
    Dossier,
    DossierNotFound,
    FeedNotSupported,
    OneStopClient,
    OneStopUnavailable,
    change_notification,
    today_vn,
)
from bot.outbox import OutgoingMessage, enqueue

log = get_logger(__name__)
MAX_FEED_PAGES = 50


def idempotency_key(dossier: Dossier, conversation_id: str) -> str:
    return f"notify:{dossier.code}:{int(dossier.status)}:{dossier.version}:{conversation_id}"


def next_delay(interval_s: float, failures: int, max_s: float) -> float:
    """Poll interval, doubled for every consecutive failed cycle, capped."""
    return min(max_s, interval_s * (2 ** min(failures, 16)))


class Notifier:
    def __init__(
        self,
        *,
        client: OneStopClient,
        store: SubscriptionStore,
        redis: Redis,
        key_prefix: str,
        poll_interval_s: float,
        max_backoff_s: float = 600.0,
        today: Callable[[], date] = today_vn,
    ) -> None:
        self._client = client
        self._store = store
        self._redis = redis
        self._prefix = key_prefix
        self._interval = poll_interval_s
        self._max_backoff = max(max_backoff_s, poll_interval_s)
        self._today = today
        self._cursor_key = f"{key_prefix}notifier:cursor"

    async def run_once(self) -> int:
        """One cycle; returns how many messages were enqueued."""
        watched = await self._store.watched()
        to_check, cursor = await self._changed_codes(watched)
        sent = 0
        for code in sorted(to_check):
            sent += await self.check(code)
        # Saved only after every change was handled: a crash or a failed look-up means the
        # same changes are read again, which sends nothing twice (stored status + idempotency).
        if cursor is not None:
            await self._redis.set(self._cursor_key, cursor)
        return sent

    async def _changed_codes(self, watched: set[str]) -> tuple[set[str], str | None]:
        """Codes to check now, and the feed cursor to store once they are handled."""
        raw = await self._redis.get(self._cursor_key)
        cursor = raw.decode() if isinstance(raw, bytes) else raw
        try:
            if cursor is None:
                # Head first, so changes made during the full poll are read next cycle.
                return watched, (await self._client.changes(None)).cursor
            changed: set[str] = set()
            for _ in range(MAX_FEED_PAGES):
                page = await self._client.changes(cursor)
                changed |= {c.code for c in page.changes}
                cursor = page.cursor
                if not page.has_more:
                    break
            return changed & watched, cursor
        except FeedNotSupported:
            return watched, None
        except CursorExpired:
            log.info("notifier.feed.resync")
            return watched, (await self._client.changes(None)).cursor

    async def check(self, code: str) -> int:
        """Compare one dossier with what its subscribers know; notify those behind."""
        subs = await self._store.subscribers(code)
        if not subs:
            return 0
        try:
            dossier = await self._client.get_dossier(code, use_cache=False)
        except DossierNotFound:
            log.warning("notifier.dossier.not_found", code=code)
            return 0
        sent = 0
        for sub in subs:
            if sub.status == int(dossier.status):
                continue
            if await self._notify(sub, dossier):
                sent += 1
            await self._store.mark_seen(sub, status=int(dossier.status), version=dossier.version)
        if dossier.status.is_final:
            await self._store.end(code)
            log.info("notifier.subscription.ended", code=code, status=int(dossier.status))
        return sent

    async def _notify(self, sub: Subscription, dossier: Dossier) -> bool:
        message = OutgoingMessage(text=change_notification(dossier, today=self._today()))
        entry = await enqueue(
            self._redis,
            key_prefix=self._prefix,
            channel=sub.channel,
            recipient=sub.recipient,
            message=message,
            idempotency_key=idempotency_key(dossier, sub.conversation_id),
            origin="notifier",
        )
        log.info(
            "notifier.message.enqueued" if entry else "notifier.message.duplicate",
            code=dossier.code,
            status=int(dossier.status),
            channel=sub.channel,
        )
        return entry is not None

    async def run_forever(self, stop: asyncio.Event) -> None:
        failures = 0
        while not stop.is_set():
            try:
                sent = await self.run_once()
                failures = 0
                if sent:
                    log.info("notifier.cycle.ok", sent=sent)
            except (OneStopUnavailable, CircuitOpen) as exc:
                failures += 1
                log.warning("notifier.cycle.onestop_failed", error=str(exc), failures=failures)
            except RedisError as exc:
                failures += 1
                log.error("notifier.cycle.redis_failed", error=str(exc), failures=failures)
            delay = next_delay(self._interval, failures, self._max_backoff)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
