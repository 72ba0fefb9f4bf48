"""Gateway benchmark (``make bench-gateway``): prints figures and ratios, asserts nothing.

1. Webhook acknowledgement latency (p50/p99) of signed Zalo deliveries at a fixed rate
   (default 200 req/s for 60 s; ``--duration``), gateway running as ``python -m channels``.
2. End-to-end latency, Zalo webhook in → text received by the fake Zalo API (p50/p95), next
   to the bare Rasa REST webhook for the same messages in the same run (ratio). Needs the
   real Rasa and a trained model (started as tests/rasa_stack.py does); says so if missing.
3. Sustained messages/s with 50 concurrent conversations (each sends its next message when
   the previous answer arrived), checking that nothing is lost or duplicated.

Loopback only; everything runs on free ports with its own Redis key prefix.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
from redis.asyncio import Redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.settings import Settings  # noqa: E402
from tests.fakes.processes import free_port  # noqa: E402
from tests.fakes.rasa import FakeRasa  # noqa: E402
from tests.fakes.zalo import APP_ID, OA_SECRET, FakeZaloApi, signed, text_event  # noqa: E402


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


def fmt(values: list[float]) -> str:
    return (
        f"p50 {pct(values, 50):7.1f} ms   p95 {pct(values, 95):7.1f} ms   "
        f"p99 {pct(values, 99):7.1f} ms   (n={len(values)})"
    )


@contextmanager
def gateway_process(
    *,
    rasa_url: str,
    zalo: FakeZaloApi,
    redis_url: str,
    prefix: str,
    workers: int = 4,
    split: bool = True,
) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GATEWAY_PORT": str(port),
        "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": prefix,
        "RASA_URL": rasa_url,
        "ZALO_APP_ID": APP_ID,
        "ZALO_OA_SECRET_KEY": OA_SECRET,
        "ZALO_APP_SECRET": zalo.app_secret,
        "ZALO_API_URL": zalo.url,
        "ZALO_OAUTH_URL": zalo.url,
        "ZALO_ACCESS_TOKEN": "AT-1",
        "ZALO_REFRESH_TOKEN": "RT-1",
        "SENDER_RATE_LIMIT": "100000",
        "LOG_LEVEL": "WARNING",
        "DISPATCHER_WORKERS": str(workers),
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    # The HTTP front and the workers in separate processes, as deployed (docs/gateway.md);
    # --no-split runs everything in one process (what `make run` does).
    roles = ["gateway", "workers"] if split else ["all"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "channels", "--role", role],
            cwd=str(ROOT),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for role in roles
    ]
    url = f"http://127.0.0.1:{port}"
    try:
        import urllib.request

        for _ in range(200):
            try:
                with urllib.request.urlopen(url + "/metrics", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gateway did not start")
        yield url
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


async def ack_latency(url: str, *, rate: float, duration: float) -> list[float]:
    """Open loop: request i leaves at t0 + i/rate whatever happened to the others."""
    n = int(rate * duration)
    bodies = [signed(text_event(f"ack{i % 2000}", f"xin chào {i}")) for i in range(n)]
    lat: list[float] = []
    errors = Counter()
    conn = aiohttp.TCPConnector(limit=256)
    async with aiohttp.ClientSession(connector=conn) as http:

        async def one(i: int) -> None:
            body, headers = bodies[i]
            t = time.perf_counter()
            try:
                async with http.post(url + "/webhooks/zalo", data=body, headers=headers) as resp:
                    await resp.read()
                    if resp.status != 200:
                        errors[resp.status] += 1
                        return
            except aiohttp.ClientError as exc:
                errors[type(exc).__name__] += 1
                return
            lat.append((time.perf_counter() - t) * 1000)

        loop = asyncio.get_running_loop()
        t0 = loop.time()
        tasks = []
        for i in range(n):
            delay = t0 + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
    if errors:
        print(f"  errors: {dict(errors)}")
    return lat


async def wait_for_text(zalo: FakeZaloApi, user: str, count: int, timeout: float = 120) -> float:
    await zalo.wait_until(lambda: len(zalo.texts_for(user)) >= count, timeout=timeout)
    return [s.at for s in zalo.sent if s.user_id == user][count - 1]


async def e2e_vs_bare(
    url: str, rasa_url: str, zalo: FakeZaloApi, n: int
) -> tuple[list[float], list[float]]:
    phrases = ["xin chào", "chào bạn", "làm giấy khai sinh cần gì", "cảm ơn", "tạm biệt"]
    bare: list[float] = []
    gw: list[float] = []
    run = uuid.uuid4().hex[:6]
    async with aiohttp.ClientSession() as http:
        for i in range(n):
            text = phrases[i % len(phrases)]
            t = time.time()
            async with http.post(
                f"{rasa_url}/webhooks/rest/webhook",
                json={"sender": f"bare-{run}-{i}", "message": text},
            ) as resp:
                await resp.json()
            bare.append((time.time() - t) * 1000)
            user = f"e2e{run}{i}"
            body, headers = signed(text_event(user, text))
            t = time.time()
            async with http.post(url + "/webhooks/zalo", data=body, headers=headers) as resp:
                assert resp.status == 200, resp.status
            arrived = await wait_for_text(zalo, user, 1)
            gw.append((arrived - t) * 1000)
    return bare, gw


async def throughput(
    url: str, zalo: FakeZaloApi, *, conversations: int, duration: float, expect: str
) -> tuple[float, int, int, int]:
    """Closed loop per conversation; returns (msgs/s, sent, received, problems)."""
    run = uuid.uuid4().hex[:6]
    sent_count = Counter()
    stop_at = time.monotonic() + duration
    async with aiohttp.ClientSession() as http:

        async def conversation(c: int) -> None:
            user = f"tp{run}c{c}"
            n = 0
            while time.monotonic() < stop_at:
                body, headers = signed(text_event(user, f"{user} tin {n}"))
                async with http.post(url + "/webhooks/zalo", data=body, headers=headers) as resp:
                    assert resp.status == 200
                n += 1
                sent_count[user] = n
                await wait_for_text(zalo, user, n)

        t0 = time.monotonic()
        await asyncio.gather(*(conversation(c) for c in range(conversations)))
        elapsed = time.monotonic() - t0
    await asyncio.sleep(1.0)  # duplicates would show up now
    problems = 0
    received = 0
    for user, n in sent_count.items():
        texts = zalo.texts_for(user)
        received += len(texts)
        if expect == "echo":
            if texts != [f"Bạn nói: {user} tin {i}" for i in range(n)]:
                problems += 1
        elif len(texts) != n:
            problems += 1
    return received / elapsed, sum(sent_count.values()), received, problems


def real_rasa() -> tuple[object | None, str]:
    try:
        from tests.rasa_stack import start_stack
    except Exception as exc:
        return None, f"cannot start the real Rasa ({exc!r})"
    gen = start_stack()
    try:
        return (gen, next(gen)), ""
    except Exception as exc:
        return None, f"no trained model / Rasa did not start ({exc!r})"


async def main(ns: argparse.Namespace) -> None:
    base = Settings.from_env()
    prefix = f"bench:gw:{uuid.uuid4().hex[:8]}:"
    redis = Redis.from_url(base.redis.url)
    zalo = FakeZaloApi()
    await zalo.start()
    fake = FakeRasa()
    await fake.start()
    print(f"Gateway benchmark (loopback; {os.cpu_count()} CPUs)\n")
    try:
        with gateway_process(
            rasa_url=fake.url,
            zalo=zalo,
            redis_url=base.redis.url,
            prefix=prefix + "a:",
            split=not ns.no_split,
        ) as url:
            print(
                f"1. Webhook ack latency, {ns.rate:g} req/s for {ns.duration:g} s "
                f"({'one process' if ns.no_split else 'gateway and workers processes'}, fake Rasa):"
            )
            lat = await ack_latency(url, rate=ns.rate, duration=ns.duration)
            print(f"   {fmt(lat)}   target p99 ≤ 25 ms\n")
            await zalo.wait_until(lambda: len(zalo.sent) >= len(lat), timeout=120)
            print(
                f"3. Throughput, {ns.conversations} concurrent conversations, "
                f"{ns.tp_duration:g} s, fake Rasa (the gateway's own ceiling):"
            )
            rate, sent, got, bad = await throughput(
                url, zalo, conversations=ns.conversations, duration=ns.tp_duration, expect="echo"
            )
            print(
                f"   {rate:7.1f} msgs/s   sent {sent}, answered {got}, "
                f"lost/duplicated/out of order: {bad} conversations\n"
            )

        stack, why = real_rasa() if not ns.no_rasa else (None, "--no-rasa given")
        if stack is None:
            print(f"2. End-to-end vs bare Rasa: SKIPPED — {why}.")
            print("   Train a model (make train) and run again for this figure.")
            return
        gen, rs = stack
        try:
            with gateway_process(
                rasa_url=rs.rasa_url,
                zalo=zalo,
                redis_url=base.redis.url,
                prefix=prefix + "b:",
                split=not ns.no_split,
            ) as url:
                # warm up Rasa (first calls load the model's graph)
                await e2e_vs_bare(url, rs.rasa_url, zalo, 5)
                bare, gw = await e2e_vs_bare(url, rs.rasa_url, zalo, ns.e2e_messages)
                print(f"2. End-to-end latency, {ns.e2e_messages} messages, real Rasa:")
                print(f"   bare Rasa REST : {fmt(bare)}")
                print(f"   Zalo → gateway → Rasa → fake Zalo: {fmt(gw)}")
                print(
                    f"   ratio p50 {pct(gw, 50) / pct(bare, 50):.2f}  "
                    f"p95 {pct(gw, 95) / pct(bare, 95):.2f}   target p50 ratio ≤ 1.3\n"
                )
                print(
                    f"3b. Throughput with the real Rasa, {ns.conversations} conversations, "
                    f"{ns.tp_duration:g} s:"
                )
                rate, sent, got, bad = await throughput(
                    url,
                    zalo,
                    conversations=ns.conversations,
                    duration=ns.tp_duration,
                    expect="count",
                )
                print(
                    f"   {rate:7.1f} msgs/s   sent {sent}, answered {got}, "
                    f"lost/duplicated: {bad} conversations"
                )
        finally:
            gen.close()
    finally:
        await zalo.stop()
        await fake.stop()
        keys = [k async for k in redis.scan_iter(match=f"{prefix}*", count=1000)]
        for i in range(0, len(keys), 500):
            await redis.delete(*keys[i : i + 500])
        await redis.close()


if __name__ == "__main__":
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--duration", type=float, default=60.0, help="ack phase seconds (default 60)")
    p.add_argument("--rate", type=float, default=200.0, help="ack phase requests/s (default 200)")
    p.add_argument("--e2e-messages", type=int, default=100)
    p.add_argument("--conversations", type=int, default=50)
    p.add_argument("--tp-duration", type=float, default=20.0, help="throughput phase seconds")
    p.add_argument(
        "--no-split",
        action="store_true",
        help="gateway and workers in one process (default: two processes)",
    )
    p.add_argument("--no-rasa", action="store_true", help="skip the real-Rasa comparison")
    asyncio.run(main(p.parse_args()))
