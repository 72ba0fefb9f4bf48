"""`make run` end to end: the launcher starts Redis, Rasa and the actions, and Ctrl-C stops them."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.launcher import free_port, free_ports
from bot.redis_local import is_reachable
from bot.settings import PROJECT_ROOT
from bot.training import ensure_model, rasa_env

pytestmark = pytest.mark.slow


def _post(url: str, payload: dict) -> list[dict]:
    req = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def test_launcher_starts_everything_and_ctrl_c_stops_it(tmp_path: Path) -> None:
    ensure_model()  # trained (or cached) before the launcher's own check
    redis_port, rasa, action, simulator, gateway = free_ports(5)
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    ports = {"RASA_PORT": rasa, "ACTION_PORT": action, "SIMULATOR_PORT": simulator}
    env = rasa_env() | {k: str(v) for k, v in ports.items()}
    env |= {
        "REDIS_URL": redis_url,
        "REDIS_DATA_DIR": str(tmp_path / "redis"),
        "GATEWAY_PORT": str(gateway),
    }
    env.pop("ONESTOP_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "bot.launcher", "--no-gateway"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        deadline = time.monotonic() + 400
        while time.monotonic() < deadline:
            line = proc.stdout.readline() if proc.stdout else ""
            if not line and proc.poll() is not None:
                break
            output.append(line)
            if "is running" in line:
                break
        assert any("is running" in line for line in output), "".join(output)
        assert is_reachable(redis_url), "the launcher did not start Redis"
        assert (tmp_path / "redis" / "appendonly.aof").exists() or any(
            (tmp_path / "redis").glob("appendonly*")
        ), "Redis runs without its AOF file"

        rasa = f"http://127.0.0.1:{ports['RASA_PORT']}"
        replies = _post(
            f"{rasa}/webhooks/rest/webhook", {"sender": "launcher-test", "message": "xin chào"}
        )
        assert replies and "Xin chào" in replies[0]["text"]
        replies = _post(
            f"{rasa}/webhooks/rest/webhook", {"sender": "launcher-test", "message": "bạn là ai"}
        )
        assert replies and "Trợ lý công dân" in replies[0]["text"]
    finally:
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        rest, _ = proc.communicate(timeout=90)
        output.append(rest)
    text = "".join(output)
    assert proc.returncode == 0, text
    for name in ("rasa", "actions", "simulator", "redis"):
        assert f"stopped {name}" in text, text
    assert not is_reachable(redis_url), "Redis started by the launcher is still running"
    for port in ports.values():
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)


def test_ports_chosen_together_are_distinct() -> None:
    """The stack's three ports were once the same one (every stack test failed)."""
    ports = free_ports(64)
    assert len(set(ports)) == 64
    assert all(1024 < p < 65536 for p in [*ports, free_port()])
