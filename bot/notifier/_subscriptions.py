"""Dossier subscriptions in Redis: who wants to hear about which dossier, and on what channel.

Keys (all under the settings' key prefix):

* ``dossier:sub:<code>``: hash, conversation id → JSON {channel, recipient, status, version, since}
* ``dossier:watch``: set of codes with at least one subscriber (the notifier's watch list)
* ``dossier:subs_of:<conversation>``: set of codes one conversation follows

The conversation id is the Rasa sender id ``<channel>:<recipient>``, so a notification goes
back to the channel the citizen subscribed from. Subscriptions expire after ``ttl_s``
without activity, and end when the dossier is finished.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Literal

from redis.asyncio import Redis

from bot.outbox import split_conversation_id

SubscribeResult = Literal["created", "exists", "limit"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Subscription:
    code: str
    conversation_id: str
    channel: str
    recipient: str
    status: int  # the last status this subscriber was told about (or saw when subscribing)
    version: str  # Dossier.version of that status
    since: float


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class SubscriptionStore:
    def __init__(
        self,
        *,
        redis: Redis,
        key_prefix: str,
        ttl_s: int = 120 * 24 * 3600,
        max_per_conversation: int = 5,
    ) -> None:
        self._redis = redis
        self._p = key_prefix
        self._ttl_s = ttl_s
        self._max = max_per_conversation

    def _sub_key(self, code: str) -> str:
        return f"{self._p}dossier:sub:{code}"

    def _of_key(self, conversation_id: str) -> str:
        return f"{self._p}dossier:subs_of:{conversation_id}"

    @property
    def _watch_key(self) -> str:
        return f"{self._p}dossier:watch"

    async def subscribe(
        self, *, code: str, conversation_id: str, status: int, version: str
    ) -> SubscribeResult:
        if await self._redis.hexists(self._sub_key(code), conversation_id):
            return "exists"
        if await self._redis.scard(self._of_key(conversation_id)) >= self._max:
            return "limit"
        channel, recipient = split_conversation_id(conversation_id)
        record = json.dumps(
            {
                "channel": channel,
                "recipient": recipient,
                "status": status,
                "version": version,
                "since": time.time(),
            }
        )
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._sub_key(code), conversation_id, record)
            pipe.expire(self._sub_key(code), self._ttl_s)
            pipe.sadd(self._watch_key, code)
            pipe.sadd(self._of_key(conversation_id), code)
            pipe.expire(self._of_key(conversation_id), self._ttl_s)
            await pipe.execute()
        return "created"

    async def unsubscribe(self, *, code: str, conversation_id: str) -> bool:
        removed = await self._redis.hdel(self._sub_key(code), conversation_id)
        await self._redis.srem(self._of_key(conversation_id), code)
        if not await self._redis.exists(self._sub_key(code)):
            await self._redis.srem(self._watch_key, code)
        return bool(removed)

    async def unsubscribe_all(self, conversation_id: str) -> list[str]:
        codes = await self.codes_of(conversation_id)
        for code in codes:
            await self.unsubscribe(code=code, conversation_id=conversation_id)
        return codes

    async def codes_of(self, conversation_id: str) -> list[str]:
        return sorted(_s(c) for c in await self._redis.smembers(self._of_key(conversation_id)))

    async def watched(self) -> set[str]:
        return {_s(c) for c in await self._redis.smembers(self._watch_key)}

    async def subscribers(self, code: str) -> list[Subscription]:
        raw = await self._redis.hgetall(self._sub_key(code))
        if not raw:
            # Expired or ended: keep the watch list clean.
            await self._redis.srem(self._watch_key, code)
            return []
        subs = []
        for conv, value in raw.items():
            data = json.loads(value)
            subs.append(
                Subscription(
                    code=code,
                    conversation_id=_s(conv),
                    channel=data["channel"],
                    recipient=data["recipient"],
                    status=int(data["status"]),
                    version=str(data["version"]),
                    since=float(data["since"]),
                )
            )
        return subs

    async def mark_seen(self, sub: Subscription, *, status: int, version: str) -> None:
        """Remember what this subscriber was told, only if still subscribed."""
        record = json.dumps(
            {
                "channel": sub.channel,
                "recipient": sub.recipient,
                "status": status,
                "version": version,
                "since": sub.since,
            }
        )
        key = self._sub_key(sub.code)
        if await self._redis.hexists(key, sub.conversation_id):
            await self._redis.hset(key, sub.conversation_id, record)
            await self._redis.expire(key, self._ttl_s)

    async def end(self, code: str) -> None:
        """The dossier is finished: drop every subscription to it."""
        convs = [_s(c) for c in await self._redis.hkeys(self._sub_key(code))]
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(self._sub_key(code))
            pipe.srem(self._watch_key, code)
            for conv in convs:
                pipe.srem(self._of_key(conv), code)
            await pipe.execute()
