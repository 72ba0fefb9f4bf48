"""The gateway web app: webhooks, the web chat, health and metrics (and, optionally, workers)."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from redis.asyncio import Redis
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.logs import get_logger
from bot.redis_client import connect
from bot.settings import Settings

from ._adapter import ChannelAdapter, ParseResult, check_content_type, decode_json
from ._consumer import REDIS_DOWN, OrderSignals
from ._dispatcher import Dispatcher
from ._errors import WebhookRejected
from ._inbound import AcceptResult, accept
from ._metrics import Counters, collect, incr
from ._outbox_worker import OutboxWorker
from ._rasa import RasaClient
from ._telegram import TelegramAdapter
from ._telegram_polling import poll_updates
from ._web import SESSION_RE, WebAdapter, valid_cursor
from ._zalo import ZaloAdapter

log = get_logger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "web" / "static"
RATE_LIMITED_TEXT = "Bạn gửi nhanh quá, vui lòng chờ một chút rồi nhắn tiếp nhé."


@dataclass(frozen=True, kw_only=True)
class WorkerOptions:
    """Background work hosted by the app (``python -m channels`` turns these on)."""

    dispatchers: int = 0
    outbox: bool = False
    telegram_polling: bool = False
    consumer_prefix: str = ""


SETTINGS = web.AppKey("settings", Settings)
REDIS = web.AppKey("redis", Redis)
HTTP = web.AppKey("http", aiohttp.ClientSession)
TELEGRAM_BOT = web.AppKey("telegram_bot", Bot)
ADAPTERS = web.AppKey("adapters", dict)
WORKERS = web.AppKey("workers", WorkerOptions)
BACKGROUND = web.AppKey("background", set)
COUNTERS = web.AppKey("counters", Counters)


def make_telegram_bot(settings: Settings) -> Bot | None:
    """A PTB ``Bot`` for the configured token (no network I/O until used)."""
    t = settings.telegram
    if not t.bot_token:
        return None
    timeout = settings.gateway.outbox_send_timeout_s
    return Bot(
        t.bot_token,
        base_url=t.api_url,
        request=HTTPXRequest(
            connection_pool_size=64,
            read_timeout=timeout,
            write_timeout=timeout,
            connect_timeout=timeout,
            pool_timeout=timeout,
        ),
        get_updates_request=HTTPXRequest(connection_pool_size=2, read_timeout=40.0),
    )


def build_adapters(
    *, settings: Settings, redis: Redis, http: aiohttp.ClientSession, telegram_bot: Bot | None
) -> dict[str, ChannelAdapter]:
    prefix = settings.redis.key_prefix
    adapters: dict[str, ChannelAdapter] = {
        "web": WebAdapter(
            redis=redis, key_prefix=prefix, reply_ttl_s=settings.gateway.web_reply_ttl_s
        ),
        "zalo": ZaloAdapter(
            settings=settings.zalo,
            http=http,
            redis=redis,
            key_prefix=prefix,
            timeout_s=settings.gateway.outbox_send_timeout_s,
        ),
    }
    if telegram_bot is not None:
        adapters["telegram"] = TelegramAdapter(
            bot=telegram_bot,
            redis=redis,
            key_prefix=prefix,
            webhook_secret=settings.telegram.webhook_secret,
        )
    return adapters


def consumer_name(role: str, index: int, prefix: str = "") -> str:
    return f"{prefix}{role}-{socket.gethostname()}-{os.getpid()}-{index}"


async def accept_result(app: web.Application, result: ParseResult) -> AcceptResult | None:
    """Enqueue a parsed delivery's message (and acknowledge a Telegram button click)."""
    settings, redis = app[SETTINGS], app[REDIS]
    if result.message is None:
        await incr(redis, settings.redis.key_prefix, "ignored", event=result.ignored or "")
        res = None
    else:
        g = settings.gateway
        res = await accept(
            redis,
            result.message,
            key_prefix=settings.redis.key_prefix,
            dedupe_ttl_s=g.dedupe_ttl_s,
            rate_limit=g.sender_rate_limit,
            rate_window_s=g.sender_rate_window_s,
            maxlen=g.stream_maxlen,
        )
    adapter = app[ADAPTERS].get(result.message.channel if result.message else "telegram")
    if result.callback_query_id and adapter is not None:
        _background(app, adapter.after_accept(result))
    return res


def _background(app: web.Application, coro: Awaitable[Any]) -> None:
    task = asyncio.ensure_future(coro)
    app[BACKGROUND].add(task)
    task.add_done_callback(app[BACKGROUND].discard)


# -- handlers -------------------------------------------------------------------------------


