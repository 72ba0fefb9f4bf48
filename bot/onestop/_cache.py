"""A short Redis cache of dossier look-ups (positive and negative).

Citizens ask about the same dossier several times in a row ("thế còn hạn?", a second
channel, a family member); a few tens of seconds of staleness costs nothing, and the cache
keeps answering while the one-stop system is slow. Not-found answers are cached too, for a
shorter time, so that guessing codes does not turn into load on the one-stop system.
Only the parsed, filtered record is stored (no personal data beyond the masked name).
"""

from __future__ import annotations

import json
from typing import Final

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.logs import get_logger
from bot.onestop._errors import MalformedResponse
from bot.onestop._models import Dossier, dossier_to_cache, parse_dossier

log = get_logger(__name__)


class _NotFoundMarker:
    def __repr__(self) -> str:
        return "NOT_FOUND"


NOT_FOUND: Final = _NotFoundMarker()


class DossierCache:
    def __init__(
        self, *, redis: Redis, key_prefix: str, ttl_s: int, negative_ttl_s: int | None = None
    ) -> None:
        self._redis = redis
        self._prefix = f"{key_prefix}onestop:cache:"
        self._ttl_s = ttl_s
        self._negative_ttl_s = negative_ttl_s if negative_ttl_s is not None else max(ttl_s // 2, 1)

    @property
    def enabled(self) -> bool:
        return self._ttl_s > 0

    async def get(self, code: str) -> Dossier | _NotFoundMarker | None:
        if not self.enabled:
            return None
        try:
            raw = await self._redis.get(self._prefix + code)
        except RedisError as exc:
            log.warning("onestop.cache.redis_error", error=str(exc))
            return None
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            return NOT_FOUND if data.get("not_found") else parse_dossier(data)
        except (ValueError, AttributeError, MalformedResponse):
            return None

    async def put(self, dossier: Dossier) -> None:
        await self._set(
            dossier.code, json.dumps(dossier_to_cache(dossier), ensure_ascii=False), self._ttl_s
        )

    async def put_not_found(self, code: str) -> None:
        await self._set(code, '{"not_found": true}', self._negative_ttl_s)

    async def _set(self, code: str, value: str, ttl_s: int) -> None:
        if not self.enabled:
            return
        try:
            await self._redis.set(self._prefix + code, value, ex=ttl_s)
        except RedisError as exc:
            log.warning("onestop.cache.redis_error", error=str(exc))
