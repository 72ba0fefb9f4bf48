"""The one-stop API client (contract: docs/onestop-openapi.yaml).

Every call is a non-blocking aiohttp request on the caller's event loop (the session is
passed in). Reads are idempotent, so they are retried with exponential backoff and jitter;
each attempt has its own timeout. Whole calls that still fail are counted by the shared
circuit breaker; while it is open the client answers :class:`CircuitOpen` at once instead
of making a citizen wait for another timeout. Successful and not-found look-ups are cached
in Redis for a short time, and concurrent look-ups of the same code in one process share
one request.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import aiohttp
from redis.asyncio import Redis

from bot.logs import get_logger
from bot.onestop._breaker import CircuitBreaker
from bot.onestop._cache import NOT_FOUND, DossierCache
from bot.onestop._errors import (
    CircuitOpen,
    CursorExpired,
    DossierNotFound,
    FeedNotSupported,
    MalformedResponse,
    OneStopError,
    OneStopUnavailable,
)
from bot.onestop._models import ChangePage, Dossier, parse_change_page, parse_dossier
from bot.settings import OneStopSettings, Settings

log = get_logger(__name__)
T = TypeVar("T")
API_PREFIX = "/api/v1"


@dataclass(kw_only=True, slots=True)
class ClientStats:
    """Per-process counters (for benchmarks and health output)."""

    lookups: int = 0
    cache_hits: int = 0
    upstream_calls: int = 0  # HTTP requests actually sent, retries included
    failures: int = 0


class _Retryable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def base_url_of(settings: OneStopSettings) -> str:
    """The configured system, or the local simulator the launcher starts when none is."""
    return (settings.url or f"http://127.0.0.1:{settings.simulator_port}").rstrip("/")


def auth_headers(settings: OneStopSettings) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if settings.api_key:
        headers["X-API-Key"] = settings.api_key
    if settings.bearer_token:
        headers["Authorization"] = f"Bearer {settings.bearer_token}"
    return headers


def backoff_delay(attempt: int, base_s: float, *, cap_s: float = 5.0) -> float:
    """Exponential backoff with full jitter: attempt 0 → [0.5, 1.5) × base, doubling."""
    return min(cap_s, base_s * (2**attempt)) * random.uniform(0.5, 1.5)


class OneStopClient:
    def __init__(
        self,
        *,
        session: aiohttp.ClientSession,
        settings: OneStopSettings,
        breaker: CircuitBreaker | None = None,
        cache: DossierCache | None = None,
        base_url: str | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._session = session
        self._settings = settings
        self._base = (base_url or base_url_of(settings)).rstrip("/")
        self._headers = auth_headers(settings)
        self._breaker = breaker
        self._cache = cache
        self._sleep = sleep
        self._inflight: dict[str, asyncio.Future[Dossier]] = {}
        self.stats = ClientStats()

    @classmethod
    def from_settings(
        cls, *, session: aiohttp.ClientSession, redis: Redis, settings: Settings
    ) -> OneStopClient:
        """The client wired with the shared breaker and cache (no I/O here)."""
        s = settings.onestop
        prefix = settings.redis.key_prefix
        return cls(
            session=session,
            settings=s,
            breaker=CircuitBreaker(
                redis=redis,
                key_prefix=prefix,
                failures=s.breaker_failures,
                reset_s=s.breaker_reset_s,
            ),
            cache=DossierCache(redis=redis, key_prefix=prefix, ttl_s=s.cache_ttl_s),
        )

    @property
    def base_url(self) -> str:
        return self._base

    # --- public API ----------------------------------------------------------------

    async def get_dossier(self, code: str, *, use_cache: bool = True) -> Dossier:
        """The dossier with canonical ``code``.

        Raises :class:`DossierNotFound`, :class:`OneStopUnavailable` (busy) or
        :class:`CircuitOpen`.
        """
        self.stats.lookups += 1
        started = time.perf_counter()
        if use_cache and self._cache is not None:
            cached = await self._cache.get(code)
            if cached is NOT_FOUND:
                self.stats.cache_hits += 1
                log.info("onestop.lookup.not_found", code=code, cached=True)
                raise DossierNotFound(code)
            if isinstance(cached, Dossier):
                self.stats.cache_hits += 1
                log.info("onestop.lookup.ok", code=code, cached=True, status=int(cached.status))
                return cached
        # One request per code and process, however many conversations ask at once.
        pending = self._inflight.get(code)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Dossier] = asyncio.get_running_loop().create_future()
        self._inflight[code] = future
        try:
            dossier = await self._fetch_dossier(code, started)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: nobody else may be waiting
            raise
        else:
            future.set_result(dossier)
            return dossier
        finally:
            del self._inflight[code]

    async def changes(self, cursor: str | None, *, limit: int = 200) -> ChangePage:
        """One page of the change feed after ``cursor`` (None: start from now).

        Raises :class:`FeedNotSupported`, :class:`CursorExpired`, :class:`OneStopUnavailable`
        or :class:`CircuitOpen`.
        """
        params = {"limit": str(limit)}
        if cursor:
            params["cursor"] = cursor
        return await self._guarded(
            lambda: self._get(f"{API_PREFIX}/changes", params, parse_change_page, feed=True)
        )

    # --- internals -----------------------------------------------------------------

    async def _fetch_dossier(self, code: str, started: float) -> Dossier:
        path = f"{API_PREFIX}/dossiers/{quote(code, safe='')}"
        try:
            dossier = await self._guarded(lambda: self._get(path, None, parse_dossier))
        except DossierNotFound:
            if self._cache is not None:
                await self._cache.put_not_found(code)
            log.info("onestop.lookup.not_found", code=code, ms=_ms(started))
            raise
        except CircuitOpen as exc:
            log.warning(
                "onestop.lookup.circuit_open", code=code, retry_after_s=round(exc.retry_after_s, 1)
            )
            raise
        except OneStopUnavailable as exc:
            log.warning("onestop.lookup.busy", code=code, reason=str(exc), ms=_ms(started))
            raise
        if self._cache is not None:
            await self._cache.put(dossier)
        log.info("onestop.lookup.ok", code=code, status=int(dossier.status), ms=_ms(started))
        return dossier

    async def _guarded(self, call: Callable[[], Awaitable[T]]) -> T:
        """Run one logical call under the circuit breaker."""
        if self._breaker is not None:
            await self._breaker.before_call()
        try:
            result = await call()
        except (DossierNotFound, FeedNotSupported, CursorExpired):
            # The system answered properly: it is up.
            if self._breaker is not None:
                await self._breaker.record_success()
            raise
        except OneStopUnavailable:
            self.stats.failures += 1
            if self._breaker is not None:
                await self._breaker.record_failure()
            raise
        if self._breaker is not None:
            await self._breaker.record_success()
        return result

    async def _get(
        self,
        path: str,
        params: dict[str, str] | None,
        parse: Callable[[Any], T],
        *,
        feed: bool = False,
    ) -> T:
        attempts = 1 + max(0, self._settings.retries)
        last = "no attempt"
        for attempt in range(attempts):
            if attempt:
                await self._sleep(backoff_delay(attempt - 1, self._settings.backoff_base_s))
            try:
                return await self._attempt(path, params, parse, feed=feed)
            except _Retryable as exc:
                last = exc.reason
                log.info("onestop.request.retry", path=path, attempt=attempt + 1, reason=last)
        raise OneStopUnavailable(last)

    async def _attempt(
        self, path: str, params: dict[str, str] | None, parse: Callable[[Any], T], *, feed: bool
    ) -> T:
        self.stats.upstream_calls += 1
        timeout = aiohttp.ClientTimeout(total=self._settings.timeout_s)
        try:
            async with self._session.get(
                self._base + path, params=params, headers=self._headers, timeout=timeout
            ) as resp:
                status = resp.status
                body = await resp.read()
        except asyncio.TimeoutError as exc:
            raise _Retryable("timeout") from exc
        except aiohttp.ClientError as exc:
            raise _Retryable(f"connection: {type(exc).__name__}") from exc
        if status == 404 or (feed and status == 501):
            if feed:
                raise FeedNotSupported(path)
            raise DossierNotFound(path.rsplit("/", 1)[-1])
        if status == 410 and feed:
            raise CursorExpired(params.get("cursor", "") if params else "")
        if status >= 500 or status == 429:
            raise _Retryable(f"http {status}")
        if status != 200:
            # 401/403/400: retrying cannot help; the system is unusable for us right now.
            raise OneStopUnavailable(f"http {status}")
        try:
            return parse(json.loads(body))
        except (ValueError, UnicodeDecodeError, MalformedResponse) as exc:
            raise _Retryable(f"malformed: {exc}") from exc


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


__all__ = ["API_PREFIX", "ClientStats", "OneStopClient", "OneStopError"]
