"""NLU benchmark: our Vietnamese pipeline vs Rasa's default pipeline on the held-out split.

    .venv/bin/python scripts/bench_nlu.py [--epochs N] [--skip-default] [--skip-latency]

Trains both pipelines on ``nlu_data/`` (same data, same DIET epochs), then scores the test
split ``tests/nlu/`` and an accent-stripped copy of it:

* intent accuracy — the top intent as served (a ``nlu_fallback`` counts as wrong);
* intent macro-F1 over the gold intents;
* ``procedure`` entity accuracy — per example, the SET of predicted ``procedure`` values
  equals the gold set (both empty counts as right, so false alarms are errors too);
  also shown restricted to the examples that mention a procedure;

plus training time and ``/model/parse`` latency (p50/p95) of our model, measured over
HTTP against ``rasa run --enable-api`` on a free port. Nothing asserts a time: it prints.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.nlu.text import fold  # noqa: E402

RASA = str(ROOT / ".venv" / "bin" / "rasa")
TEST_SPLIT = ROOT / "tests" / "nlu"
DEFAULT_PIPELINE = """
recipe: default.v1
language: vi
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: DIETClassifier
    epochs: {epochs}
  - name: EntitySynonymMapper
policies: []
"""


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    intent: str
    procedures: frozenset[str]


@dataclass(frozen=True, slots=True)
class Scores:
    intent_acc: float
    macro_f1: float
    procedure_acc: float
    procedure_acc_mentioned: float
    fallback_rate: float
    errors: list[str]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    return env


def load_cases(path: Path = TEST_SPLIT) -> list[Case]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [
        Case(
            text=m.get("text"),
            intent=m.get("intent"),
            procedures=frozenset(
                str(e["value"]) for e in m.get("entities") or [] if e["entity"] == "procedure"
            ),
        )
        for m in data.nlu_examples
    ]


def strip_accents(cases: list[Case]) -> list[Case]:
    """The accent-stripped copy (lower case, no diacritics, đ→d), same labels."""
    return [Case(fold(c.text), c.intent, c.procedures) for c in cases]


def epochs_of(config: Path) -> int:
    import yaml

    pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))["pipeline"]
    for step in pipeline:
        if step.get("name") == "DIETClassifier":
            return int(step.get("epochs", 300))
    raise SystemExit(f"{config}: no DIETClassifier in the pipeline")


def train(config: Path, out: Path, name: str, nlu: Path) -> tuple[Path, float]:
    """Train an NLU model; returns its path and the wall time of `rasa train nlu`."""
    started = time.perf_counter()
    cmd = [
        RASA,
        "train",
        "nlu",
        "--config",
        str(config),
        "--nlu",
        str(nlu),
        "--out",
        str(out),
        "--fixed-model-name",
        name,
    ]
    # A fresh Rasa training cache: with the project's .rasa/cache a pipeline trained before
    # is "trained" in seconds, which is not what this measures.
    env = {**_env(), "RASA_CACHE_DIRECTORY": str(out / f"cache_{name}")}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    model = out / f"{name}.tar.gz"
    if proc.returncode != 0 or not model.exists():
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"training {name} failed")
    return model, elapsed


def parse_all(model: Path, texts: list[str]) -> list[dict]:
    """Parse texts in-process with the model (for accuracy; latency is measured over HTTP)."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def run() -> list[dict]:
        return [await agent.parse_message(t) for t in texts]

    return asyncio.run(run())


def evaluate(
    model: Path, copies: dict[str, list[Case]]
) -> tuple[dict[str, list[dict]], dict[str, Scores]]:
    """Parse every copy of the split with one load of ``model``; the parses and their scores."""
    texts = [c.text for cs in copies.values() for c in cs]
    flat = parse_all(model, texts)
    parsed: dict[str, list[dict]] = {}
    at = 0
    for name, cs in copies.items():
        parsed[name] = flat[at : at + len(cs)]
        at += len(cs)
    return parsed, {name: score(cs, parsed[name]) for name, cs in copies.items()}


