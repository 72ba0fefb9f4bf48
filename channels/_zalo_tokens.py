"""The Zalo OA access token, kept in Redis and refreshed when Zalo says it expired (-216).

Every process shares the same tokens; a refresh takes a short Redis lock so that two
workers do not both spend the (single-use) refresh token. Each process keeps the access
token in memory for up to a minute (a Redis read per send otherwise): when Zalo refuses it
(-216) the caller asks :meth:`ZaloTokenStore.refresh`, which drops the copy and reads Redis
first, so a token rotated by another process costs one refused send, not a refresh.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import aiohttp
from redis.asyncio import Redis

from bot.logs import get_logger
from bot.settings import ZaloSettings

from ._errors import SendError
from ._keys import zalo_token_key

log = get_logger(__name__)

_LOCK_TTL_MS = 15_000
_MEMORY_TTL_S = 60.0
_PREVIOUS_TTL_S = 7 * 24 * 3600


def _text(value: bytes | str | None) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else value


class ZaloTokenStore:
    """Access/refresh tokens in Redis, seeded from the settings the first time."""

    def __init__(
        self,
        *,
        redis: Redis,
        http: aiohttp.ClientSession,
        settings: ZaloSettings,
        key_prefix: str,
        timeout_s: float = 10.0,
    ) -> None:
        self._redis = redis
        self._http = http
        self._settings = settings
        self._prefix = key_prefix
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._memory: tuple[str, float] | None = None  # (token, monotonic expiry)

    def _key(self, kind: str) -> str:
        return zalo_token_key(self._prefix, kind)

    def _remember(self, token: str) -> str:
        self._memory = (token, time.monotonic() + _MEMORY_TTL_S) if token else None
        return token

    async def access_token(self) -> str:
        if self._memory is not None and time.monotonic() < self._memory[1]:
            return self._memory[0]
        token = _text(await self._redis.get(self._key("access_token")))
        if token:
            return self._remember(token)
        if self._settings.access_token:
            await self._redis.set(self._key("access_token"), self._settings.access_token, nx=True)
            return self._remember(_text(await self._redis.get(self._key("access_token"))) or "")
        # No access token at all: try to get one with the refresh token.
        return await self.refresh(stale="")

    async def refresh(self, *, stale: str) -> str:
        """A fresh access token; ``stale`` is the one Zalo refused (skip if already replaced)."""
        self._memory = None
        return self._remember(await self._refresh(stale=stale))

    async def _refresh(self, *, stale: str) -> str:
        lock = self._key("refresh_lock")
        me = uuid.uuid4().hex
        for _ in range(100):
            current = _text(await self._redis.get(self._key("access_token")))
            if current and current != stale:
                return current  # another worker refreshed meanwhile
            if await self._redis.set(lock, me, nx=True, px=_LOCK_TTL_MS):
                break
            await asyncio.sleep(0.1)
        else:
            raise SendError("zalo token refresh lock busy", retryable=True)
        try:
            current = _text(await self._redis.get(self._key("access_token")))
            if current and current != stale:
                return current
            return await self._do_refresh()
        finally:
            if _text(await self._redis.get(lock)) == me:
                await self._redis.delete(lock)

    async def _do_refresh(self) -> str:
        s = self._settings
        refresh_token = _text(await self._redis.get(self._key("refresh_token"))) or s.refresh_token
        if not refresh_token or not s.app_id or not s.app_secret:
            raise SendError("zalo token expired and no refresh token configured", retryable=False)
        try:
            async with self._http.post(
                f"{s.oauth_url}/v4/oa/access_token",
                data={
                    "refresh_token": refresh_token,
                    "app_id": s.app_id,
                    "grant_type": "refresh_token",
                },
                headers={"secret_key": s.app_secret},
                timeout=self._timeout,
            ) as resp:
                if resp.status >= 500 or resp.status == 429:
                    raise SendError(f"zalo oauth HTTP {resp.status}", retryable=True)
                data = await resp.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise SendError(f"zalo oauth unreachable: {exc!r}", retryable=True) from exc
        access = data.get("access_token") if isinstance(data, dict) else None
        new_refresh = data.get("refresh_token") if isinstance(data, dict) else None
        if not access or not new_refresh:
            log.error("zalo.token.refresh_failed", response=str(data)[:300])
            raise SendError(f"zalo token refresh refused: {str(data)[:200]}", retryable=False)
        expires_in = int(data.get("expires_in") or 90_000)
        # The refresh token is single-use: the new one is written in the same transaction
        # that retires the old one (kept aside for a week, for an operator's eyes only).
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._key("refresh_token:previous"), refresh_token, ex=_PREVIOUS_TTL_S)
            pipe.set(self._key("refresh_token"), new_refresh)
            pipe.set(self._key("access_token"), access, ex=max(60, expires_in - 300))
            await pipe.execute()
        log.info("zalo.token.refresh.ok", expires_in=expires_in)
        return str(access)
