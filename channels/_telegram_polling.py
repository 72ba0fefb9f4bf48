"""Long polling for Telegram: for a developer without a public URL (``--telegram-polling``).

Updates go through the same path as webhook deliveries (de-duplication by ``update_id``,
inbound stream); the next offset is kept in Redis so that a restart does not replay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from telegram import Bot
from telegram.error import Conflict, InvalidToken, NetworkError, TimedOut

from bot.logs import get_logger

from ._adapter import ParseResult
from ._backoff import backoff_delay
from ._consumer import REDIS_DOWN
from ._keys import telegram_offset_key
from ._telegram import ALLOWED_UPDATES, result_from_update

log = get_logger(__name__)


async def poll_updates(
    *,
    bot: Bot,
    redis: Redis,
    key_prefix: str,
    accept: Callable[[ParseResult], Awaitable[None]],
    timeout_s: int = 25,
) -> None:
    """Run until cancelled."""
    raw = await redis.get(telegram_offset_key(key_prefix))
    offset = int(raw) if raw else None
    failures = 0
    log.info("telegram.polling.started")
    while True:
        try:
            updates = await bot.get_updates(
                offset=offset, timeout=timeout_s, allowed_updates=list(ALLOWED_UPDATES)
            )
            failures = 0
        except Conflict:
            log.error(
                "telegram.polling.conflict",
                hint="a webhook is set: run python -m channels.telegram_webhook delete",
            )
            await asyncio.sleep(30)
            continue
        except InvalidToken:
            log.error("telegram.polling.invalid_token")
            await asyncio.sleep(60)
            continue
        except TimedOut:
            continue
        except NetworkError as exc:
            failures += 1
            log.warning("telegram.polling.failed", error=str(exc), attempt=failures)
            await asyncio.sleep(backoff_delay(failures, base_s=1.0, max_s=30.0))
            continue
        for update in updates:
            result = result_from_update(update)
            attempt = 0
            while True:
                try:
                    await accept(result)
                    await redis.set(telegram_offset_key(key_prefix), update.update_id + 1)
                    break
                except REDIS_DOWN:
                    attempt += 1
                    await asyncio.sleep(backoff_delay(attempt, base_s=0.1, max_s=2.0))
            offset = update.update_id + 1
