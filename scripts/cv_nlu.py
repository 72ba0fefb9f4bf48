"""Cross-validation of an NLU config on the training data, on fixed folds, real components.

    .venv/bin/python scripts/cv_nlu.py [--config config.yml] [--seed 7] [--folds 5]
                                       [--extra FILE ...] [--control] [--out errors.json]

Splits the intent examples of ``nlu_data/nlu`` into stratified folds drawn with ``--seed``
(``rasa test nlu --cross-validation`` draws new folds every run, which moves the error
count by ±10 and hides small differences), trains the whole pipeline on each training part
in-process and parses the held-out part as written and accent-stripped. Prints the intent
errors (``nlu_fallback`` counts as wrong). ``--extra`` files (under ``nlu_data/nlu``) are
added to every training part and never held out, so a data change is compared on the same
folds; ``--control`` leaves them out instead (the baseline with the same folds).

Speed, not behaviour: underthesea's segmentation (not trained) is computed once per text
and Rasa's training cache, its fingerprints and its per-example entity schema check are
switched off. Used to choose the interaction block, the unaccented copies and the data of
2026-12-02 (``docs/nlu.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RASA_MAX_CACHE_SIZE", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

import rasa.engine.training.hooks as hooks  # noqa: E402
import rasa.shared.utils.validation as validation  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

import bot.nlu.tokenizer as tokenizer  # noqa: E402
from bot.nlu.segment import Piece, segment  # noqa: E402
from bot.nlu.text import fold  # noqa: E402

_SEGMENTS: dict[str, tuple[Piece, ...]] = {}


def _segment_once(text: str, segmenter: Any = None) -> list[Piece]:
    if text not in _SEGMENTS:
        _SEGMENTS[text] = tuple(segment(text))
    return list(_SEGMENTS[text])


def _speed_up() -> None:
    """Skip work that only serves Rasa's training cache and data validation."""
    tokenizer.segment = _segment_once
    validation.validate_training_data = lambda *args, **kwargs: None
    hooks.TrainingHook.on_before_node = lambda self, *a, **k: {"fingerprint_key": uuid.uuid4().hex}
    hooks.TrainingHook.on_after_node = lambda self, *a, **k: None
    TrainingData.fingerprint = lambda self: uuid.uuid4().hex


def load(nlu: Path, extra: set[str]) -> tuple[TrainingData, list[Any], list[Any]]:
    """Training data without the ``extra`` files, and the examples of both parts."""
    from rasa.shared.nlu.training_data.loading import load_data

    base = TrainingData()
    added = []
    for path in sorted((nlu / "nlu").glob("*.yml")):
        data = load_data(str(path))
        if path.name in extra:
            added += [m for m in data.training_examples if m.get("intent")]
        else:
            base = base.merge(data)
    generated = nlu / "generated"
    if generated.exists():
        base = base.merge(load_data(str(generated)))
    examples = [m for m in base.training_examples if m.get("intent") and m.get("text")]
    return base, examples, added


def _ranking(parse: dict[str, Any], top: int = 3) -> list[tuple[str, float]]:
    """The classifier's own top intents (``nlu_fallback`` left out), for threshold studies."""
    ranked = [r for r in parse.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
    return [(r["name"], round(float(r["confidence"]), 4)) for r in ranked[:top]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", default=str(ROOT / "config.yml"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--nlu", type=Path, default=ROOT / "nlu_data")
    ap.add_argument("--extra", nargs="*", default=[], help="files of nlu_data/nlu never held out")
    ap.add_argument("--control", action="store_true", help="leave the --extra files out")
    ap.add_argument("--out", type=Path, help="write every held-out prediction here (JSON)")
    args = ap.parse_args()
    _speed_up()
    from bench_nlu import parse_all  # same directory: the benchmark's in-process parser
    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from sklearn.model_selection import StratifiedKFold

    data, examples, added = load(args.nlu, {Path(e).name for e in args.extra})
    if args.control:
        added = []
    intents = [m.get("intent") for m in examples]
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=args.seed)
    work = Path(tempfile.mkdtemp(prefix="cv_nlu_"))
    results: list[dict[str, Any]] = []
    for k, (train, held) in enumerate(folds.split(examples, intents)):
        part = TrainingData(
            training_examples=[examples[i] for i in train] + added,
            entity_synonyms=data.entity_synonyms,
            lookup_tables=data.lookup_tables,
            regex_features=data.regex_features,
        )
        fold_dir = work / f"fold{k}"
        fold_dir.mkdir()
        RasaYAMLWriter().dump(fold_dir / "nlu.yml", part)
        model = train_nlu(args.config, str(fold_dir / "nlu.yml"), str(fold_dir), "model")
        texts = [examples[i].get("text") for i in held]
        parsed = parse_all(Path(model), texts + [fold(t) for t in texts])
        typed, stripped = parsed[: len(texts)], parsed[len(texts) :]
        for i, text, a, b in zip(held, texts, typed, stripped, strict=True):
            results.append(
                {
                    "text": text,
                    "gold": intents[i],
                    "typed": a["intent"]["name"],
                    "stripped": b["intent"]["name"],
                    "typed_ranking": _ranking(a),
                    "stripped_ranking": _ranking(b),
                }
            )
        typed_errors = sum(r["typed"] != r["gold"] for r in results)
        stripped_errors = sum(r["stripped"] != r["gold"] for r in results)
        print(f"fold {k}: errors so far {typed_errors} / {stripped_errors} of {len(results)}")
    print(
        f"intent errors, seed {args.seed}, {args.folds} folds, {len(results)} examples"
        f"{' + ' + str(len(added)) + ' always trained' if added else ''}: "
        f"typed {typed_errors}, stripped {stripped_errors}"
    )
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=0), encoding="utf-8")


if __name__ == "__main__":
    main()
