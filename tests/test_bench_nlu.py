"""The NLU benchmark's own logic: scoring, the accent-stripped copy, the default-model cache."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bot.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_nlu", PROJECT_ROOT / "scripts" / "bench_nlu.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_nlu"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _parsed(intent: str, *procedures: str) -> dict:
    return {
        "intent": {"name": intent},
        "entities": [{"entity": "procedure", "value": p} for p in procedures],
    }


def test_score_counts_intents_entity_sets_and_fallbacks(bench: ModuleType) -> None:
    cases = [
        bench.Case("làm khai sinh cần gì", "ask_documents", frozenset({"khai_sinh"})),
        bench.Case("lệ phí bao nhiêu", "ask_fee", frozenset()),
        bench.Case("chào", "greet", frozenset()),
        bench.Case("hộ chiếu ở đâu", "ask_location", frozenset({"ho_chieu"})),
    ]
    parsed = [
        _parsed("ask_documents", "khai_sinh"),
        _parsed("ask_fee", "khai_sinh"),  # a false alarm is a procedure error
        _parsed("nlu_fallback"),  # a fallback is a wrong intent
        _parsed("ask_location"),  # the procedure was missed
    ]
    s = bench.score(cases, parsed)
    assert s.intent_acc == 0.75
    assert s.procedure_acc == 0.5
    assert s.procedure_acc_mentioned == 0.5
    assert s.fallback_rate == 0.25
    assert len(s.errors) == 3 and "greet→nlu_fallback" in s.errors[1]


def test_stripped_copy_keeps_labels_and_drops_accents(bench: ModuleType) -> None:
    [case] = bench.strip_accents(
        [bench.Case("Đăng ký Kết hôn ở đâu", "ask_location", frozenset({"ket_hon"}))]
    )
    assert case == bench.Case("dang ky ket hon o dau", "ask_location", frozenset({"ket_hon"}))


def test_default_model_is_trained_once_per_inputs(
    bench: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TLCD_CACHE_DIR", str(tmp_path / "cache"))
    nlu = tmp_path / "nlu"
    nlu.mkdir()
    data = nlu / "nlu.yml"
    data.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - chào\n')
    trained: list[str] = []

    def fake_train(config: Path, out: Path, name: str, nlu_dir: Path) -> tuple[Path, float]:
        trained.append(config.read_text())
        model = out / f"{name}.tar.gz"
        model.write_bytes(b"model " + str(len(trained)).encode())
        return model, 12.5

    monkeypatch.setattr(bench, "train", fake_train)
    out = tmp_path / "work"
    out.mkdir()

    first = bench.train_default("pipeline: a", out, "default_1", nlu)
    again = bench.train_default("pipeline: a", out, "default_1", nlu)
    assert trained == ["pipeline: a"]
    assert (first[1], first[2]) == (12.5, False)
    assert again[1:] == (12.5, True) and again[0].read_bytes() == b"model 1"

    bench.train_default("pipeline: b", out, "default_1", nlu)  # another config
    data.write_text(data.read_text() + "    - xin chào\n")  # other training data
    changed = bench.train_default("pipeline: a", out, "default_1", nlu)
    assert trained == ["pipeline: a", "pipeline: b", "pipeline: a"]
    assert changed[2] is False and changed[0].read_bytes() == b"model 3"


def test_examples_nearly_copied_by_training_are_told_apart(
    bench: ModuleType, tmp_path: Path
) -> None:
    (tmp_path / "nlu.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: ask_fee\n  examples: |\n'
        "    - lệ phí làm giấy khai sinh là bao nhiêu vậy ạ\n"
    )
    cases = [
        bench.Case("le phi lam giay khai sinh la bao nhieu vay", "ask_fee", frozenset()),  # 10/11
        bench.Case("khai sinh mất bao nhiêu tiền", "ask_fee", frozenset()),  # 4/13
        bench.Case("👍", "affirm", frozenset()),  # no word: nothing to copy
    ]
    assert bench.unlike_training(cases, tmp_path) == [False, True, True]
    assert bench.unlike_training(cases, tmp_path, near=0.95) == [True, True, True]
