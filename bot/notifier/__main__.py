"""``python -m bot.notifier``: watch subscribed dossiers, enqueue a message on every change."""

from __future__ import annotations

import asyncio
import signal
import sys

import aiohttp

from bot.logs import get_logger
from bot.notifier._notifier import Notifier
from bot.notifier._subscriptions import SubscriptionStore
from bot.onestop import OneStopClient
from bot.redis_client import connect
from bot.settings import load_settings

log = get_logger("bot.notifier")


async def main() -> int:
    settings = load_settings()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    redis = connect(settings.redis.url)
    async with aiohttp.ClientSession() as session:
        client = OneStopClient.from_settings(session=session, redis=redis, settings=settings)
        notifier = Notifier(
            client=client,
            store=SubscriptionStore(redis=redis, key_prefix=settings.redis.key_prefix),
            redis=redis,
            key_prefix=settings.redis.key_prefix,
            poll_interval_s=settings.onestop.notifier_poll_interval_s,
        )
        log.info(
            "notifier.start.ok",
            onestop=client.base_url,
            interval_s=settings.onestop.notifier_poll_interval_s,
        )
        await notifier.run_forever(stop)
    await redis.close()
    log.info("notifier.stop.ok")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
