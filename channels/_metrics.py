"""Counters shared by every gateway process (in one Redis hash) and the Prometheus page.

Counters live in Redis rather than in process memory because the gateway, the dispatcher
workers and the outbox worker may be separate processes; ``/metrics`` shows their sum.
A hash field is ``name`` or ``name|label=value``.

On the message paths counts go through :class:`Counters`, which adds them up in memory and
writes them with one pipelined round trip every ``interval_s`` (a Redis call per event
cost as much as the event's real work); rare events use :func:`incr` directly.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from redis.asyncio import Redis

from bot.logs import get_logger
from bot.outbox import DEAD_LETTER_STREAM, OUTBOX_STREAM

from ._keys import DISPATCH_GROUP, OUTBOX_GROUP, inbound_stream, metrics_key

log = get_logger(__name__)

COUNTERS: Mapping[str, str] = {
    "received": "Webhook deliveries that carried a citizen message",
    "duplicates": "Deliveries dropped as replays of an accepted message",
    "rejected": "Requests refused (bad signature, bad input, too large...)",
    "ignored": "Platform events answered 200 and not handled (follow, edits...)",
    "rate_limited": "Messages dropped by the per-sender flood limit",
    "enqueued": "Messages appended to the inbound stream",
    "dispatched": "Inbound messages handled by a dispatcher and acknowledged",
    "handoff": "Inbound messages queued for an official (agent mode)",
    "rasa_errors": "Failed calls to Rasa (each retry counts)",
    "delivered": "Outbox messages delivered to a platform",
    "send_retries": "Outbox send attempts that failed and were retried",
    "dead_lettered": "Outbox messages moved to the dead-letter stream",
}


def field_name(name: str, **labels: str) -> str:
    if not labels:
        return name
    return name + "|" + ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


async def incr(redis: Redis, prefix: str, name: str, amount: int = 1, **labels: str) -> None:
    """Count an event; a Redis failure here must never break the message path."""
    try:
        await redis.hincrby(metrics_key(prefix), field_name(name, **labels), amount)
    except Exception as exc:  # metrics are best effort
        log.warning("gateway.metrics.failed", error=repr(exc))


class Counters:
    """Counts added in memory and flushed to Redis in batches (best effort, like :func:`incr`)."""

    def __init__(self, *, redis: Redis, key_prefix: str, interval_s: float = 0.5) -> None:
        self._redis = redis
        self._key = metrics_key(key_prefix)
        self._interval_s = interval_s
        self._pending: Counter[str] = Counter()

    def add(self, name: str, amount: int = 1, **labels: str) -> None:
        self._pending[field_name(name, **labels)] += amount

    async def flush(self) -> None:
        if not self._pending:
            return
        batch, self._pending = self._pending, Counter()
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for name, amount in batch.items():
                    pipe.hincrby(self._key, name, amount)
                await pipe.execute()
        except Exception as exc:  # kept for the next flush; metrics never break messages
            self._pending.update(batch)
            log.warning("gateway.metrics.failed", error=repr(exc))

    async def run(self) -> None:
        """Flush every ``interval_s`` until cancelled, then once more."""
        try:
            while True:
                await asyncio.sleep(self._interval_s)
                await self.flush()
        finally:
            await self.flush()

    async def run_beside(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run ``work()`` while flushing these counters in the background."""
        flusher = asyncio.create_task(self.run())
        try:
            await work()
        finally:
            flusher.cancel()
            await asyncio.gather(flusher, return_exceptions=True)


def _label_text(labels: str) -> str:
    if not labels:
        return ""
    parts = []
    for pair in labels.split(","):
        k, _, v = pair.partition("=")
        v = v.replace("\\", "\\\\").replace('"', '\\"')
        parts.append(f'{k}="{v}"')
    return "{" + ",".join(parts) + "}"


def render_counters(values: Mapping[str, int]) -> list[str]:
    """Prometheus text lines for the counters (every known counter, even at zero)."""
    lines: list[str] = []
    by_name: dict[str, list[tuple[str, int]]] = {}
    for raw, value in values.items():
        name, _, labels = raw.partition("|")
        by_name.setdefault(name, []).append((labels, value))
    for name in sorted(set(COUNTERS) | set(by_name)):
        metric = f"gateway_{name}_total"
        lines.append(f"# HELP {metric} {COUNTERS.get(name, name)}")
        lines.append(f"# TYPE {metric} counter")
        samples = sorted(by_name.get(name, [("", 0)]))
        for labels, value in samples:
            lines.append(f"{metric}{_label_text(labels)} {value}")
    return lines


def render_gauges(gauges: Mapping[str, tuple[str, float]]) -> list[str]:
    lines: list[str] = []
    for metric, (help_text, value) in sorted(gauges.items()):
        lines.append(f"# HELP {metric} {help_text}")
        lines.append(f"# TYPE {metric} gauge")
        lines.append(f"{metric} {value:g}")
    return lines


async def _group_info(redis: Redis, stream: str, group: str) -> dict[str, Any]:
    try:
        groups = await redis.xinfo_groups(stream)
    except Exception:  # the stream does not exist yet
        return {}
    for g in groups:
        name = g.get("name")
        name = name.decode() if isinstance(name, bytes) else name
        if name == group:
            return g
    return {}


async def collect(redis: Redis, prefix: str) -> str:
    """The whole ``/metrics`` page."""
    raw = await redis.hgetall(metrics_key(prefix))
    values = {(k.decode() if isinstance(k, bytes) else k): int(v) for k, v in raw.items()}
    gauges: dict[str, tuple[str, float]] = {}
    for label, stream, group in (
        ("inbound", inbound_stream(prefix), DISPATCH_GROUP),
        ("outbox", f"{prefix}{OUTBOX_STREAM}", OUTBOX_GROUP),
    ):
        info = await _group_info(redis, stream, group)
        gauges[f"gateway_{label}_stream_length"] = (
            f"Entries kept in the {label} stream",
            float(await redis.xlen(stream)),
        )
        gauges[f"gateway_{label}_pending"] = (
            f"{label} entries delivered to a consumer and not yet acknowledged",
            float(info.get("pending") or 0),
        )
        gauges[f"gateway_{label}_lag"] = (
            f"{label} entries not yet read by any consumer",
            float(info.get("lag") or 0),
        )
    gauges["gateway_dead_letter_length"] = (
        "Messages in the dead-letter stream",
        float(await redis.xlen(f"{prefix}{DEAD_LETTER_STREAM}")),
    )
    return "\n".join(render_counters(values) + render_gauges(gauges)) + "\n"
