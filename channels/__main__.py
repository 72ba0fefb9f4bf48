"""``python -m channels``: the gateway, N dispatcher workers and the outbox worker.

Roles let an operator split them over processes or machines (all share Redis):
``--role gateway`` (HTTP only), ``--role workers`` (dispatchers + outbox worker),
``--role dispatcher``, ``--role outbox``; default ``all``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import signal
from collections.abc import Callable

from aiohttp import web

from bot.logs import configure_logging, get_logger
from bot.settings import load_settings

from ._gateway import WorkerOptions, create_app

log = get_logger(__name__)


def _args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m channels", description=__doc__)
    p.add_argument(
        "--role", choices=("all", "gateway", "workers", "dispatcher", "outbox"), default="all"
    )
    p.add_argument(
        "--workers", type=int, default=None, help="dispatcher workers (default: DISPATCHER_WORKERS)"
    )
    p.add_argument(
        "--telegram-polling",
        action="store_true",
        help="long-poll Telegram instead of a webhook (or TELEGRAM_MODE=polling)",
    )
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.add_argument(
        "--loop",
        choices=("auto", "uvloop", "asyncio"),
        default="auto",
        help="event loop (auto: uvloop when installed)",
    )
    return p.parse_args(argv)


def _loop_factory(choice: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop (libuv, in the lock through Rasa's Sanic) does the same work for less CPU."""
    if choice == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        if choice == "uvloop":
            raise
        return None
    return uvloop.new_event_loop


async def _main(ns: argparse.Namespace) -> None:
    settings = load_settings()
    configure_logging(level=settings.log_level, json=settings.log_json)
    workers = settings.gateway.workers if ns.workers is None else ns.workers
    polling = ns.telegram_polling or settings.telegram.mode == "polling"
    opts = WorkerOptions(
        dispatchers=workers if ns.role in ("all", "workers", "dispatcher") else 0,
        outbox=ns.role in ("all", "workers", "outbox"),
        telegram_polling=polling and ns.role in ("all", "gateway"),
    )
    app = create_app(settings=settings, workers=opts)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    if ns.role in ("all", "gateway"):
        host = ns.host or settings.gateway.host
        port = settings.gateway.port if ns.port is None else ns.port
        site = web.TCPSite(runner, host, port)
        await site.start()
        shown = settings.gateway.public_url or f"http://{host}:{port}"
        log.info("gateway.started", url=shown, role=ns.role, dispatchers=opts.dispatchers)
        print(f"Web chat: {shown.rstrip('/')}/chat", flush=True)
    else:
        log.info("gateway.workers.started", role=ns.role, dispatchers=opts.dispatchers)
    # Everything loaded so far lives as long as the process: keep it out of the garbage
    # collector's full passes, which otherwise stall the loop for tens of milliseconds.
    gc.collect()
    gc.freeze()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    ns = _args(argv)
    with asyncio.Runner(loop_factory=_loop_factory(ns.loop)) as runner:
        runner.run(_main(ns))


if __name__ == "__main__":
    main()
