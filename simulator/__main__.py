"""``python -m simulator --host 127.0.0.1 --port 8090 [--seed 42] [--dossiers 300]``.

The simulator is its own program, so it reads its own switches (command line first, then
``SIMULATOR_*`` environment variables); the bot's settings object is not involved.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys

from aiohttp import web

from simulator._app import SimulatorConfig, create_app
from simulator._faults import Faults


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m simulator", description="One-stop API simulator")
    p.add_argument("--host", default=_env("SIMULATOR_HOST", "127.0.0.1"))
    p.add_argument(
        "--port", type=int, default=int(_env("SIMULATOR_PORT", "8090")), help="0: any free port"
    )
    p.add_argument("--seed", type=int, default=int(_env("SIMULATOR_SEED", "42")))
    p.add_argument("--dossiers", type=int, default=int(_env("SIMULATOR_DOSSIERS", "300")))
    p.add_argument("--tick-s", type=float, default=float(_env("SIMULATOR_TICK_S", "60")))
    p.add_argument("--tick-count", type=int, default=int(_env("SIMULATOR_TICK_COUNT", "3")))
    p.add_argument("--latency-ms", type=float, default=float(_env("SIMULATOR_LATENCY_MS", "0")))
    p.add_argument("--jitter-ms", type=float, default=float(_env("SIMULATOR_JITTER_MS", "0")))
    p.add_argument("--error-rate", type=float, default=float(_env("SIMULATOR_ERROR_RATE", "0")))
    p.add_argument(
        "--malformed-rate", type=float, default=float(_env("SIMULATOR_MALFORMED_RATE", "0"))
    )
    p.add_argument(
        "--outage",
        action="store_true",
        default=_env("SIMULATOR_OUTAGE", "") in {"1", "true", "yes"},
    )
    p.add_argument("--api-key", default=os.environ.get("SIMULATOR_API_KEY") or None)
    p.add_argument("--bearer-token", default=os.environ.get("SIMULATOR_BEARER_TOKEN") or None)
    return p.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    config = SimulatorConfig(
        seed=args.seed,
        dossiers=args.dossiers,
        tick_s=args.tick_s,
        tick_count=args.tick_count,
        api_key=args.api_key,
        bearer_token=args.bearer_token,
        faults=Faults(
            latency_ms=args.latency_ms,
            jitter_ms=args.jitter_ms,
            error_rate=args.error_rate,
            malformed_rate=args.malformed_rate,
            outage=args.outage,
        ),
    )
    runner = web.AppRunner(create_app(config), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, args.host, args.port)
    await site.start()
    port = runner.addresses[0][1]
    # The only output: where it listens (useful with --port 0).
    print(f"onestop simulator listening on http://{args.host}:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    asyncio.run(_serve(parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
