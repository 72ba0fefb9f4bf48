"""NLU benchmark: our Vietnamese pipeline vs Rasa's default pipeline on the held-out split.

    .venv/bin/python scripts/bench_nlu.py [--default-runs N] [--epochs N] [--seed N]
                                          [--skip-default] [--retrain-default]
                                          [--skip-latency] [--errors]

Trains our pipeline (``config.yml``) and Rasa's default pipeline (WhitespaceTokenizer +
CountVectorsFeaturizer + DIET, ``--epochs`` 80 by default) on the same data, ``nlu_data/``
with what ``make generate`` derives from the knowledge base, then scores the test split
``tests/nlu/`` and an accent-stripped copy of it:

* intent accuracy — the top intent as served (a ``nlu_fallback`` counts as wrong);
* intent macro-F1 over the gold intents;
* ``procedure`` entity accuracy — per example, the SET of predicted ``procedure`` values
  equals the gold set (both empty counts as right, so false alarms are errors too);
  also shown restricted to the examples that mention a procedure;

and the intent accuracy on the part of the split that no training example nearly copies
(word Jaccard < 0.75, the rule by which ``make ingest-nlu`` drops near copies: lines written
before that rule, or beside the test lines, can come close to them), plus training time
and ``/model/parse`` latency (p50/p95) of our model, measured over
HTTP against ``rasa run --enable-api`` on a free port. Nothing asserts a time: it prints.

DIET's accuracy moves by a point or more from one training to the next, so
``--default-runs N`` trains the default N times (seeds 1..N) and prints each run and the
gap to the worst, mean and best of them.

A trained default model is kept in ``~/.cache/tro-ly-cong-dan/bench-nlu`` under a hash of
its config, the NLU training files and the lock (with its training time), so a rerun after
a change to our pipeline only trains ours; ``--retrain-default`` trains it again anyway.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
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

from bot.nlu.ingest import NEAR, NearIndex, words  # noqa: E402
from bot.nlu.text import fold  # noqa: E402
from bot.training import cache_dir, files_hash, generate, rasa_env  # noqa: E402

RASA = str(ROOT / ".venv" / "bin" / "rasa")
TEST_SPLIT = ROOT / "tests" / "nlu"
DEFAULT_EPOCHS = 80
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
    env = {**rasa_env(ROOT), "RASA_CACHE_DIRECTORY": str(out / f"cache_{name}")}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    model = out / f"{name}.tar.gz"
    if proc.returncode != 0 or not model.exists():
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"training {name} failed")
    return model, elapsed


def train_default(
    config_text: str, out: Path, name: str, nlu: Path, *, reuse: bool = True
) -> tuple[Path, float, bool]:
    """Train Rasa's default pipeline, or reuse the model trained on the same inputs.

    DIET takes twenty minutes or more here, and only our pipeline changes between most
    runs, so the model is kept in ``~/.cache/tro-ly-cong-dan/bench-nlu`` under a hash of
    its config, the training data and the dependency lock, with the time its training
    took. ``reuse=False`` trains anyway (and refreshes the cache). Returns the model, that
    time, and whether it came from the cache.
    """
    from rasa.shared.data import get_data_files, is_nlu_file

    # Only what Rasa reads as NLU data: a fact changed in the knowledge base is not.
    files = sorted(Path(f) for f in get_data_files([str(nlu)], is_nlu_file))
    digest = files_hash(
        ((p.name, p) for p in [*files, ROOT / "requirements" / "lock.txt"]),
        prefix=config_text.encode(),
    )
    store = cache_dir() / "bench-nlu"
    cached = store / f"default-{digest}.tar.gz"
    seconds = cached.with_suffix(".seconds")
    if reuse and cached.exists() and seconds.exists():
        return cached, float(seconds.read_text()), True
    config = out / f"config_{name}.yml"
    config.write_text(config_text)
    model, elapsed = train(config, out, name, nlu)
    store.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(model, cached.with_suffix(".part"))
    seconds.write_text(f"{elapsed:.1f}")
    cached.with_suffix(".part").replace(cached)
    return model, elapsed, False


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
    """The classifier's top intent and confidence, before the FallbackClassifier."""
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


