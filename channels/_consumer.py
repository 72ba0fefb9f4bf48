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

Round trips are what a message costs here, so the consumer saves them where it can prove
it may: reads the handler needs anyway ride in the same pipeline as the ``done`` check
(``prefetch``); the consumer remembers a lower bound of each busy lane's ``done`` (from its
own finishes, or handed over with :meth:`adopt`) and runs a *fresh* entry without asking
Redis when that bound is exactly ``seq - 1``, or when ``ready_hint`` says the entry itself
proves it (the producer saw ``done == seq - 1`` as it appended it). Fresh means delivered
to this consumer only, less than half the claim idle time ago: nobody else can have
claimed it, so nobody else can have finished it, and ``done`` cannot have moved. Lanes waiting for an earlier message finished by another consumer
of the same process are woken at once (``signals``), others re-check every 50 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import heapq
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.logs import get_logger

from ._backoff import backoff_delay
from ._lua import LuaScript

log = get_logger(__name__)

T = TypeVar("T")
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError)
ORDER_TTL_S = 30 * 24 * 3600
_ORDER_POLL_S = 0.05

# Marks an entry finished (``done`` never goes back) and acknowledges it; returns
# {acked, done}. A Lua function so that a handler can embed it in its own script.
FINISH_LUA = """
local function finish_entry(stream, order_key, group, id, seq, order_ttl)
  local done = tonumber(redis.call('HGET', order_key, 'done') or '0')
  if seq ~= '' and done < tonumber(seq) then
    done = tonumber(seq)
    redis.call('HSET', order_key, 'done', seq)
    redis.call('EXPIRE', order_key, order_ttl)
  end
  return {redis.call('XACK', stream, group, id), done}
end
"""
_FINISH = LuaScript(
    FINISH_LUA + "return finish_entry(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])"
)


def _worth_logging(attempt: int) -> bool:
    """Log the 1st, 10th and every 100th failure in a row, not every retry."""
    return attempt in (1, 10) or attempt % 100 == 0


