"""Redis clients of our services: :func:`connect` instead of ``Redis.from_url``.

Under uvloop (Sanic's loop in Rasa and the action server, and the gateway's), writing a
command to a connection the server has just closed raises ``RuntimeError("unable to
perform operation on <TCPTransport closed=True …>; the handler is closed")``, where
asyncio's own loop raises ``ConnectionResetError`` (MagicStack/uvloop#506). redis-py
drops the connection either way, but only maps the second to its ``ConnectionError``, so
every "Redis is down: back off and retry" handler of ours missed the first: during a
Redis restart a dispatcher lane died and its messages waited for the next restart. Our
connection class reports it as the ``ConnectionError`` it is.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from redis.asyncio import Redis
from redis.asyncio.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError

_CLOSED = "handler is closed"


class ClosedWriteSafeConnection(Connection):
    """A TCP connection whose write to a closed transport is a ``ConnectionError``."""

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        try:
            await super().send_packed_command(command, check_health)
        except RuntimeError as exc:
            if _CLOSED not in str(exc):
                raise
            raise RedisConnectionError(f"Connection closed while writing: {exc}") from exc


def connect(url: str, **kwargs: Any) -> Redis:
    """``Redis.from_url(url, **kwargs)`` with :class:`ClosedWriteSafeConnection` for plain
    ``redis://`` URLs (TLS and Unix-socket URLs keep redis-py's own classes)."""
    if urlparse(url).scheme == "redis":
        kwargs.setdefault("connection_class", ClosedWriteSafeConnection)
    return Redis.from_url(url, **kwargs)
