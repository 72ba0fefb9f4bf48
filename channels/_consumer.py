"""A Redis Streams consumer that keeps each conversation in order and the rest in parallel.

Used by the dispatcher (inbound stream) and the outbox worker (outbox stream).

* Entries are read through a consumer group; an entry is acknowledged only after its
  handler finished, so a consumer that dies leaves it pending, and another consumer claims
  it with XAUTOCLAIM once it has been idle ``claim_min_idle_ms``. A live consumer refreshes
  the idle time of everything it holds, so slow work (Rasa down) is not stolen.
* Every entry carries its number within its conversation (``seq``, given atomically when
  it was appended) and the conversation's hash records the last one finished (``done``).
  An entry runs only after ``seq - 1`` finished, whichever consumer holds it; an entry
  whose ``seq`` is already done (a claimed duplicate) is just acknowledged.
* Within a consumer, each conversation is a lane (a task working through a heap ordered
  by ``seq``); a semaphore bounds how many lanes run handlers at once.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.logs import get_logger

from ._backoff import backoff_delay

log = get_logger(__name__)

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError)
_ORDER_TTL_S = 30 * 24 * 3600
_FINISH_LUA = """
if ARGV[3] ~= '' then
  local d = tonumber(redis.call('HGET', KEYS[2], 'done') or '0')
  if d < tonumber(ARGV[3]) then
    redis.call('HSET', KEYS[2], 'done', ARGV[3])
    redis.call('EXPIRE', KEYS[2], ARGV[4])
  end