def _error(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


async def _read_checked(request: web.Request) -> tuple[bytes, Any]:
    check_content_type(request.content_type)
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge as exc:
        raise WebhookRejected(413, "body too large") from exc
    return body, decode_json(body)


async def _reject(request: web.Request, channel: str, exc: WebhookRejected) -> web.Response:
    app = request.app
    await incr(
        app[REDIS],
        app[SETTINGS].redis.key_prefix,
        "rejected",
        channel=channel,
        status=str(exc.status),
    )
    log.info("gateway.webhook.rejected", channel=channel, status=exc.status, reason=exc.reason)
    return _error(exc.status, exc.reason)


def _webhook(channel: str) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handler(request: web.Request) -> web.Response:
        adapter = request.app[ADAPTERS].get(channel)
        if adapter is None:
            return _error(404, f"{channel} channel not configured")
        try:
            body, data = await _read_checked(request)
            result = adapter.parse(body, data, request.headers)
        except WebhookRejected as exc:
            return await _reject(request, channel, exc)
        res = await accept_result(request.app, result)
        if res is None:
            return web.json_response({"status": "ignored", "event": result.ignored})
        # Platforms resend on anything but 2xx: a flood or a replay is still answered 200.
        return web.json_response({"status": res.status})

    return handler


async def web_message(request: web.Request) -> web.Response:
    adapter = request.app[ADAPTERS]["web"]
    try:
        body, data = await _read_checked(request)
        result = adapter.parse(body, data, request.headers)
    except WebhookRejected as exc:
        return await _reject(request, "web", exc)
    res = await accept_result(request.app, result)
    assert res is not None
    if res.status == "rate_limited":
        return web.json_response({"status": res.status, "message": RATE_LIMITED_TEXT}, status=429)
    return web.json_response(
        {"status": res.status}, status=202 if res.status == "enqueued" else 200
    )


async def web_replies(request: web.Request) -> web.Response:
    adapter: WebAdapter = request.app[ADAPTERS]["web"]
    session = request.query.get("session", "")
    if not SESSION_RE.match(session):
        return _error(400, "bad session")
    after = request.query.get("after")
    if after is None:
        return web.json_response({"replies": [], "cursor": await adapter.last_cursor(session)})
    if not valid_cursor(after):
        return _error(400, "bad cursor")
    max_wait = request.app[SETTINGS].gateway.web_poll_timeout_s
    try:
        wait = min(max_wait, max(0.0, float(request.query.get("wait", max_wait))))
    except ValueError:
        return _error(400, "bad wait")
    replies, cursor = await adapter.replies(session, after=after, block_ms=int(wait * 1000))
    return web.json_response({"replies": replies, "cursor": cursor})


async def chat_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html")


async def root(request: web.Request) -> web.Response:
    raise web.HTTPFound("/chat")


async def _probe(http: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    try:
        async with http.get(url, timeout=aiohttp.ClientTimeout(total=2)) as resp:
            return {"ok": resp.status < 500, "status": resp.status}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}


async def health(request: web.Request) -> web.Response:
    settings, redis, http = request.app[SETTINGS], request.app[REDIS], request.app[HTTP]
    action_base = settings.rasa.action_url.rsplit("/webhook", 1)[0]

    async def redis_check() -> dict[str, Any]:
        try:
            await asyncio.wait_for(redis.ping(), 2)
            return {"ok": True}
        except Exception as exc:
            return {"ok": False, "error": type(exc).__name__}

    r, rasa, actions = await asyncio.gather(
        redis_check(),
        _probe(http, settings.rasa.url.rstrip("/") + "/"),
        _probe(http, action_base + "/health"),
    )
    checks = {"redis": r, "rasa": rasa, "action_server": actions}
    ok = all(c["ok"] for c in checks.values())
    return web.json_response(
        {"status": "ok" if ok else "degraded", "checks": checks}, status=200 if ok else 503
    )


async def metrics(request: web.Request) -> web.Response:
    # This process's batched counts first (other processes flush on their own, within 0.5 s).
    await request.app[COUNTERS].flush()
    text = await collect(request.app[REDIS], request.app[SETTINGS].redis.key_prefix)
    return web.Response(
        text=text,
        content_type="text/plain",
        charset="utf-8",
        headers={"X-Content-Type-Options": "nosniff"},
    )


@web.middleware
async def _errors(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        return _error(413, "body too large")
    except web.HTTPException as exc:
        if exc.status >= 400 and not request.path.startswith("/static/"):
            return _error(exc.status, exc.reason)
        raise
    except REDIS_DOWN as exc:
        # Nothing was accepted: the platform will resend, the page will retry.
        log.warning("gateway.redis.unavailable", path=request.path, error=repr(exc))
        return _error(503, "temporarily unavailable, please retry")
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("gateway.request.failed", path=request.path)
        return _error(500, "internal error")


# -- lifecycle ------------------------------------------------------------------------------


def create_app(
    *,
    settings: Settings,
    redis: Redis | None = None,
    http: aiohttp.ClientSession | None = None,
    telegram_bot: Bot | None = None,
    workers: WorkerOptions | None = None,
) -> web.Application:
    """The gateway app. Clients not passed in are created at start-up and closed at exit."""
    app = web.Application(client_max_size=settings.gateway.max_body_bytes, middlewares=[_errors])
    app[SETTINGS] = settings
    app[WORKERS] = workers or WorkerOptions()
    app[BACKGROUND] = set()

    async def clients(app: web.Application) -> AsyncIterator[None]:
        own_redis = redis is None
        own_http = http is None
        app[REDIS] = (
            redis
            if redis is not None
            else connect(settings.redis.url, socket_connect_timeout=2, health_check_interval=10)
        )
        app[HTTP] = (
            http
            if http is not None
            else aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200))
        )
        bot = telegram_bot if telegram_bot is not None else make_telegram_bot(settings)
        if bot is not None:
            app[TELEGRAM_BOT] = bot
        app[ADAPTERS] = build_adapters(
            settings=settings, redis=app[REDIS], http=app[HTTP], telegram_bot=bot
        )
        app[COUNTERS] = Counters(redis=app[REDIS], key_prefix=settings.redis.key_prefix)
        yield
        await app[COUNTERS].flush()
        for task in list(app[BACKGROUND]):
            task.cancel()
        await asyncio.gather(*app[BACKGROUND], return_exceptions=True)
        if bot is not None and telegram_bot is None:
            await bot.shutdown()
        if own_http:
            await app[HTTP].close()
        if own_redis:
            await app[REDIS].close()

    async def background_workers(app: web.Application) -> AsyncIterator[None]:
        opts = app[WORKERS]
        tasks = start_workers(app, opts)
        yield
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await app[COUNTERS].flush()

    app.cleanup_ctx.extend([clients, background_workers])
    app.router.add_get("/", root)
    app.router.add_get("/chat", chat_page)
    app.router.add_static("/static/", STATIC_DIR)
    app.router.add_post("/webhooks/zalo", _webhook("zalo"))
    app.router.add_post("/webhooks/telegram", _webhook("telegram"))
    app.router.add_post("/api/web/messages", web_message)
    app.router.add_get("/api/web/replies", web_replies)
    app.router.add_get("/health", health)
    app.router.add_get("/metrics", metrics)
    return app


