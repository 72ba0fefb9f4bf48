"""A circuit breaker whose state lives in Redis, so every action-server process agrees.

Closed: calls go through; each failed call adds one to a counter, a success resets it.
Open: after ``failures`` consecutive failures no call is made for ``reset_s`` seconds.
Half-open: when that time is over, exactly one caller (across all processes) probes;
its success closes the circuit, its failure opens it again for ``reset_s``.

Per-process breakers would each need ``failures`` failures of their own before they stop,
so N processes would keep hammering a system that is down N times longer, and a citizen
would get "busy" from one process and a slow timeout from the next. Redis is already a hard
dependency (trackers, locks), so sharing costs one round trip of well under a millisecond.
If Redis itself fails the breaker lets calls through (it must never be the outage).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.logs import get_logger
from bot.onestop._errors import CircuitOpen

log = get_logger(__name__)

_ALLOW_LUA = """
local open_until = tonumber(redis.call('HGET', KEYS[1], 'open_until') or '0')
if open_until == 0 then return {'closed', '0'} end
local now = tonumber(ARGV[1])
if now < open_until then return {'open', tostring(open_until - now)} end
local probe = tonumber(redis.call('HGET', KEYS[1], 'probe') or '0')
if probe == 0 or now - probe > tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'probe', ARGV[1])
  return {'probe', '0'}
end
return {'open', ARGV[2]}
"""
_FAILURE_LUA = """
local n = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local open_until = tonumber(redis.call('HGET', KEYS[1], 'open_until') or '0')
redis.call('HDEL', KEYS[1], 'probe')
redis.call('EXPIRE', KEYS[1], ARGV[4])
if open_until > 0 or n >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'open_until', tostring(tonumber(ARGV[1]) + tonumber(ARGV[3])))
  return 1
end
return 0
"""


@dataclass(frozen=True, kw_only=True, slots=True)
class BreakerState:
    state: str  # "closed" | "open" | "half_open"
    failures: int
    retry_after_s: float


class CircuitBreaker:
    """Shared breaker for one upstream; ``name`` separates several upstreams."""

    def __init__(
        self,
        *,
        redis: Redis,
        key_prefix: str,
        failures: int,
        reset_s: float,
        name: str = "onestop",
        probe_timeout_s: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._key = f"{key_prefix}{name}:breaker"
        self._failures = max(1, failures)
        self._reset_s = reset_s
        self._probe_timeout_s = probe_timeout_s
        self._clock = clock

    async def before_call(self) -> None:
        """Raise :class:`CircuitOpen` unless a call may go through now."""
        try:
            verdict, wait = await self._redis.eval(
                _ALLOW_LUA, 1, self._key, f"{self._clock():.3f}", self._probe_timeout_s
            )
        except RedisError as exc:
            log.warning("onestop.breaker.redis_error", error=str(exc))
            return
        if _s(verdict) == "open":
            raise CircuitOpen(float(_s(wait)))
        if _s(verdict) == "probe":
            log.info("onestop.breaker.probe")

    async def record_success(self) -> None:
        try:
            if await self._redis.hget(self._key, "open_until"):
                log.info("onestop.breaker.closed")
            await self._redis.delete(self._key)
        except RedisError as exc:
            log.warning("onestop.breaker.redis_error", error=str(exc))

    async def record_failure(self) -> None:
        try:
            opened = await self._redis.eval(
                _FAILURE_LUA,
                1,
                self._key,
                f"{self._clock():.3f}",
                self._failures,
                self._reset_s,
                # Old failures are forgotten: "repeated" means within a few reset periods.
                max(int(self._reset_s * 10), 60),
            )
        except RedisError as exc:
            log.warning("onestop.breaker.redis_error", error=str(exc))
            return
        if opened:
            log.warning("onestop.breaker.opened", reset_s=self._reset_s)

    async def state(self) -> BreakerState:
        raw = await self._redis.hgetall(self._key)
        data = {_s(k): _s(v) for k, v in raw.items()}
        failures = int(data.get("failures", "0"))
        open_until = float(data.get("open_until", "0"))
        if not open_until:
            return BreakerState(state="closed", failures=failures, retry_after_s=0.0)
        wait = open_until - self._clock()
        if wait > 0:
            return BreakerState(state="open", failures=failures, retry_after_s=wait)
        return BreakerState(state="half_open", failures=failures, retry_after_s=0.0)


def _s(value: bytes | str | int) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
