"""bot.redis_client: a write to a connection Redis has closed is a ConnectionError, on uvloop
too (uvloop raises RuntimeError there, which no Redis-down handler of ours caught)."""

from __future__ import annotations

import asyncio

import pytest
import uvloop
from redis.asyncio import Redis
from redis.asyncio.connection import SSLConnection, UnixDomainSocketConnection
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.redis_client import ClosedWriteSafeConnection, connect
from bot.settings import Settings


async def _write_after_close(client: Redis) -> BaseException | None:
    """PING on a pooled connection whose transport has been closed under it (what the
    loop sees once the server has hung up), then PING through the client again."""
    await client.ping()
    conn = await client.connection_pool.get_connection("PING")
    try:
        conn._writer.transport.close()  # type: ignore[union-attr]
        await asyncio.sleep(0.01)  # closed, not closing: uvloop's handle is gone
        try:
            await conn.send_command("PING")
        except BaseException as exc:
            return exc
        return None
    finally:
        await client.connection_pool.release(conn)
        assert await client.ping()  # the client reconnects
        await client.close()


def _on_uvloop(coro_factory) -> BaseException | None:  # type: ignore[no-untyped-def]
    loop = uvloop.new_event_loop()
    try:
        return loop.run_until_complete(coro_factory())
    finally:
        loop.close()


def test_closed_write_is_a_connection_error_on_uvloop(settings: Settings) -> None:
    raised = _on_uvloop(lambda: _write_after_close(connect(settings.redis.url)))
    assert isinstance(raised, RedisConnectionError), repr(raised)


def test_plain_redis_py_raises_runtime_error_there(settings: Settings) -> None:
    """Why the class exists: redis-py's own connection lets uvloop's RuntimeError through."""
    raised = _on_uvloop(lambda: _write_after_close(Redis.from_url(settings.redis.url)))
    assert isinstance(raised, RuntimeError) and "handler is closed" in str(raised)


@pytest.mark.parametrize(
    ("url", "cls"),
    [
        ("redis://127.0.0.1:6379/0", ClosedWriteSafeConnection),
        ("rediss://127.0.0.1:6379/0", SSLConnection),
        ("unix:///run/redis/redis.sock", UnixDomainSocketConnection),
    ],
)
def test_connect_keeps_redis_py_classes_for_other_schemes(url: str, cls: type) -> None:
    client = connect(url)
    assert client.connection_pool.connection_class is cls