def start_workers(app: web.Application, opts: WorkerOptions) -> list[asyncio.Task[None]]:
    settings, redis, http = app[SETTINGS], app[REDIS], app[HTTP]
    counters = app[COUNTERS]
    jobs: list[tuple[str, Callable[[], Awaitable[None]]]] = []
    outbox: OutboxWorker | None = None
    if opts.outbox:
        outbox = OutboxWorker(
            redis=redis,
            adapters=app[ADAPTERS],
            settings=settings,
            consumer=consumer_name("outbox", 0, opts.consumer_prefix),
            counters=counters,
        )
        jobs.append(("outbox", outbox.run))
    if opts.dispatchers:
        rasa = RasaClient(
            http=http, url=settings.rasa.url, timeout_s=settings.gateway.rasa_timeout_s
        )
        signals = OrderSignals()
        for i in range(opts.dispatchers):
            d = Dispatcher(
                redis=redis,
                rasa=rasa,
                settings=settings,
                consumer=consumer_name("dispatcher", i, opts.consumer_prefix),
                counters=counters,
                outbox=outbox.consumer if outbox is not None else None,
                signals=signals,
            )
            jobs.append((f"dispatcher-{i}", d.run))
    if jobs:
        jobs.append(("metrics", counters.run))
    if opts.telegram_polling:
        if TELEGRAM_BOT not in app:
            log.error("telegram.polling.not_configured", hint="set TELEGRAM_BOT_TOKEN")
        else:

            async def _accept(result: ParseResult) -> None:
                await accept_result(app, result)

            async def _poll() -> None:
                await poll_updates(
                    bot=app[TELEGRAM_BOT],
                    redis=redis,
                    key_prefix=settings.redis.key_prefix,
                    accept=_accept,
                )

            jobs.append(("telegram-polling", _poll))
    return [asyncio.create_task(_supervise(name, job), name=name) for name, job in jobs]


async def _supervise(name: str, job: Callable[[], Awaitable[None]]) -> None:
    """Keep a worker running: a bug in one loop must not stop the delivery of messages."""
    failures = 0
    while True:
        try:
            await job()
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            failures += 1
            log.exception("gateway.worker.crashed", worker=name, failures=failures)
            await asyncio.sleep(min(30.0, 0.5 * failures))
