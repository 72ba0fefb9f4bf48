"""Lua scripts run by their SHA1 (``EVALSHA``), loaded again when Redis forgot them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import NoScriptError


class LuaScript:
    """A script sent once per Redis server instead of with every call.

    ``EVAL`` makes Redis hash the whole body on each call; on the hot paths the scripts run
    several times per message. After a Redis restart the script cache is empty: the first
    call gets ``NOSCRIPT`` and falls back to ``EVAL``, which caches the body again.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode()).hexdigest()

    async def __call__(
        self, redis: Redis, keys: Sequence[str], args: Sequence[str | int | float]
    ) -> Any:
        try:
            return await redis.evalsha(self.sha, len(keys), *keys, *args)
        except NoScriptError:
            return await redis.eval(self.source, len(keys), *keys, *args)
