"""Start the whole assistant on one machine (``make run``); Ctrl-C stops what it started.

Order: Redis (only if none answers at ``REDIS_URL``), the trained model (trained only when
its inputs changed), the one-stop simulator (only when ``ONESTOP_URL`` is not set), the
action server, the Rasa server, then the gateway and the dossier notifier. The same
building blocks start the stack for the tests (``tests/rasa_stack.py``) and benchmarks.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.redis_local import is_reachable, redis_address, start_redis
from bot.settings import PROJECT_ROOT, Settings
from bot.training import ensure_model, rasa_env


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """``count`` distinct TCP ports on 127.0.0.1 that nothing listens on right now: the
    sockets stay bound until all are chosen, so the system cannot hand the same port out
    twice (it did, once: the simulator and Rasa on one port, every stack test failing)."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]


def wait_http(url: str, *, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Wait until ``url`` answers (any HTTP status below 500)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
            last = exc
        except OSError as exc:
            last = exc
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s ({last})")


def child_env(settings: Settings, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for every child: Rasa's endpoint variables derived from the settings."""
    env = rasa_env(PROJECT_ROOT)
    host, port, db, password = redis_address(settings.redis.url)
    env.update(
        {
            "REDIS_URL": settings.redis.url,
            "REDIS_HOST": host,
            "REDIS_PORT": str(port),
            "REDIS_DB": str(db),
            "REDIS_PASSWORD": password,
            "ACTION_ENDPOINT_URL": settings.rasa.action_url,
            "RASA_URL": settings.rasa.url,
        }
    )
    if extra:
        env.update(extra)
    return env


@dataclass
class Stack:
    """Processes started by this launcher, stopped in reverse order."""

    log_dir: Path
    procs: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    quiet: bool = False

    def spawn(self, name: str, cmd: list[str], env: Mapping[str, str]) -> subprocess.Popen[bytes]:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the child
        proc = subprocess.Popen(
            cmd,
            cwd=PROJECT_ROOT,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the launcher only; it stops children in order
        )
        self.procs.append((name, proc))
        if not self.quiet:
            print(f"  started {name} (pid {proc.pid}), log: {self.log_dir / (name + '.log')}")
        return proc

    def adopt(self, name: str, proc: subprocess.Popen[bytes]) -> None:
        self.procs.append((name, proc))

    def stop(self, timeout: float = 15.0) -> None:
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if not self.quiet:
                print(f"  stopped {name}")
        self.procs.clear()


def bin_path(name: str) -> str:
    """An executable of this virtualenv (rasa), next to the running interpreter."""
    return str(Path(sys.executable).with_name(name))


def start_simulator(stack: Stack, *, port: int, env: Mapping[str, str]) -> str:
    url = f"http://127.0.0.1:{port}"
    proc = stack.spawn(
        "simulator",
        [sys.executable, "-m", "simulator", "--host", "127.0.0.1", "--port", str(port)],
        env,
    )
    wait_http(f"{url}/health", timeout=60, proc=proc)
    return url


def start_action_server(stack: Stack, *, port: int, env: Mapping[str, str]) -> None:
    proc = stack.spawn(
        "actions",
        [bin_path("rasa"), "run", "actions", "--actions", "actions", "--port", str(port)],
        env,
    )
    wait_http(f"http://127.0.0.1:{port}/health", timeout=120, proc=proc)


def start_rasa(stack: Stack, *, model: Path, port: int, env: Mapping[str, str]) -> None:
    proc = stack.spawn(
        "rasa",
        [
            bin_path("rasa"),
            "run",
            "--model",
            str(model),
            "--endpoints",
            "endpoints.yml",
            "--credentials",
            "credentials.yml",
            "--enable-api",
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env,
    )
    wait_http(f"http://127.0.0.1:{port}/", timeout=300, proc=proc)


def _module_exists(dotted: str) -> bool:
    return (PROJECT_ROOT / Path(*dotted.split("."))).with_suffix(".py").exists() or (
        PROJECT_ROOT / Path(*dotted.split(".")) / "__main__.py"
    ).exists()


def run(settings: Settings, *, with_gateway: bool = True) -> int:
    """Start everything and block until Ctrl-C (or a child dies)."""
    stack = Stack(log_dir=PROJECT_ROOT / "var" / "log")
    extra: dict[str, str] = {}
    try:
        if not is_reachable(settings.redis.url):
            print(
                f"• Redis not reachable at {settings.redis.url}: starting one (AOF on, data in var/redis)"
            )
            stack.adopt("redis", start_redis(settings.redis.url, data_dir=settings.redis.data_dir))
        else:
            print(f"• Redis: using {settings.redis.url}")
        print("• Model: checking (trains only if config, domain or nlu_data changed)…")
        model = ensure_model()
        print(f"  model {model.name}")
        if settings.onestop.url is None:
            url = start_simulator(
                stack, port=settings.onestop.simulator_port, env=child_env(settings)
            )
            extra["ONESTOP_URL"] = url
            print(f"• One-stop simulator: {url} (set ONESTOP_URL to use a real system)")
        else:
            print(f"• One-stop system: {settings.onestop.url}")
        env = child_env(settings, extra)
        start_action_server(stack, port=settings.rasa.action_port, env=env)
        start_rasa(stack, model=model, port=settings.rasa.port, env=env)
        if with_gateway and _module_exists("channels.__main__"):
            proc = stack.spawn("gateway", [sys.executable, "-m", "channels"], env)
            wait_http(
                f"http://{settings.gateway.host}:{settings.gateway.port}/health",
                timeout=60,
                proc=proc,
            )
        if _module_exists("bot.notifier.__main__"):
            stack.spawn("notifier", [sys.executable, "-m", "bot.notifier"], env)
        print()
        print("Trợ lý công dân is running.")
        if with_gateway and _module_exists("channels.__main__"):
            print(f"  Web chat:      http://{settings.gateway.host}:{settings.gateway.port}/")
        print(f"  Rasa REST:     curl -s {settings.rasa.url}/webhooks/rest/webhook \\")
        print("                   -H 'Content-Type: application/json' \\")
        print('                   -d \'{"sender": "demo", "message": "xin chào"}\'')
        print("  Stop:          Ctrl-C")
        while True:
            for name, proc in stack.procs:
                if proc.poll() is not None:
                    print(f"{name} exited with code {proc.returncode}; stopping everything.")
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping…")
        return 0
    except Exception as exc:  # start-up failure: say what, then clean up
        print(f"launcher: {exc}", file=sys.stderr)
        return 1
    finally:
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--no-gateway", action="store_true", help="start Rasa only, no channels")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    # Ctrl-C must work even when started from a shell that ignores SIGINT for background
    # jobs; SIGTERM (e.g. from a supervisor) stops cleanly like Ctrl-C.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    return run(Settings.from_env(os.environ), with_gateway=not args.no_gateway)


if __name__ == "__main__":
    raise SystemExit(main())
