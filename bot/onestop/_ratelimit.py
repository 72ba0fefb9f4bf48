"""Sliding-window rate limits in Redis (one sorted set per key, checked atomically).

Several limits are checked in one Lua call: the request is counted against all of them or
against none, so a refused look-up does not use up anyone's allowance. A limit may be
"check only" (``count=False``): it refuses when full but is filled elsewhere (the
not-found counter is filled only when a look-up finds nothing).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from redis.asyncio import Redis

_LUA = """
local now = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[1 + (i - 1) * 3 + 1])
  local window = tonumber(ARGV[1 + (i - 1) * 3 + 2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    local w = tonumber(oldest[2]) + window - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return {0, tostring(wait)} end
for i, key in ipairs(KEYS) do
  if ARGV[1 + (i - 1) * 3 + 3] == '1' then
    local window = tonumber(ARGV[1 + (i - 1) * 3 + 2])
    redis.call('ZADD', key, now, ARGV[#ARGV] .. ':' .. i)
    redis.call('EXPIRE', key, math.ceil(window) + 1)
  end
end
return {1, '0'}
"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Limit:
    key: str
    limit: int
    window_s: float
    count: bool = True


@dataclass(frozen=True, kw_only=True, slots=True)
class Decision:
    allowed: bool
    retry_after_s: float = 0.0


class RateLimiter:
    def __init__(
        self, *, redis: Redis, key_prefix: str, clock: Callable[[], float] = time.time
    ) -> None:
        self._redis = redis
        self._prefix = f"{key_prefix}ratelimit:"
        self._clock = clock

    async def acquire(self, limits: Sequence[Limit]) -> Decision:
        """Count one event against every counting limit, unless any limit is full."""
        if not limits:
            return Decision(allowed=True)
        args: list[str | int | float] = [f"{self._clock():.6f}"]
        for lim in limits:
            args += [lim.limit, lim.window_s, "1" if lim.count else "0"]
        args.append(uuid.uuid4().hex)
        allowed, wait = await self._redis.eval(
            _LUA, len(limits), *[self._prefix + lim.key for lim in limits], *args
        )
        return Decision(allowed=bool(int(allowed)), retry_after_s=float(_s(wait)))

    async def record(self, key: str, window_s: float) -> None:
        """Add one event to ``key`` without checking (fills a check-only limit)."""
        full = self._prefix + key
        now = self._clock()
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zadd(full, {uuid.uuid4().hex: now})
            pipe.expire(full, int(window_s) + 1)
            await pipe.execute()


def _s(value: bytes | str | int) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