def score(cases: list[Case], parsed: list[dict]) -> Scores:
    from sklearn.metrics import f1_score

    gold = [c.intent for c in cases]
    pred = [(p.get("intent") or {}).get("name") or "None" for p in parsed]
    pred_procs = [
        frozenset(str(e["value"]) for e in p.get("entities", []) if e["entity"] == "procedure")
        for p in parsed
    ]
    intent_ok = [g == p for g, p in zip(gold, pred, strict=True)]
    proc_ok = [c.procedures == pp for c, pp in zip(cases, pred_procs, strict=True)]
    mentioned = [ok for c, ok in zip(cases, proc_ok, strict=True) if c.procedures]
    errors = []
    for c, p, pp, iok, pok in zip(cases, pred, pred_procs, intent_ok, proc_ok, strict=True):
        if not iok or not pok:
            errors.append(
                f"{c.text!r}: intent {c.intent}→{p}"
                + ("" if pok else f", procedure {sorted(c.procedures)}→{sorted(pp)}")
            )
    return Scores(
        intent_acc=sum(intent_ok) / len(cases),
        macro_f1=float(f1_score(gold, pred, labels=sorted(set(gold)), average="macro")),
        procedure_acc=sum(proc_ok) / len(cases),
        procedure_acc_mentioned=sum(mentioned) / max(1, len(mentioned)),
        fallback_rate=sum(p == "nlu_fallback" for p in pred) / len(cases),
        errors=errors,
    )


def raw_top(parsed: dict) -> tuple[str, float]:
    """DIET's top intent and confidence, before the FallbackClassifier."""
    for item in parsed.get("intent_ranking") or []:
        if item.get("name") != "nlu_fallback":
            return item["name"], float(item.get("confidence") or 0.0)
    intent = parsed.get("intent") or {}
    return intent.get("name") or "None", float(intent.get("confidence") or 0.0)


