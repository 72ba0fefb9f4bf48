"""Loading into typed objects, and hot reload without a restart (on a copy of the KB)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from structlog.testing import capture_logs

from bot.kb import KnowledgeBaseError, KnowledgeBaseStore, Procedure, load_knowledge_base
from bot.settings import PROJECT_ROOT

KB_DIR = PROJECT_ROOT / "nlu_data" / "procedures"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    target = tmp_path / "procedures"
    shutil.copytree(KB_DIR, target)
    return target


def _rewrite(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # Make the change visible even on filesystems with coarse mtimes.
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


def test_loader_builds_typed_procedures() -> None:
    kb = load_knowledge_base(KB_DIR)
    ks = kb.get("khai_sinh")
    assert isinstance(ks, Procedure)
    assert ks.name == "Đăng ký khai sinh"
    assert ks.code == "1.001193"
    assert ks.online.available and ks.online.link and "1.001193" in ks.online.link
    assert "Giấy chứng sinh" in " ".join(ks.documents)
    assert ks.fee.exemptions and "Miễn lệ phí" in ks.fee.text
    assert ks.is_uncertain("fee") and not ks.is_uncertain("processing_time")
    assert ks.source_for("where").startswith("https://xaydungchinhsach.chinhphu.vn/")
    assert ks.source_for("documents") == ks.source_url
    assert "khai_sinh" in kb and len(kb) >= 20


def test_an_edit_is_picked_up_after_the_interval(kb_dir: Path) -> None:
    clock = FakeClock()
    store = KnowledgeBaseStore(directory=kb_dir, reload_interval_s=2.0, clock=clock)
    first = store.get()
    assert first.get("ho_chieu").processing_time.startswith("Không quá 08")

    _rewrite(kb_dir / "ho_chieu.yml", lambda d: d.update(processing_time="Thử: 06 ngày làm việc."))
    clock.now += 1.0
    assert store.get() is first, "checked again before the interval"

    clock.now += 1.5
    second = store.get()
    assert second is not first
    assert second.get("ho_chieu").processing_time == "Thử: 06 ngày làm việc."
    assert store.reloads == 1

    clock.now += 5
    assert store.get() is second, "nothing changed, nothing reloaded"


def test_a_new_file_and_a_deleted_file_are_noticed(kb_dir: Path) -> None:
    clock = FakeClock()
    store = KnowledgeBaseStore(directory=kb_dir, reload_interval_s=0.5, clock=clock)
    assert "khai_tu" in store.get()
    data = yaml.safe_load((kb_dir / "khai_tu.yml").read_text(encoding="utf-8"))
    (kb_dir / "khai_tu.yml").unlink()
    data.update(id="khai_tu_moi")
    (kb_dir / "khai_tu_moi.yml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    clock.now += 1
    kb = store.get()
    assert "khai_tu" not in kb and "khai_tu_moi" in kb


def test_a_broken_edit_keeps_the_last_good_version(kb_dir: Path) -> None:
    clock = FakeClock()
    store = KnowledgeBaseStore(directory=kb_dir, reload_interval_s=1.0, clock=clock)
    good = store.get()
    _rewrite(kb_dir / "can_cuoc.yml", lambda d: d.pop("fee"))
    clock.now += 2
    with capture_logs() as logs:
        assert store.get() is good
        clock.now += 2
        assert store.get() is good
    failed = [e for e in logs if e["event"] == "kb.reload.failed"]
    assert len(failed) == 1, "logged once per broken edit, not on every request"
    assert any("can_cuoc.yml: fee:" in p for p in failed[0]["problems"])

    _rewrite(kb_dir / "can_cuoc.yml", lambda d: d.update(fee={"text": "Thử.", "exemptions": []}))
    clock.now += 2
    fixed = store.get()
    assert fixed is not good and fixed.get("can_cuoc").fee.text == "Thử."


def test_the_first_load_of_a_broken_directory_raises(kb_dir: Path) -> None:
    _rewrite(kb_dir / "so_do.yml", lambda d: d.update(aliases=[]))
    store = KnowledgeBaseStore(directory=kb_dir)
    with pytest.raises(KnowledgeBaseError, match=r"so_do\.yml: aliases"):
        store.get()