def _s(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@dataclass(frozen=True, kw_only=True)
class StreamEntry:
    id: str
    fields: dict[str, str]
    lane: str
    seq: int | None
    # Monotonic deadline before which no other consumer can have claimed the entry
    # (0: read again after a restart or claimed, so it may have been handled elsewhere).
    fresh_until: float = 0.0
    # Results of the consumer's ``prefetch`` reads, in order.
    prefetched: tuple[Any, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Finished:
    """Returned by a handler that acknowledged its entry itself (atomically with its writes)."""

    done: int


Handler = Callable[[StreamEntry], Awaitable[Finished | None]]


class OrderSignals:
    """Wakes lanes waiting for an earlier message that a consumer of this process finished.

    Share one between the consumers of a process; across processes lanes poll.
    """

    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = {}

    def finished(self, order_key: str) -> None:
        event = self._events.pop(order_key, None)
        if event is not None:
            event.set()

    async def wait(self, order_key: str, timeout: float) -> None:
        event = self._events.setdefault(order_key, asyncio.Event())
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)


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
        prefetch: Callable[[Any, StreamEntry], None] | None = None,
        ready_hint: Callable[[StreamEntry], bool] | None = None,
        signals: OrderSignals | None = None,
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
        self._prefetch = prefetch
        self._ready_hint = ready_hint
        self._signals = signals or OrderSignals()
        self._running = False
        self._held: dict[str, StreamEntry] = {}
        self._first_wait: dict[str, float] = {}
        self._lanes: dict[str, list[tuple[int, str]]] = {}
        self._lane_tasks: dict[str, asyncio.Task[None]] = {}
        self._known_done: dict[str, int] = {}

    @property
    def in_flight(self) -> int:
        return len(self._held)

    @property
    def running(self) -> bool:
        return self._running

    def order_key(self, lane: str) -> str:
        return self._order_key_of(lane)

    async def ensure_group(self) -> None:
        try:
            await self._redis.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def run(self) -> None:
        # A supervisor may call run() again after a crash: start from a clean slate (what we
        # held is still pending under our name and is read again below).
        self._held.clear()
        self._first_wait.clear()
        self._lanes.clear()
        self._lane_tasks.clear()
        self._known_done.clear()
        await self._retry_redis(self.ensure_group)
        tasks = [
            asyncio.create_task(self._read_loop(), name=f"{self.consumer}-read"),
            asyncio.create_task(self._claim_loop(), name=f"{self.consumer}-claim"),
            asyncio.create_task(self._heartbeat_loop(), name=f"{self.consumer}-beat"),
        ]
        self._running = True
        try:
            await asyncio.gather(*tasks)
        finally:
            self._running = False
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
                await self._redis_pause(attempt, exc)

    async def _redis_pause(self, attempt: int, exc: BaseException) -> None:
        """Back off after the ``attempt``-th Redis failure in a row (logged now and then)."""
        if _worth_logging(attempt):
            log.warning(
                "gateway.redis.unavailable",
                consumer=self.consumer,
                error=repr(exc),
                attempt=attempt,
            )
        await asyncio.sleep(backoff_delay(attempt, base_s=0.05, max_s=1.0))

    # -- reading -----------------------------------------------------------------------

    def _entry(self, eid: Any, raw: Mapping[Any, Any], *, fresh: bool) -> StreamEntry:
        fields = {_s(k): _s(v) for k, v in raw.items()}
        seq = fields.get("seq")
        return StreamEntry(
            id=_s(eid),
            fields=fields,
            lane=self._lane_of(fields),
            seq=int(seq) if seq and seq.isdigit() else None,
            fresh_until=time.monotonic() + self._min_idle_ms / 2000 if fresh else 0.0,
        )

    async def _take(self, items: Iterable[Any], *, fresh: bool) -> None:
        for eid, raw in items:
            if not raw:  # trimmed away while pending: nothing left to do
                await self._redis.xack(self.stream, self.group, eid)
                continue
            self._add(self._entry(eid, raw, fresh=fresh))

    def adopt(
        self,
        items: Iterable[tuple[Any, Mapping[Any, Any]]],
        *,
        lane: str | None = None,
        done: int = 0,
    ) -> bool:
        """Take entries that a script just read for this consumer (``XREADGROUP``).

        ``done``: a lower bound of the ``done`` of conversation ``lane``, read in the same
        script (other conversations' entries, read from a backlog, get no hint). Returns
        False when the consumer is not running: the entries then stay pending under its
        name and are read again when it starts.
        """
        if not self._running:
            return False
        for eid, raw in items:
            if raw:
                self._add(self._entry(eid, raw, fresh=True))
        if lane is not None:
            self._note_done(lane, done)
        return True

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
                await self._redis_pause(attempt, exc)
                continue
            items = [item for _s_, entries in res or [] for item in entries]
            fresh = start != "0"
            if start == "0":
                start = ">"
            await self._take(items, fresh=fresh)

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
            await self._take(res[1], fresh=False)

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

    def _note_done(self, lane: str, done: int) -> None:
        """Raise the lane's known lower bound of ``done`` (only while the lane is busy)."""
        if lane in self._lanes and done > self._known_done.get(lane, -1):
            self._known_done[lane] = done

    async def _ready(self, entry: StreamEntry) -> tuple[str, tuple[Any, ...]]:
        fresh = time.monotonic() < entry.fresh_until
        if fresh and self._ready_hint is not None and self._ready_hint(entry):
            return "go", ()
        known = self._known_done.get(entry.lane)
        if self._prefetch is None:
            if entry.seq is None:
                return "go", ()
            if known is not None and known >= entry.seq:
                return "skip", ()
            if known == entry.seq - 1 and fresh:
                return "go", ()
            done_raw = await self._redis.hget(self._order_key_of(entry.lane), "done")
            extra: tuple[Any, ...] = ()
        else:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.hget(self._order_key_of(entry.lane), "done")
                self._prefetch(pipe, entry)
                done_raw, *rest = await pipe.execute()
            extra = tuple(rest)
        done = int(done_raw) if done_raw else 0
        self._note_done(entry.lane, done)
        if entry.seq is None or done == entry.seq - 1:
            return "go", extra
        if done >= entry.seq:
            return "skip", extra
        first = self._first_wait.setdefault(entry.id, time.monotonic())
        if time.monotonic() - first > self._order_wait_max_s:
            log.warning("gateway.consumer.order_gap", lane=entry.lane, seq=entry.seq, done=done)
            return "go", extra
        return "wait", extra

    async def _run_lane(self, lane: str) -> None:
        heap = self._lanes[lane]
        try:
            while heap:
                # A bug or an unexpected Redis reply must not end the lane: its entries
                # would stay held, unanswered, until the process restarts.
                await self._retry_unexpected(
                    lambda: self._lane_step(lane, heap), "gateway.consumer.lane_failed", lane=lane
                )
        finally:
            self._lane_tasks.pop(lane, None)
            if not heap:
                self._lanes.pop(lane, None)
                self._known_done.pop(lane, None)

    async def _lane_step(self, lane: str, heap: list[tuple[int, str]]) -> None:
        """Run (or skip, or wait for) the lane's earliest entry."""
        order_key = self._order_key_of(lane)
        _seq, eid = heap[0]
        entry = self._held[eid]
        ready, extra = await self._retry_redis(lambda e=entry: self._ready(e))
        if ready == "wait":
            await self._signals.wait(order_key, _ORDER_POLL_S)
            return
        if heap[0][1] != eid:  # an earlier entry arrived meanwhile: look again
            return
        item = heapq.heappop(heap)
        finished: Finished | None = None
        if ready == "go":
            try:
                finished = await self._handle(dataclasses.replace(entry, prefetched=extra))
            except Exception:
                heapq.heappush(heap, item)  # not handled: it runs again on the next step
                raise
        else:
            log.info("gateway.consumer.skip_done", lane=lane, seq=entry.seq)
        if finished is None:
            # Handled (or given up): retry only the finish, never the handler.
            finished = await self._retry_unexpected(
                lambda: self._retry_redis(lambda: self._finish(entry)),
                "gateway.consumer.finish_failed",
                entry=entry.id,
            )
        self._note_done(lane, finished.done)
        self._signals.finished(order_key)
        self._held.pop(eid, None)
        self._first_wait.pop(eid, None)

    async def _retry_unexpected(
        self, fn: Callable[[], Awaitable[T]], event: str, **fields: Any
    ) -> T:
        """``fn()`` until it returns; an error is logged as ``event`` (1st, 10th, every
        100th in a row) and ``fn`` tried again after a capped backoff."""
        failures = 0
        while True:
            try:
                return await fn()
            except Exception:
                failures += 1
                if _worth_logging(failures):
                    log.exception(event, consumer=self.consumer, failures=failures, **fields)
                await asyncio.sleep(backoff_delay(failures, base_s=0.2, max_s=5.0))

    async def _handle(self, entry: StreamEntry) -> Finished | None:
        errors = 0
        redis_attempt = 0
        while True:
            try:
                async with self._sem:
                    return await self._handler(entry)
            except asyncio.CancelledError:
                raise
            except REDIS_DOWN as exc:
                redis_attempt += 1
                await self._redis_pause(redis_attempt, exc)
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
                    return None
                await asyncio.sleep(backoff_delay(errors, base_s=0.2, max_s=5.0))

    def finish_keys_args(self, entry: StreamEntry) -> tuple[list[str], list[str | int]]:
        """KEYS and ARGV of ``finish_entry`` (:data:`FINISH_LUA`) for ``entry``."""
        return (
            [self.stream, self._order_key_of(entry.lane)],
            [self.group, entry.id, "" if entry.seq is None else str(entry.seq), ORDER_TTL_S],
        )

    async def _finish(self, entry: StreamEntry) -> Finished:
        keys, args = self.finish_keys_args(entry)
        _acked, done = await _FINISH(self._redis, keys, args)
        return Finished(done=int(done))
