"""Gateway benchmark (``make bench-gateway``): prints figures and ratios, asserts nothing.

1. Webhook acknowledgement latency (p50/p95/p99) of signed Zalo deliveries at a fixed rate
   (default 200 req/s for 60 s after a 2 s warm-up; ``--duration``), gateway running as
   ``python -m channels`` (HTTP front and workers in two processes, as deployed). The load
   generator is a third process (open loop, one keep-alive connection pool), timing each
   request from just before it is sent to the end of its answer; the fake Rasa and fake
   Zalo API that complete every message run in this process, not in the generator's loop.
2. End-to-end latency, Zalo webhook in → text received by the fake Zalo API (p50/p95), next
   to the bare Rasa REST webhook for the same messages in the same run, alternately (ratio).
   Needs the real Rasa and a trained model (started as tests/rasa_stack.py does).
3. Sustained messages/s with 50 concurrent conversations (each sends its next message when
   the previous answer arrived), checking that nothing is lost or duplicated.

Each phase also prints the machine's load: the 1-minute load average before/after, how
busy the CPUs were, how much of that was ours (gateway, workers, this process, the load
generator, Rasa) and the busiest other processes (other engineers' training...).
The gateway logs at INFO (the shipped default) to /dev/null.

Loopback only; everything runs on free ports with its own Redis key prefix.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.redis_client import connect  # noqa: E402
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


def _loop_factory() -> Any:
    """uvloop for the harness too (as the gateway uses it), so the fakes and the load
    generator take less of the CPU that the gateway needs."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


# -- machine load ---------------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    total = sum(parts[:8])
    return total - idle, total