def threshold_table(cases: list[Case], parsed: list[dict]) -> list[tuple[float, float, float]]:
    """For fallback thresholds: (threshold, share falling back, accuracy of the rest)."""
    tops = [raw_top(p) for p in parsed]
    rows = []
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        kept = [(c, name) for c, (name, conf) in zip(cases, tops, strict=True) if conf >= t]
        rows.append(
            (
                t,
                1 - len(kept) / len(cases),
                sum(c.intent == name for c, name in kept) / max(1, len(kept)),
            )
        )
    return rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def rasa_server(model: Path, workdir: Path) -> Iterator[str]:
    """`rasa run --enable-api` with the model on a free port (in-memory tracker store)."""
    port = _free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text("{}\n")
    log = (workdir / "rasa_run.log").open("w")
    proc = subprocess.Popen(
        [
            RASA,
            "run",
            "--enable-api",
            "-m",
            str(model),
            "--port",
            str(port),
            "-i",
            "127.0.0.1",
            "--endpoints",
            str(endpoints),
        ],
        cwd=workdir,
        env=_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"rasa run exited; see {workdir / 'rasa_run.log'}")
            try:
                with urllib.request.urlopen(url + "/status", timeout=2) as r:
                    if json.load(r).get("model_file"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("rasa run did not become ready in 300 s")
            time.sleep(1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def parse_latency(url: str, texts: list[str]) -> tuple[float, float]:
    """p50 and p95 (ms) of sequential POST /model/parse calls over ``texts``."""

    def call(text: str) -> float:
        body = json.dumps({"text": text}).encode()
        req = urllib.request.Request(
            url + "/model/parse", data=body, headers={"Content-Type": "application/json"}
        )
        started = time.perf_counter()
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()
        return (time.perf_counter() - started) * 1000

    for t in texts[:10]:  # warm-up
        call(t)
    times = sorted(call(t) for t in texts)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def _row(label: str, ours: float, default: float | None, pct: bool = True) -> str:
    fmt = (lambda v: f"{100 * v:6.2f} %") if pct else (lambda v: f"{v:8.3f}")
    if default is None:
        return f"  {label:<40} {fmt(ours):>10}"
    ratio = f"{ours / default:5.2f}×" if default else "   —"
    return f"  {label:<40} {fmt(ours):>10} {fmt(default):>10} {ratio:>8}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", type=Path, default=ROOT / "config.yml")
    ap.add_argument("--epochs", type=int, help="DIET epochs for both (default: config.yml's)")
    ap.add_argument("--skip-default", action="store_true", help="do not train the default pipeline")
    ap.add_argument("--skip-latency", action="store_true", help="do not start rasa run")
    ap.add_argument("--errors", action="store_true", help="list the misclassified examples")
    ap.add_argument(
        "--seed",
        type=int,
        help="DIET random_seed for both pipelines (default: ours config.yml's, Rasa's none)",
    )
    ap.add_argument("--nlu", type=Path, default=ROOT / "nlu_data", help="training data")
    ap.add_argument("--model", type=Path, help="use this trained model instead of training ours")
    args = ap.parse_args()

    files = sorted(TEST_SPLIT.glob("*.yml"))
    by_file = {f.name: load_cases(f) for f in files}
    cases = [c for f in files for c in by_file[f.name]]
    stripped = strip_accents(cases)
    epochs = args.epochs or epochs_of(args.config)
    work = Path(tempfile.mkdtemp(prefix="bench_nlu_"))
    print(
        f"test split: {len(cases)} examples ({TEST_SPLIT.relative_to(ROOT)}), "
        f"DIET epochs: {epochs}, seed: {args.seed if args.seed is not None else 'as configured'}, "
        f"work dir: {work}"
    )

    config = args.config
    if args.epochs or args.seed is not None:
        import yaml

        data = yaml.safe_load(args.config.read_text(encoding="utf-8"))
        for step in data["pipeline"]:
            if step.get("name") == "DIETClassifier":
                step["epochs"] = epochs
                if args.seed is not None:
                    step["random_seed"] = args.seed
        config = work / "config_ours.yml"
        config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    if args.model:
        ours_model, ours_time = args.model, float("nan")
    else:
        ours_model, ours_time = train(config, work, "ours", args.nlu)
    print(f"trained ours in {ours_time:.1f} s")
    copies = {"split": cases, "stripped": stripped}
    ours_parsed, ours = evaluate(ours_model, copies)

    default = default_parsed = None
    default_time = None
    if not args.skip_default:
        default_config = work / "config_default.yml"
        default_text = DEFAULT_PIPELINE.format(epochs=epochs)
        if args.seed is not None:
            default_text = default_text.replace(
                f"epochs: {epochs}\n", f"epochs: {epochs}\n    random_seed: {args.seed}\n"
            )
        default_config.write_text(default_text)
        default_model, default_time = train(default_config, work, "default", args.nlu)
        print(f"trained default in {default_time:.1f} s")
        default_parsed, default = evaluate(default_model, copies)

    latency = None
    if not args.skip_latency:
        with rasa_server(ours_model, work) as url:
            latency = parse_latency(url, [c.text for c in cases + stripped])

    print()
    print(
        f"  {'':<40} {'ours':>10} {'default':>10} {'ratio':>8}"
        if default
        else f"  {'':<40} {'ours':>10}"
    )
    for name, title in (("split", "test split"), ("stripped", "accent-stripped copy")):
        print(f" {title} ({len(cases)} examples)")
        d = default[name] if default else None
        print(_row("intent accuracy", ours[name].intent_acc, d.intent_acc if d else None))
        print(_row("intent macro-F1", ours[name].macro_f1, d.macro_f1 if d else None, pct=False))
        print(
            _row(
                "procedure accuracy (all examples)",
                ours[name].procedure_acc,
                d.procedure_acc if d else None,
            )
        )
        print(
            _row(
                "procedure accuracy (mentioning one)",
                ours[name].procedure_acc_mentioned,
                d.procedure_acc_mentioned if d else None,
            )
        )
        print(_row("nlu_fallback rate", ours[name].fallback_rate, d.fallback_rate if d else None))
    if default:
        gap = ours["stripped"].intent_acc - default["stripped"].intent_acc
        print(f"  accent-stripped intent accuracy ahead of default by {100 * gap:.2f} points")
    if len(files) > 1:
        print(" intent accuracy by file (split / accent-stripped):")
        at = 0
        for f in files:
            n = len(by_file[f.name])
            part = slice(at, at + n)
            at += n
            row = []
            for parsed in (ours_parsed, default_parsed):
                if parsed is None:
                    continue
                accs = [
                    score(cs[part], parsed[name][part]).intent_acc for name, cs in copies.items()
                ]
                row.append(f"{100 * accs[0]:6.2f} / {100 * accs[1]:6.2f} %")
            print(f"  {f.name} ({n}): ours {row[0]}" + (f", default {row[1]}" if default else ""))
    print(
        f" training time: ours {ours_time:.1f} s"
        + (f", default {default_time:.1f} s" if default_time else "")
    )
    if latency:
        print(
            f" /model/parse latency (ours, {2 * len(cases)} sequential calls): "
            f"p50 {latency[0]:.1f} ms, p95 {latency[1]:.1f} ms"
        )
    print(" fallback threshold on DIET confidence (ours, split + stripped):")
    print("   threshold  falls back  accuracy of the rest")
    both = cases + stripped
    for t, fell, acc in threshold_table(both, ours_parsed["split"] + ours_parsed["stripped"]):
        print(f"   {t:9.2f}  {100 * fell:8.2f} %  {100 * acc:8.2f} %")
    if args.errors:
        for who, scores in (("ours", ours), ("default", default)):
            for name in ("split", "stripped") if scores else ():
                print(f"\n {who}: errors on {name}:")
                for e in scores[name].errors:
                    print("  ", e)


if __name__ == "__main__":
    main()
