"""Helpers for tests and benchmarks: run the simulator as a real process, drive its admin API.

Only tests and scripts import this; the bot never does.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def run_simulator(
    *args: str, env: dict[str, str] | None = None, timeout_s: float = 30.0
) -> Iterator[str]:
    """Start ``python -m simulator --port 0 ...``; yields its base URL; stops it afterwards."""
    cmd = [
        sys.executable,
        "-m",
        "simulator",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--tick-s",
        "0",
        *args,
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # "onestop simulator listening on http://127.0.0.1:PORT"
        if "listening on " not in line:
            raise RuntimeError(f"simulator did not start: {line!r}")
        yield line.rsplit(" ", 1)[-1].strip()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class SimulatorAdmin:
    """The simulator's admin endpoints (faults, forcing statuses, listings, stats)."""

    def __init__(self, *, session: aiohttp.ClientSession, base_url: str) -> None:
        self._session = session
        self._base = base_url.rstrip("/")

    async def _call(self, method: str, path: str, body: Any = None) -> Any:
        async with self._session.request(method, self._base + path, json=body) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def reset(self) -> None:
        await self._call("POST", "/admin/reset")

    async def faults(self, **changes: Any) -> dict[str, Any]:
        return await self._call("PUT", "/admin/faults", changes)

    async def codes(self, *, status: int | None = None, overdue: bool | None = None) -> list[str]:
        query = []
        if status is not None:
            query.append(f"status={status}")
        if overdue is not None:
            query.append(f"overdue={'1' if overdue else '0'}")
        data = await self._call("GET", "/admin/dossiers?" + "&".join(query))
        return [d["MaHoSo"] for d in data["dossiers"]]

    async def set_status(self, code: str, status: int, **extra: Any) -> dict[str, Any]:
        return await self._call(
            "POST", f"/admin/dossiers/{code}/status", {"status": status, **extra}
        )

    async def advance(self, code: str) -> dict[str, Any]:
        return await self._call("POST", f"/admin/dossiers/{code}/advance")

    async def stats(self) -> dict[str, int]:
        return await self._call("GET", "/admin/stats")

    async def clear_stats(self) -> None:
        await self._call("DELETE", "/admin/stats")