def _processes() -> dict[int, tuple[int, str]]:
    """CPU ticks (user + system) and command line of every process."""
    out: dict[int, tuple[int, str]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        out[int(entry.name)] = (int(fields[11]) + int(fields[12]), cmd or stat.split()[1])
    return out


@dataclass
class LoadWatch:
    """CPU use during one phase: the machine, our processes by role, the busiest others."""

    ours: dict[str, list[int]] = field(default_factory=dict)
    # CPU seconds reported by processes that end before the report (the load generator).
    reported: dict[str, float] = field(default_factory=dict)
    _start: tuple[float, float, tuple[int, int], dict[int, tuple[int, str]]] | None = None

    def add(self, role: str, *pids: int) -> None:
        self.ours.setdefault(role, []).extend(pids)

    def start(self) -> None:
        self._start = (time.monotonic(), os.getloadavg()[0], _machine_ticks(), _processes())

    def report(self) -> str:
        assert self._start is not None
        t0, load0, (busy0, total0), procs0 = self._start
        elapsed = time.monotonic() - t0
        busy1, total1 = _machine_ticks()
        procs1 = _processes()
        ncpu = os.cpu_count() or 1

        def pct_of_cpu(ticks: float) -> float:
            return 100 * ticks / _TICK / max(elapsed, 1e-9)

        def delta(pid: int) -> int:
            return procs1.get(pid, (0, ""))[0] - procs0.get(pid, (0, ""))[0]

        our_pids = {pid for pids in self.ours.values() for pid in pids}
        shares = {role: pct_of_cpu(sum(delta(p) for p in pids)) for role, pids in self.ours.items()}
        shares.update({role: 100 * cpu / elapsed for role, cpu in self.reported.items()})
        roles = ", ".join(f"{role} {share:.0f}%" for role, share in shares.items())
        others = sorted(
            ((delta(pid), cmd) for pid, (_t, cmd) in procs1.items() if pid not in our_pids),
            reverse=True,
        )[:3]
        other_text = "; ".join(
            f"{pct_of_cpu(t):.0f}% {cmd[:60]}" for t, cmd in others if pct_of_cpu(t) >= 3
        )
        machine = 100 * (busy1 - busy0) / max(1, total1 - total0)
        return (
            f"   load: 1-min load average {load0:.2f} → {os.getloadavg()[0]:.2f} on {ncpu} CPUs; "
            f"CPUs {machine:.0f}% busy\n"
            f"         ours (% of one CPU): {roles}\n"
            f"         busiest others: {other_text or 'none above 3%'}"
        )


# -- the gateway under test -------------------------------------------------------------------


@contextmanager
def gateway_process(
    *,
    rasa_url: str,
    zalo: FakeZaloApi,
    redis_url: str,
    prefix: str,
    workers: int = 4,
    split: bool = True,
    log_level: str = "INFO",
    profile_dir: Path | None = None,
) -> Iterator[tuple[str, dict[str, int]]]:
    """The gateway as deployed; yields its URL and the pid of each role."""
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
        "LOG_LEVEL": log_level,
        "DISPATCHER_WORKERS": str(workers),
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    # The HTTP front and the workers in separate processes, as deployed (docs/gateway.md);
    # --no-split runs everything in one process (what `make run` does).
    roles = ["gateway", "workers"] if split else ["all"]
    procs: dict[str, subprocess.Popen[bytes]] = {}
    for role in roles:
        prof = ["-m", "cProfile", "-o", str(profile_dir / f"{role}.prof")] if profile_dir else []
        procs[role] = subprocess.Popen(
            [sys.executable, *prof, "-m", "channels", "--role", role],
            cwd=str(ROOT),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
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
        yield url, {role: p.pid for role, p in procs.items()}
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


# -- 1. acknowledgement latency (in its own process) -----------------------------------------


async def _ack_client(url: str, *, rate: float, duration: float, warmup: float) -> dict[str, Any]:
    """Open loop: request i leaves at t0 + i/rate whatever happened to the others."""
    n_warm, n = int(rate * warmup), int(rate * duration)
    run = uuid.uuid4().hex[:6]
    bodies = [signed(text_event(f"ack{run}{i % 2000}", f"xin chào {i}")) for i in range(n_warm + n)]
    lat: list[float] = []
    errors: Counter[str] = Counter()
    late = 0
    conn = aiohttp.TCPConnector(limit=256, keepalive_timeout=60)
    async with aiohttp.ClientSession(connector=conn) as http:

        async def one(i: int) -> None:
            body, headers = bodies[i]
            t = time.perf_counter()
            try:
                async with http.post(url + "/webhooks/zalo", data=body, headers=headers) as resp:
                    await resp.read()
                    if resp.status != 200:
                        errors[str(resp.status)] += 1
                        return
            except aiohttp.ClientError as exc:
                errors[type(exc).__name__] += 1
                return
            if i >= n_warm:
                lat.append((time.perf_counter() - t) * 1000)

        loop = asyncio.get_running_loop()
        t0 = loop.time()
        tasks = []
        for i in range(n_warm + n):
            delay = t0 + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -0.005:
                late += 1  # the generator itself fell behind its schedule
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
    return {
        "lat": lat,
        "errors": dict(errors),
        "sent": n_warm + n,
        "late": late,
        "cpu_s": time.process_time(),
    }


def _ack_client_process(url: str, rate: float, duration: float, warmup: float, conn: Any) -> None:
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        conn.send(runner.run(_ack_client(url, rate=rate, duration=duration, warmup=warmup)))
    conn.close()


async def ack_latency(
    url: str, *, rate: float, duration: float, warmup: float, watch: LoadWatch
) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_ack_client_process, args=(url, rate, duration, warmup, child))
    proc.start()
    try:
        # This loop keeps serving the fakes meanwhile.
        res = await asyncio.get_running_loop().run_in_executor(None, parent.recv)
    finally:
        proc.join(30)
    watch.reported["load generator"] = res["cpu_s"]
    return res


# -- 2. end to end, 3. throughput ----------------------------------------------------------


async def wait_for_text(zalo: FakeZaloApi, user: str, count: int, timeout: float = 120) -> float:
    """When the ``count``-th message for ``user`` reached the fake Zalo API (epoch s)."""
    await zalo.wait_until(lambda: len(zalo.sent_to(user)) >= count, timeout=timeout)
    return zalo.sent_to(user)[count - 1].at


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
    sent_count: Counter[str] = Counter()
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


def _watch(gw_pids: Mapping[str, int], **extra: list[int]) -> LoadWatch:
    watch = LoadWatch()
    for role, pid in gw_pids.items():
        watch.add(role, pid)
    watch.add("bench + fakes", os.getpid())
    for role, pids in extra.items():
        watch.add(role.replace("_", " "), *pids)
    watch.start()
    return watch


async def main(ns: argparse.Namespace) -> None:
    base = Settings.from_env()
    prefix = f"bench:gw:{uuid.uuid4().hex[:8]}:"
    redis = connect(base.redis.url)
    zalo = FakeZaloApi()
    await zalo.start()
    fake = FakeRasa()
    await fake.start()
    profile_dir = Path(ns.profile) if ns.profile else None
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
    opts = {"split": not ns.no_split, "log_level": ns.log_level, "profile_dir": profile_dir}
    print(f"Gateway benchmark (loopback; {os.cpu_count()} CPUs)\n")
    try:
        with gateway_process(
            rasa_url=fake.url, zalo=zalo, redis_url=base.redis.url, prefix=prefix + "a:", **opts
        ) as (url, pids):
            print(
                f"1. Webhook ack latency, {ns.rate:g} req/s for {ns.duration:g} s "
                f"({'one process' if ns.no_split else 'gateway and workers processes'}, "
                "load generator in its own process, fake Rasa):"
            )
            watch = _watch(pids)
            res = await ack_latency(
                url, rate=ns.rate, duration=ns.duration, warmup=ns.warmup, watch=watch
            )
            lat = res["lat"]
            print(f"   {fmt(lat)}   target p99 ≤ 25 ms")
            if res["errors"] or res["late"]:
                print(f"   errors: {res['errors']}; requests sent late: {res['late']}")
            await zalo.wait_until(lambda: len(zalo.sent) >= res["sent"], timeout=120)
            print(watch.report() + "\n")
            print(
                f"3. Throughput, {ns.conversations} concurrent conversations, "
                f"{ns.tp_duration:g} s, fake Rasa (the gateway's own ceiling):"
            )
            watch = _watch(pids)
            rate, sent, got, bad = await throughput(
                url, zalo, conversations=ns.conversations, duration=ns.tp_duration, expect="echo"
            )
            print(
                f"   {rate:7.1f} msgs/s   sent {sent}, answered {got}, "
                f"lost/duplicated/out of order: {bad} conversations"
            )
            print(watch.report() + "\n")

        stack, why = real_rasa() if not ns.no_rasa else (None, "--no-rasa given")
        if stack is None:
            print(f"2. End-to-end vs bare Rasa: SKIPPED — {why}.")
            print("   Train a model (make train) and run again for this figure.")
            return
        gen, rs = stack
        rasa_pids = [p.pid for _name, p in rs.stack.procs]
        try:
            with gateway_process(
                rasa_url=rs.rasa_url,
                zalo=zalo,
                redis_url=base.redis.url,
                prefix=prefix + "b:",
                **opts,
            ) as (url, pids):
                # warm up Rasa (first calls load the model's graph)
                await e2e_vs_bare(url, rs.rasa_url, zalo, 5)
                watch = _watch(pids, rasa_and_actions=rasa_pids)
                bare, gw = await e2e_vs_bare(url, rs.rasa_url, zalo, ns.e2e_messages)
                print(f"2. End-to-end latency, {ns.e2e_messages} messages, real Rasa:")
                print(f"   bare Rasa REST : {fmt(bare)}")
                print(f"   Zalo → gateway → Rasa → fake Zalo: {fmt(gw)}")
                print(
                    f"   ratio p50 {pct(gw, 50) / pct(bare, 50):.2f}  "
                    f"p95 {pct(gw, 95) / pct(bare, 95):.2f}   target p50 ratio ≤ 1.3; "
                    f"added p50 {pct(gw, 50) - pct(bare, 50):.1f} ms"
                )
                print(watch.report() + "\n")
                print(
                    f"3b. Throughput with the real Rasa, {ns.conversations} conversations, "
                    f"{ns.tp_duration:g} s:"
                )
                watch = _watch(pids, rasa_and_actions=rasa_pids)
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
                print(watch.report())
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
    p.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first")
    p.add_argument("--e2e-messages", type=int, default=100)
    p.add_argument("--conversations", type=int, default=50)
    p.add_argument("--tp-duration", type=float, default=20.0, help="throughput phase seconds")
    p.add_argument(
        "--no-split",
        action="store_true",
        help="gateway and workers in one process (default: two processes)",
    )
    p.add_argument("--no-rasa", action="store_true", help="skip the real-Rasa comparison")
    p.add_argument("--log-level", default="INFO", help="the gateway's LOG_LEVEL (default INFO)")
    p.add_argument("--profile", metavar="DIR", help="run the gateway under cProfile into DIR")
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runner.run(main(p.parse_args()))
