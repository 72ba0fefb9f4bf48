"""Shared fixtures: settings isolated per test, and a real Redis.

Tests talk to the Redis at ``REDIS_URL`` (default 127.0.0.1:6379). Every test gets its own
key prefix and its keys are deleted afterwards, so tests never flush a shared database and
can run beside a live assistant.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest
import redis.asyncio as aioredis

from bot.redis_client import connect
from bot.settings import Settings
from simulator.testing import SimulatorAdmin, run_simulator

# The gateway fakes' fixtures (fake_zalo, fake_telegram, fake_rasa, gw_settings, gateway,
# gateway_only), registered once for every test module.
pytest_plugins = ["tests.fakes.fixtures"]

# An action built in a test without settings loads them from the environment (the procedure
# action keeps a question its entry cannot answer): its keys go under a prefix of the test
# run's own, never a live assistant's.
os.environ["REDIS_KEY_PREFIX"] = f"test:unset:{uuid.uuid4().hex[:10]}:"


@pytest.fixture(scope="session", autouse=True)
def _unset_prefix_cleaned() -> Iterator[None]:
    """Delete the keys written under the run's own prefix once the tests are done."""
    yield
    import redis

    settings = Settings.from_env()
    client = redis.Redis.from_url(settings.redis.url)
    try:
        keys = list(client.scan_iter(match=f"{settings.redis.key_prefix}*", count=500))
        if keys:
            client.delete(*keys)
    except redis.RedisError:  # pragma: no cover - Redis gone at the end: nothing to clean
        pass
    finally:
        client.close()


@pytest.fixture
def key_prefix() -> str:
    return f"test:{uuid.uuid4().hex[:10]}:"


@pytest.fixture
def settings(key_prefix: str) -> Settings:
    base = Settings.from_env()
    return dataclasses.replace(base, redis=dataclasses.replace(base.redis, key_prefix=key_prefix))


@pytest.fixture
async def redis_client(settings: Settings) -> AsyncIterator[aioredis.Redis]:
    client = connect(settings.redis.url, decode_responses=False)
    try:
        await client.ping()
    except Exception as exc:  # pragma: no cover - environment problem, not a test result
        pytest.fail(f"Redis at {settings.redis.url} is not reachable: {exc}")
    yield client
    keys = [k async for k in client.scan_iter(match=f"{settings.redis.key_prefix}*", count=500)]
    if keys:
        await client.delete(*keys)
    await client.aclose() if hasattr(client, "aclose") else await client.close()


@pytest.fixture(scope="session")
def project_root() -> Iterator[str]:
    from bot.settings import PROJECT_ROOT

    yield str(PROJECT_ROOT)


@pytest.fixture(scope="session")
def rasa_stack():
    """Simulator + action server + Rasa server on free ports (see tests/rasa_stack.py)."""
    from tests.rasa_stack import start_stack

    yield from start_stack()


@pytest.fixture(scope="module")
def sim_url() -> Iterator[str]:
    """A one-stop simulator of its own for each test module that asks for it."""
    with run_simulator() as url:
        yield url


@pytest.fixture
async def admin(sim_url: str) -> AsyncIterator[SimulatorAdmin]:
    """The simulator's admin API, its data reset for the test."""
    async with aiohttp.ClientSession() as session:
        a = SimulatorAdmin(session=session, base_url=sim_url)
        await a.reset()
        yield a
