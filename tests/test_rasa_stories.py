"""Conversation tests: every tests/test_stories*.yml story, run with `rasa test core`.

A wrongly predicted action anywhere fails this test, with Rasa's report of the failed
stories in the assertion message.
"""

from __future__ import annotations

import shutil
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
    # `--stories` takes one path: gather the files in a folder of their own.
    story_dir = tmp_path / "stories"
    story_dir.mkdir()
    for path in stories:
        shutil.copy(path, story_dir)
    out = tmp_path / "results"
    proc = subprocess.run(
        [
            str(Path(__import__("sys").executable).with_name("rasa")),
            "test",
            "core",
            "--model",
            str(model),
            "--stories",
            str(story_dir),
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
    # Every story was evaluated (a file Rasa could not read would silently count zero).
    expected = sum(Path(p).read_text().count("- story:") for p in stories)
    log = proc.stdout + proc.stderr
    assert f"Correct:          {expected} / {expected}" in log, log[-3000:]
    # Rasa writes the failed stories file with a comment only when all passed.
    assert "story:" not in report, report
