"""Start/stop an aiohttp app on 127.0.0.1 (a free port first, then the same port again)."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web


class FakeServer:
    def __init__(self) -> None:
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        # One event per waiting call, set when a request arrives (see ``wait_until``).
        self._waiters: set[asyncio.Event] = set()

    def make_app(self) -> web.Application:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def url(self) -> str:
        assert self.port is not None, "server not started"
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> str:
        runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self.port or 0, reuse_address=True)
        await site.start()
        if self.port is None:
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._runner = runner
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def notify(self) -> None:
        for event in self._waiters:
            event.set()

    async def wait_until(self, predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        """Wait until ``predicate()`` is true (re-checked at each request and every 50 ms).

        Each call registers its own event before it checks, so a request that arrives
        between the check and the wait still wakes it (the benchmark has 50 waiters).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = asyncio.Event()
            self._waiters.add(event)
            try:
                if predicate():
                    return
                if loop.time() > deadline:
                    raise AssertionError(f"condition not met within {timeout}s")
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(event.wait(), 0.05)
            finally:
                self._waiters.discard(event)