def unlike_training(cases: list[Case], nlu: Path, near: float = NEAR) -> list[bool]:
    """For each case, whether no training example shares ``near`` or more of its words
    (Jaccard, digits aside: the rule by which ``make ingest-nlu`` drops near copies)."""
    from rasa.shared.data import get_data_files, is_nlu_file
    from rasa.shared.nlu.training_data.loading import load_data

    index = NearIndex(
        m.get("text")
        for f in get_data_files([str(nlu)], is_nlu_file)
        for m in load_data(f).intent_examples
    )
    return [not (ws := words(c.text)) or index.nearest(ws) < near for c in cases]


def _print_unlike(
    cases: list[Case],
    mask: list[bool],
    copies: dict[str, list[Case]],
    runs: list[tuple[str, dict[str, list[dict]]]],
) -> None:
    keep = [i for i, ok in enumerate(mask) if ok]
    print(
        f" intent accuracy on the {len(keep)} of {len(cases)} examples that no training "
        f"example nearly copies (word Jaccard < {NEAR}), split / accent-stripped:"
    )
    accs: dict[str, list[float]] = {}
    for who, parsed in runs:
        accs[who] = [
            score([cs[i] for i in keep], [parsed[name][i] for i in keep]).intent_acc
            for name, cs in copies.items()
        ]
        print(f"  {who} {100 * accs[who][0]:6.2f} / {100 * accs[who][1]:6.2f} %")
    if "default" in accs:
        print(
            f"  accent-stripped: ours ahead by "
            f"{100 * (accs['ours'][1] - accs['default'][1]):.2f} points"
        )


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
        env=rasa_env(ROOT),
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


@dataclass(frozen=True, slots=True)
class DefaultRun:
    """One training of Rasa's default pipeline and how it scored."""

    seconds: float
    parsed: dict[str, list[dict]]
    scores: dict[str, Scores]

    @property
    def stripped_acc(self) -> float:
        return self.scores["stripped"].intent_acc


