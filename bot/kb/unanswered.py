"""Questions the assistant did not answer, kept for the editors who add what is missing.

The actions push each such question (already masked, :mod:`actions.unanswered`) onto the
Redis list ``{prefix}kb:unanswered``, newest first and capped: what the bot did not
understand or does not cover, and a question on a procedure its entry cannot answer. ``python -m
bot.kb.unanswered`` (``make unanswered``) reads it back grouped, most asked first, so an
editor sees which procedures, aliases or training examples citizens miss most.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import redis.asyncio as aioredis

from bot.nlu.text import fold_words
from bot.onestop import VN_TZ

if TYPE_CHECKING:
    from bot.settings import Settings


def unanswered_key(prefix: str) -> str:
    """The Redis list of unanswered questions under the deployment's key prefix."""
    return f"{prefix}kb:unanswered"


async def record(
    redis: aioredis.Redis, key: str, entry: Mapping[str, Any], *, max_entries: int
) -> None:
    """Push ``entry`` (JSON) onto the list, newest first, keeping ``max_entries`` at most."""
    async with redis.pipeline(transaction=True) as pipe:
        pipe.lpush(key, json.dumps(entry, ensure_ascii=False))
        pipe.ltrim(key, 0, max(max_entries, 1) - 1)
        await pipe.execute()


async def read(redis: aioredis.Redis, key: str) -> list[dict[str, Any]]:
    """Every entry of the list, newest first; an item that is not a JSON object is skipped
    (the list is ours, but a hand-edited item must not stop an editor's report)."""
    out: list[dict[str, Any]] = []
    for raw in await redis.lrange(key, 0, -1):
        try:
            entry = json.loads(raw)
        except (TypeError, ValueError):
            continue
        if isinstance(entry, dict) and isinstance(entry.get("text"), str):
            out.append(entry)
    return out


@dataclass(frozen=True)
class Group:
    """One question as editors see it: the ways it was typed folded into one key."""

    key: str
    text: str  # the latest wording
    count: int
    last_ts: float
    intents: Counter[str] = field(default_factory=Counter)
    # The procedures it was asked about, when the bot knew but the entry had no answer.
    procedures: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        # Editors read Vietnam's time, whatever the server's zone.
        when = dt.datetime.fromtimestamp(self.last_ts, VN_TZ).strftime("%Y-%m-%d %H:%M")
        reads = ", ".join(f"{name} ×{n}" for name, n in self.intents.most_common(2))
        about = ", ".join(name for name, _ in self.procedures.most_common(2))
        return f"{self.count:>4}  {when}  {self.text}  [{reads}]" + (
            f"  (about {about})" if about else ""
        )


def group(entries: Iterable[Mapping[str, Any]]) -> list[Group]:
    """Entries grouped by their accent-folded words ("Lệ phí visa?" = "le phi visa"),
    most asked first, then most recent. ``intents`` counts what the bot made of them: the
    intent, or the classifier's guess where the intent was ``nlu_fallback``."""
    groups: dict[str, dict[str, Any]] = {}
    for entry in entries:
        text = str(entry["text"])
        key = fold_words(text)
        if not key:
            continue
        raw_ts = entry.get("ts")
        ts = float(raw_ts) if isinstance(raw_ts, int | float) else 0.0
        g = groups.setdefault(
            key,
            {"text": text, "count": 0, "ts": ts, "intents": Counter(), "procedures": Counter()},
        )
        g["count"] += 1
        if ts > g["ts"]:
            g["text"], g["ts"] = text, ts
        intent = entry.get("intent")
        read_as = entry.get("guess") if intent == "nlu_fallback" else intent
        g["intents"][f"{read_as or '?'}"] += 1
        if isinstance(entry.get("procedure"), str):
            g["procedures"][entry["procedure"]] += 1
    out = [
        Group(
            key=k,
            text=g["text"],
            count=g["count"],
            last_ts=g["ts"],
            intents=g["intents"],
            procedures=g["procedures"],
        )
        for k, g in groups.items()
    ]
    return sorted(out, key=lambda g: (-g.count, -g.last_ts))


async def _report(url: str, key: str, *, limit: int, intent: str | None) -> list[str]:
    from bot.redis_client import connect

    redis = connect(url)
    try:
        entries = await read(redis, key)
    finally:
        await redis.close()
    if intent:
        entries = [e for e in entries if intent in (e.get("intent"), e.get("guess"))]
    groups = group(entries)
    lines = [f"{len(entries)} question(s) in {key}, {len(groups)} different:"]
    lines += [str(g) for g in groups[:limit]]
    if len(groups) > limit:
        lines.append(f"… and {len(groups) - limit} more (--limit)")
    return lines


def main(argv: list[str] | None = None, *, settings: Settings | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=50, help="groups to print (default 50)")
    parser.add_argument(
        "--intent",
        help="only questions read as this intent (out_of_scope, nlu_fallback, or the "
        "classifier's guess behind a fallback, e.g. ask_fee)",
    )
    args = parser.parse_args(argv)
    from bot.redis_local import redis_address
    from bot.settings import load_settings

    settings = settings or load_settings()
    key = unanswered_key(settings.redis.key_prefix)
    try:
        lines = asyncio.run(
            _report(settings.redis.url, key, limit=max(args.limit, 1), intent=args.intent)
        )
    except (aioredis.RedisError, OSError) as exc:
        host, port, db, _ = redis_address(settings.redis.url)  # never print a password
        print(f"Redis at {host}:{port}/{db} did not answer: {exc}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
