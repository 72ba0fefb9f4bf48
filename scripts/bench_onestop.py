"""Benchmark of the dossier status answer (``make bench-onestop``).

Prints:

1. Status answer latency, message in → reply, p50/p95, with the simulator adding 0 ms and
   300 ms, next to the bare one-stop call (one HTTP GET, no cache) measured in the same run.
   Each question is about a code not asked before (a cache miss: the worst case).
2. Cache hit ratio and one-stop calls per 1,000 status questions under a realistic mix:
   most citizens ask once or twice about their own dossier, some ask again and again, a few
   dossiers are asked about by several people (family); repeats fall within the cache TTL.

"Through the bot" means through Rasa's REST webhook (the model for the current inputs is
trained first if it does not exist yet); ``--mode actions`` measures through the action
server's HTTP webhook instead (``POST /webhook`` with a tracker, as Rasa itself calls it),
and so does the default when Rasa cannot start — the output says which. Everything runs on free ports with its own Redis key prefix.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.launcher import free_port, wait_http  # noqa: E402
from bot.redis_client import connect  # noqa: E402
from bot.settings import Settings  # noqa: E402
from simulator.testing import SimulatorAdmin, run_simulator  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def webhook_body(code: str, sender: str) -> dict[str, Any]:
    """What Rasa sends the action server for ``action_check_dossier_status``."""
    tracker = {
        "sender_id": sender,
        "slots": {"dossier_code": code},
        "latest_message": {
            "text": f"tra cứu hồ sơ {code}",
            "intent": {"name": "check_dossier_status", "confidence": 1.0},
            "entities": [{"entity": "dossier_code", "value": code}],
        },
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }
    return {
        "next_action": "action_check_dossier_status",
        "sender_id": sender,
        "tracker": tracker,
        "domain": {"forms": {}, "slots": {}, "responses": {}},
        "version": "3.6.2",
    }


class ActionServerTarget:
    name = "action server webhook (POST /webhook; Rasa not used)"

    def __init__(self, url: str) -> None:
        self.url = url

    async def ask(self, session: aiohttp.ClientSession, code: str, sender: str) -> str:
        async with session.post(self.url, json=webhook_body(code, sender)) as resp:
            data = await resp.json()
        return "\n".join(r.get("text") or "" for r in data.get("responses", []))


class RasaTarget:
    name = "Rasa REST webhook (NLU + dialogue + action server)"

    def __init__(self, url: str) -> None:
        self.url = url

    async def ask(self, session: aiohttp.ClientSession, code: str, sender: str) -> str:
        async with session.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": f"tra cứu hồ sơ {code}"},
        ) as resp:
            data = await resp.json()
        return "\n".join(m.get("text") or "" for m in data)


async def timed(call: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def latency_run(
    target: Any, admin: SimulatorAdmin, sim_url: str, codes: list[str], n: int
) -> None:
    print(f"\n1) Status answer latency, through: {target.name}")
    print(f"   {n} questions per row, each about a new code (cache miss), sequential")
    print(
        f"   {'added latency':>14} | {'bot p50':>8} {'bot p95':>8} | {'bare call p50':>13} {'p95':>8}"
    )
    async with aiohttp.ClientSession() as session:
        for added in (0, 300):
            await admin.faults(latency_ms=added)
            bot_ms: list[float] = []
            bare_ms: list[float] = []
            answered = 0
            for code in codes[:n]:
                text: list[str] = []

                async def ask(code: str = code, text: list[str] = text) -> None:
                    text.append(await target.ask(session, code, f"bench:{uuid.uuid4().hex[:8]}"))

                bot_ms.append(await timed(ask))
                answered += "Tình trạng:" in text[0]

                async def bare(code: str = code) -> None:
                    async with session.get(f"{sim_url}/api/v1/dossiers/{code}") as resp:
                        await resp.read()

                bare_ms.append(await timed(bare))
            print(
                f"   {added:>11} ms | {statistics.median(bot_ms):>6.0f}ms {pct(bot_ms, 0.95):>6.0f}ms | "
                f"{statistics.median(bare_ms):>11.0f}ms {pct(bare_ms, 0.95):>6.0f}ms"
                f"   ({answered}/{len(bot_ms)} status answers)"
            )
            codes = codes[n:]
        await admin.faults(latency_ms=0)


def realistic_mix(codes: list[str], questions: int, rng: random.Random) -> list[str]:
    """A stream of status questions: per citizen 1–6 questions about their own dossier,
    sometimes a relative asks about the same one; citizens interleave."""
    stream: list[list[str]] = []
    total = 0
    i = 0
    while total < questions:
        code = codes[i % len(codes)]
        i += 1
        asks = rng.choices([1, 2, 3, 4, 6], weights=[45, 30, 13, 8, 4])[0]
        askers = 2 if rng.random() < 0.08 else 1  # family member asks too
        for _ in range(askers):
            stream.append([code] * asks)
            total += asks
    # Interleave the citizens: several conversations at once, each in order.
    out: list[str] = []
    active: list[list[str]] = []
    while (stream or active) and len(out) < questions:
        while stream and len(active) < 20:
            active.append(stream.pop(0))
        pick = rng.randrange(len(active))
        out.append(active[pick].pop(0))
        if not active[pick]:
            active.pop(pick)
    return out[:questions]


async def cache_run(
    target: ActionServerTarget, admin: SimulatorAdmin, codes: list[str], questions: int
) -> None:
    stream = realistic_mix(codes, questions, random.Random(7))
    await admin.clear_stats()
    senders = {code: f"bench:mix:{uuid.uuid4().hex[:6]}" for code in set(stream)}
    sem = asyncio.Semaphore(8)
    answered = 0
    async with aiohttp.ClientSession() as session:

        async def one(code: str) -> None:
            nonlocal answered
            async with sem:
                ok = "Tình trạng:" in await target.ask(session, code, senders[code])
            answered += ok

        await asyncio.gather(*(one(c) for c in stream))
    calls = (await admin.stats()).get("dossier_requests", 0)
    distinct = len(set(stream))
    print(
        f"\n2) Cache under a realistic mix ({questions} status questions, {distinct} distinct dossiers)"
    )
    print(f"   answered with a status: {answered}/{questions}")
    print(f"   one-stop calls: {calls}  → {calls * 1000 / questions:.0f} per 1,000 questions")
    print(
        f"   cache hit ratio: {1 - calls / questions:.1%}  (best possible: {1 - distinct / questions:.1%})"
    )
    print("   (repeats fall within the cache TTL; questions are answered 8 at a time)")


def start_action_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("rasa")),
            "run",
            "actions",
            "--actions",
            "actions",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_http(f"http://127.0.0.1:{port}/health", timeout=120, proc=proc)
    return proc, f"http://127.0.0.1:{port}/webhook"


async def main_async(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    prefix = f"bench:onestop:{uuid.uuid4().hex[:8]}:"
    use_rasa = args.mode == "rasa"
    stack_gen = None
    action_proc = None
    redis = connect(settings.redis.url)
    try:
        with run_simulator("--dossiers", "600") as sim_url:
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "ONESTOP_URL": sim_url,
                "REDIS_KEY_PREFIX": prefix,
                "LOG_LEVEL": "WARNING",
                # The benchmark asks far more than a citizen may.
                "LOOKUP_LIMIT_PER_CONVERSATION": "100000",
                "LOOKUP_LIMIT_PER_SENDER": "100000",
                "LOOKUP_NOT_FOUND_LIMIT": "100000",
            }
            action_proc, action_url = start_action_server(env)
            actions = ActionServerTarget(action_url)
            target: Any = actions
            bench_sim = sim_url
            if use_rasa:
                try:
                    os.environ.update({k: v for k, v in env.items() if k.startswith("LOOKUP_")})
                    from tests.rasa_stack import start_stack

                    stack_gen = start_stack()
                    stack = next(stack_gen)
                    target, bench_sim = RasaTarget(stack.rasa_url), stack.simulator_url
                except Exception as exc:  # no model / Rasa failed: say so, measure the rest
                    print(f"(Rasa not available: {exc}; measuring through the action server)")
                    target, bench_sim = actions, sim_url
            async with aiohttp.ClientSession() as session:
                admin = SimulatorAdmin(session=session, base_url=bench_sim)
                codes = await admin.codes()
                random.Random(1).shuffle(codes)
                # Warm-up (imports, connections), not measured.
                for code in codes[:3]:
                    await target.ask(session, code, "bench:warmup")
                await latency_run(target, admin, bench_sim, codes[3:], args.n)
                local_admin = SimulatorAdmin(session=session, base_url=sim_url)
                mix_codes = await local_admin.codes()
                # Start the mix with an empty cache (the latency rows filled it).
                stale = [
                    k async for k in redis.scan_iter(match=f"{prefix}onestop:cache:*", count=500)
                ]
                if stale:
                    await redis.delete(*stale)
                await cache_run(actions, local_admin, mix_codes, args.questions)
    finally:
        if stack_gen is not None:
            stack_gen.close()
        if action_proc is not None:
            action_proc.terminate()
            action_proc.wait(timeout=15)
        keys = [k async for k in redis.scan_iter(match=f"{prefix}*", count=500)]
        if keys:
            await redis.delete(*keys)
        await redis.close()
    return 0


def main() -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--mode", choices=["rasa", "actions"], default="rasa")
    p.add_argument("-n", type=int, default=60, help="questions per latency row")
    p.add_argument("--questions", type=int, default=1000, help="questions in the cache mix")
    return asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
