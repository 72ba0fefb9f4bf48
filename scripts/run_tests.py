"""The test command behind `make test` (and so CI): Redis, model, then the whole suite.

Starts a Redis with the project's config when none answers at REDIS_URL (stopped again at
the end), makes sure the trained model for the current inputs exists (cached by hash), then
runs pytest over tests/. Extra arguments go to pytest.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.redis_local import is_reachable, start_redis  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.training import ensure_model, rasa_env  # noqa: E402


def main(argv: list[str]) -> int:
    settings = Settings.from_env()
    redis_proc = None
    if not is_reachable(settings.redis.url):
        print(f"run_tests: no Redis at {settings.redis.url}; starting one", flush=True)
        redis_proc = start_redis(
            settings.redis.url, data_dir=Path(tempfile.mkdtemp(prefix="tlcd-redis-"))
        )
    try:
        started = time.monotonic()
        model = ensure_model(ROOT)
        print(
            f"run_tests: model {model.name} ready in {time.monotonic() - started:.0f}s", flush=True
        )
        cmd = [sys.executable, "-m", "pytest", "-q", "-rfEs", "--durations=15", *argv]
        return subprocess.call(cmd, cwd=ROOT, env=rasa_env(ROOT))
    finally:
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(timeout=15)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
