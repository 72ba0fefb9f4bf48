"""The dossier actions' process-wide resources: Redis, the aiohttp session, the one-stop
client, the rate limiter and the subscription store, built once per event loop."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp
import redis.asyncio as aioredis

from bot.notifier import SubscriptionStore
from bot.onestop import (
    OneStopClient,
    RateLimiter,
)
from bot.redis_client import connect
from bot.settings import Settings, load_settings


@dataclass(kw_only=True)
class DossierServices:
    """What the dossier actions need; built once per event loop (the action server's)."""

    settings: Settings
    redis: aioredis.Redis
    session: aiohttp.ClientSession
    client: OneStopClient
    limiter: RateLimiter
    subscriptions: SubscriptionStore
    loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def create(cls, settings: Settings) -> DossierServices:
        """Must run inside the loop that will use them (aiohttp sessions are loop-bound)."""
        redis = connect(settings.redis.url)
        session = aiohttp.ClientSession()
        prefix = settings.redis.key_prefix
        return cls(
            settings=settings,
            redis=redis,
            session=session,
            client=OneStopClient.from_settings(session=session, redis=redis, settings=settings),
            limiter=RateLimiter(redis=redis, key_prefix=prefix),
            subscriptions=SubscriptionStore(
                redis=redis,
                key_prefix=prefix,
                max_per_conversation=settings.onestop.max_subscriptions_per_conversation,
            ),
            loop=asyncio.get_running_loop(),
        )

    async def close(self) -> None:
        await self.session.close()
        await self.redis.close()


_services: DossierServices | None = None


def use_services(services: DossierServices | None) -> None:
    """Install the services the actions use (tests and benchmarks; None: build from settings)."""
    global _services
    _services = services


def get_services() -> DossierServices:
    global _services
    loop = asyncio.get_running_loop()
    if _services is None or (_services.loop is not None and _services.loop is not loop):
        _services = DossierServices.create(load_settings())
    return _services
