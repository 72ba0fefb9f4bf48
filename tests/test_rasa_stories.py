"""Conversation tests: every tests/test_stories*.yml story, run with `rasa test core`.

A wrongly predicted action anywhere fails this test, with Rasa's report of the failed
stories in the assertion message.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.training import ensure_model, rasa_env

pytestmark = pytest.mark.slow


def test_conversation_stories(tmp_path: Path) -> None:
    model = ensure_model()
    stories = sorted(str(p) for p in (PROJECT_ROOT / "tests").glob("test_stories*.yml"))
    assert stories, "no conversation test files found"
    out = tmp_path / "results"
    proc = subprocess.run(
        [
            str(Path(__import__("sys").executable).with_name("rasa")),
            "test",
            "core",
            "--model",
            str(model),
            "--stories",
            *stories,
            "--out",
            str(out),
            "--fail-on-prediction-errors",
            "--no-plot",
        ],
        cwd=PROJECT_ROOT,
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    failed = out / "failed_test_stories.yml"
    report = failed.read_text() if failed.exists() else ""
    assert proc.returncode == 0, (
        f"rasa test core failed (exit {proc.returncode}).\n{report}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    # Rasa writes the failed stories file with a comment only when all passed.
    assert "story:" not in report, report
