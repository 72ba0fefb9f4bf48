"""Pytest fixtures for the gateway tests (registered in tests/conftest.py as a plugin)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.settings import Settings

from .harness import Gateway, running_gateway, wire_settings
from .rasa import FakeRasa
from .telegram import FakeTelegramApi
from .zalo import FakeZaloApi


@pytest.fixture
async def fake_rasa() -> AsyncIterator[FakeRasa]:
    f = FakeRasa()
    await f.start()
    yield f
    f.released.set()
    await f.stop()


@pytest.fixture
async def fake_zalo() -> AsyncIterator[FakeZaloApi]:
    f = FakeZaloApi()
    await f.start()
    yield f
    await f.stop()


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegramApi]:
    f = FakeTelegramApi()
    await f.start()
    yield f
    await f.stop()


@pytest.fixture
def gw_settings(
    settings: Settings, fake_zalo: FakeZaloApi, fake_telegram: FakeTelegramApi, fake_rasa: FakeRasa
) -> Settings:
    return wire_settings(settings, zalo=fake_zalo, telegram=fake_telegram, rasa_url=fake_rasa.url)


@pytest.fixture
async def gateway(gw_settings: Settings, redis_client: Redis) -> AsyncIterator[Gateway]:
    async with running_gateway(gw_settings, redis=redis_client) as gw:
        yield gw


@pytest.fixture
async def gateway_only(gw_settings: Settings, redis_client: Redis) -> AsyncIterator[Gateway]:
    """The HTTP side without workers: what is enqueued stays in the stream."""
    async with running_gateway(gw_settings, redis=redis_client, dispatchers=0, outbox=False) as gw:
        yield gw