def _config_with_seed(config: Path, seed: int, work: Path) -> Path:
    """A copy of ``config`` whose intent classifier uses ``seed``."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for step in data["pipeline"]:
        if "random_seed" in step or step.get("name") == "DIETClassifier":
            step["random_seed"] = seed
    out = work / f"config_ours_seed{seed}.yml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return out


def _print_table(
    cases: list[Case], ours: dict[str, Scores], default: dict[str, Scores] | None
) -> None:
    print(
        f"  {'':<40} {'ours':>10} {'default':>10} {'ratio':>8}"
        if default
        else f"  {'':<40} {'ours':>10}"
    )
    for name, title in (("split", "test split"), ("stripped", "accent-stripped copy")):
        print(f" {title} ({len(cases)} examples)")
        o, d = ours[name], default[name] if default else None
        print(_row("intent accuracy", o.intent_acc, d.intent_acc if d else None))
        print(_row("intent macro-F1", o.macro_f1, d.macro_f1 if d else None, pct=False))
        print(
            _row(
                "procedure accuracy (all examples)", o.procedure_acc, d.procedure_acc if d else None
            )
        )
        print(
            _row(
                "procedure accuracy (mentioning one)",
                o.procedure_acc_mentioned,
                d.procedure_acc_mentioned if d else None,
            )
        )
        print(_row("nlu_fallback rate", o.fallback_rate, d.fallback_rate if d else None))


def _print_by_file(
    files: list[Path],
    by_file: dict[str, list[Case]],
    copies: dict[str, list[Case]],
    runs: list[tuple[str, dict[str, list[dict]]]],
) -> None:
    print(" intent accuracy by file (split / accent-stripped):")
    at = 0
    for f in files:
        n = len(by_file[f.name])
        part = slice(at, at + n)
        at += n
        row = []
        for who, parsed in runs:
            accs = [score(cs[part], parsed[name][part]).intent_acc for name, cs in copies.items()]
            row.append(f"{who} {100 * accs[0]:6.2f} / {100 * accs[1]:6.2f} %")
        print(f"  {f.name} ({n}): " + ", ".join(row))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", type=Path, default=ROOT / "config.yml")
    ap.add_argument(
        "--epochs", type=int, default=DEFAULT_EPOCHS, help="DIET epochs of the default pipeline"
    )
    ap.add_argument("--skip-default", action="store_true", help="do not train the default pipeline")
    ap.add_argument(
        "--default-runs", type=int, default=1, help="train the default N times (seeds 1..N)"
    )
    ap.add_argument(
        "--retrain-default",
        action="store_true",
        help="train the default pipeline even if a model of the same inputs is cached",
    )
    ap.add_argument("--skip-latency", action="store_true", help="do not start rasa run")
    ap.add_argument("--errors", action="store_true", help="list the misclassified examples")
    ap.add_argument("--seed", type=int, help="random seed of our classifier (default: config's)")
    ap.add_argument("--nlu", type=Path, default=ROOT / "nlu_data", help="training data")
    ap.add_argument("--model", type=Path, help="use this trained model instead of training ours")
    args = ap.parse_args()

    # Both pipelines learn from what `make train` gives the served model, the lookup
    # table and synonyms derived from the knowledge base included.
    generate(ROOT, rasa_env(ROOT))
    files = sorted(TEST_SPLIT.glob("*.yml"))
    by_file = {f.name: load_cases(f) for f in files}
    cases = [c for f in files for c in by_file[f.name]]
    copies = {"split": cases, "stripped": strip_accents(cases)}
    work = Path(tempfile.mkdtemp(prefix="bench_nlu_"))
    print(
        f"test split: {len(cases)} examples ({TEST_SPLIT.relative_to(ROOT)}), "
        f"default pipeline: DIET {args.epochs} epochs × {args.default_runs} run(s), "
        f"work dir: {work}"
    )

    config = args.config
    if args.seed is not None:
        config = _config_with_seed(args.config, args.seed, work)
    if args.model:
        ours_model, ours_time = args.model, float("nan")
    else:
        ours_model, ours_time = train(config, work, "ours", args.nlu)
    print(f"trained ours in {ours_time:.1f} s")
    ours_parsed, ours = evaluate(ours_model, copies)

    defaults: list[DefaultRun] = []
    for seed in range(1, args.default_runs + 1) if not args.skip_default else ():
        text = DEFAULT_PIPELINE.format(epochs=args.epochs)
        if args.default_runs > 1:  # one run keeps DIET unseeded, as Rasa ships it
            text = text.replace("    epochs:", f"    random_seed: {seed}\n    epochs:")
        model, elapsed, cached = train_default(
            text, work, f"default_{seed}", args.nlu, reuse=not args.retrain_default
        )
        parsed, scores = evaluate(model, copies)
        print(
            f"{'cached' if cached else 'trained'} default run {seed} "
            f"(training took {elapsed:.1f} s): intent accuracy "
            f"{100 * scores['split'].intent_acc:.2f} % / stripped "
            f"{100 * scores['stripped'].intent_acc:.2f} %"
        )
        defaults.append(DefaultRun(seconds=elapsed, parsed=parsed, scores=scores))

    latency = None
    if not args.skip_latency:
        with rasa_server(ours_model, work) as url:
            latency = parse_latency(url, [c.text for cs in copies.values() for c in cs])

    # The table compares with the default run closest to the mean stripped accuracy.
    default = default_parsed = None
    default_time = None
    if defaults:
        mean = statistics.mean(d.stripped_acc for d in defaults)
        nearest = min(defaults, key=lambda d: abs(d.stripped_acc - mean))
        default_time, default_parsed, default = nearest.seconds, nearest.parsed, nearest.scores
    print()
    _print_table(cases, ours, default)
    if defaults:
        gaps = [100 * (ours["stripped"].intent_acc - d.stripped_acc) for d in defaults]
        print(
            f"  accent-stripped intent accuracy ahead of default by {statistics.mean(gaps):.2f} "
            f"points (mean of {len(gaps)} run(s); smallest {min(gaps):.2f}, largest {max(gaps):.2f})"
        )
    runs = [("ours", ours_parsed)] + ([("default", default_parsed)] if default_parsed else [])
    if len(files) > 1:
        _print_by_file(files, by_file, copies, runs)
    _print_unlike(cases, unlike_training(cases, args.nlu), copies, runs)
    print(
        f" training time: ours {ours_time:.1f} s"
        + (f", default {default_time:.1f} s" if default_time else "")
    )
    if latency:
        print(
            f" /model/parse latency (ours, {2 * len(cases)} sequential calls): "
            f"p50 {latency[0]:.1f} ms, p95 {latency[1]:.1f} ms"
        )
    print(" fallback threshold on the classifier's confidence (ours, split + stripped):")
    print("   threshold  falls back  accuracy of the rest")
    both = copies["split"] + copies["stripped"]
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