end
return redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
"""


def _s(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@dataclass(frozen=True, kw_only=True)
class StreamEntry:
    id: str
    fields: dict[str, str]
    lane: str
    seq: int | None


Handler = Callable[[StreamEntry], Awaitable[None]]


class OrderedConsumer:
    """One consumer of a group; ``run()`` until cancelled."""

    def __init__(
        self,
        *,
        redis: Redis,
        stream: str,
        group: str,
        consumer: str,
        handler: Handler,
        lane_of: Callable[[dict[str, str]], str],
        order_key_of: Callable[[str], str],
        concurrency: int,
        claim_min_idle_ms: int,
        order_wait_max_s: float,
        on_give_up: Callable[[StreamEntry, BaseException], Awaitable[None]] | None = None,
        max_handler_errors: int = 5,
        block_ms: int = 1000,
    ) -> None:
        self._redis = redis
        self.stream = stream
        self.group = group
        self.consumer = consumer
        self._handler = handler
        self._lane_of = lane_of
        self._order_key_of = order_key_of
        self._sem = asyncio.Semaphore(max(1, concurrency))
        self._max_inflight = max(1, concurrency) * 4
        self._min_idle_ms = max(100, claim_min_idle_ms)
        self._order_wait_max_s = order_wait_max_s
        self._on_give_up = on_give_up
        self._max_errors = max_handler_errors
        self._block_ms = block_ms
        self._held: dict[str, StreamEntry] = {}
        self._first_wait: dict[str, float] = {}
        self._lanes: dict[str, list[tuple[int, str]]] = {}
        self._lane_tasks: dict[str, asyncio.Task[None]] = {}

    @property
    def in_flight(self) -> int:
        return len(self._held)

    async def ensure_group(self) -> None:
        try:
            await self._redis.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def run(self) -> None:
        await self._retry_redis(self.ensure_group)
        tasks = [
            asyncio.create_task(self._read_loop(), name=f"{self.consumer}-read"),
            asyncio.create_task(self._claim_loop(), name=f"{self.consumer}-claim"),
            asyncio.create_task(self._heartbeat_loop(), name=f"{self.consumer}-beat"),
        ]
        try:
            await asyncio.gather(*tasks)
        finally:
            for t in [*tasks, *self._lane_tasks.values()]:
                t.cancel()
            await asyncio.gather(*tasks, *self._lane_tasks.values(), return_exceptions=True)

    async def _retry_redis(self, fn: Callable[[], Awaitable[Any]]) -> Any:
        attempt = 0
        while True:
            try:
                return await fn()
            except REDIS_DOWN as exc:
                attempt += 1
                if attempt in (1, 10) or attempt % 100 == 0:
                    log.warning(
                        "gateway.redis.unavailable",
                        consumer=self.consumer,
                        error=repr(exc),
                        attempt=attempt,
                    )
                await asyncio.sleep(backoff_delay(attempt, base_s=0.05, max_s=1.0))

    # -- reading -----------------------------------------------------------------------

    def _entry(self, eid: Any, raw: dict[Any, Any]) -> StreamEntry:
        fields = {_s(k): _s(v) for k, v in raw.items()}
        seq = fields.get("seq")
        return StreamEntry(
            id=_s(eid),
            fields=fields,
            lane=self._lane_of(fields),
            seq=int(seq) if seq and seq.isdigit() else None,
        )

    async def _take(self, items: list[Any]) -> None:
        for eid, raw in items:
            if not raw:  # trimmed away while pending: nothing left to do
                await self._redis.xack(self.stream, self.group, eid)
                continue
            self._add(self._entry(eid, raw))

    async def _read_loop(self) -> None:
        start = "0"  # first our own pending entries (a restart under the same name)
        attempt = 0
        while True:
            if len(self._held) >= self._max_inflight:
                await asyncio.sleep(0.02)
                continue
            try:
                res = await self._redis.xreadgroup(
                    self.group,
                    self.consumer,
                    {self.stream: start},
                    count=self._max_inflight - len(self._held),
                    block=None if start == "0" else self._block_ms,
                )
                attempt = 0
            except ResponseError as exc:
                if "NOGROUP" not in str(exc):
                    raise
                await self._retry_redis(self.ensure_group)
                continue
            except REDIS_DOWN as exc:
                attempt += 1
                if attempt == 1:
                    log.warning(
                        "gateway.redis.unavailable", consumer=self.consumer, error=repr(exc)
                    )
                await asyncio.sleep(backoff_delay(attempt, base_s=0.05, max_s=1.0))
                continue
            items = [item for _s_, entries in res or [] for item in entries]
            if start == "0":
                start = ">"
            await self._take(items)

    async def _claim_loop(self) -> None:
        interval = max(0.1, self._min_idle_ms / 4000)
        cursor = "0-0"
        while True:
            await asyncio.sleep(interval)
            if len(self._held) >= self._max_inflight:
                continue
            try:
                res = await self._redis.xautoclaim(
                    self.stream,
                    self.group,
                    self.consumer,
                    self._min_idle_ms,
                    start_id=cursor,
                    count=100,
                )
            except ResponseError as exc:
                if "NOGROUP" in str(exc):
                    continue
                raise
            except REDIS_DOWN:
                continue
            cursor = _s(res[0])
            if res[1]:
                log.info("gateway.consumer.claimed", consumer=self.consumer, count=len(res[1]))
            await self._take(res[1])

    async def _heartbeat_loop(self) -> None:
        """Reset the idle time of what we hold, so that nobody claims it from us."""
        interval = max(0.05, self._min_idle_ms / 3000)
        while True:
            await asyncio.sleep(interval)
            if not self._held:
                continue
            try:
                mine = await self._redis.xpending_range(
                    self.stream,
                    self.group,
                    min="-",
                    max="+",
                    count=10_000,
                    consumername=self.consumer,
                )
                ids = [_s(p["message_id"]) for p in mine if _s(p["message_id"]) in self._held]
                for i in range(0, len(ids), 500):
                    await self._redis.xclaim(
                        self.stream, self.group, self.consumer, 0, ids[i : i + 500], justid=True
                    )
            except REDIS_DOWN:
                continue
            except ResponseError:
                continue

    # -- lanes ---------------------------------------------------------------------------

    def _add(self, entry: StreamEntry) -> None:
        if entry.id in self._held:
            return
        self._held[entry.id] = entry
        heapq.heappush(self._lanes.setdefault(entry.lane, []), (entry.seq or 0, entry.id))
        if entry.lane not in self._lane_tasks:
            self._lane_tasks[entry.lane] = asyncio.create_task(self._run_lane(entry.lane))

    async def _ready(self, entry: StreamEntry) -> str:
        if entry.seq is None:
            return "go"
        done_raw = await self._redis.hget(self._order_key_of(entry.lane), "done")
        done = int(done_raw) if done_raw else 0
        if done >= entry.seq:
            return "skip"
        if done == entry.seq - 1:
            return "go"
        first = self._first_wait.setdefault(entry.id, time.monotonic())
        if time.monotonic() - first > self._order_wait_max_s:
            log.warning("gateway.consumer.order_gap", lane=entry.lane, seq=entry.seq, done=done)
            return "go"
        return "wait"

    async def _run_lane(self, lane: str) -> None:
        heap = self._lanes[lane]
        try:
            while heap:
                _seq, eid = heap[0]
                entry = self._held[eid]
                ready = await self._retry_redis(lambda e=entry: self._ready(e))
                if ready == "wait":
                    await asyncio.sleep(0.05)
                    continue
                if heap[0][1] != eid:  # an earlier entry arrived meanwhile: look again
                    continue
                heapq.heappop(heap)
                if ready == "go":
                    await self._handle(entry)
                else:
                    log.info("gateway.consumer.skip_done", lane=lane, seq=entry.seq)
                await self._retry_redis(lambda e=entry: self._finish(e))
                self._held.pop(eid, None)
                self._first_wait.pop(eid, None)
        finally:
            self._lane_tasks.pop(lane, None)
            if not heap:
                self._lanes.pop(lane, None)

    async def _handle(self, entry: StreamEntry) -> None:
        errors = 0
        redis_attempt = 0
        while True:
            try:
                async with self._sem:
                    await self._handler(entry)
                return
            except asyncio.CancelledError:
                raise
            except REDIS_DOWN as exc:
                redis_attempt += 1
                if redis_attempt == 1:
                    log.warning(
                        "gateway.redis.unavailable", consumer=self.consumer, error=repr(exc)
                    )
                await asyncio.sleep(backoff_delay(redis_attempt, base_s=0.05, max_s=1.0))
            except Exception as exc:
                errors += 1
                log.exception(
                    "gateway.consumer.handler_failed",
                    stream=self.stream,
                    entry=entry.id,
                    errors=errors,
                )
                if errors >= self._max_errors:
                    if self._on_give_up is not None:
                        await self._retry_redis(lambda e=entry, x=exc: self._on_give_up(e, x))
                    return
                await asyncio.sleep(backoff_delay(errors, base_s=0.2, max_s=5.0))

    async def _finish(self, entry: StreamEntry) -> None:
        order_key = self._order_key_of(entry.lane)
        await self._redis.eval(
            _FINISH_LUA,
            2,
            self.stream,
            order_key,
            self.group,
            entry.id,
            "" if entry.seq is None else str(entry.seq),
            _ORDER_TTL_S,
        )
