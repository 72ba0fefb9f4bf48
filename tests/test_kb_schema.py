"""The knowledge-base schema and validator: the real files pass, broken files are named."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from bot.kb import KnowledgeBaseError, load_knowledge_base, load_procedure_file
from bot.kb.review import review
from bot.kb.validate import main as validate_main
from bot.nlu.text import fold
from bot.settings import PROJECT_ROOT

KB_DIR = PROJECT_ROOT / "nlu_data" / "procedures"
CONTRACT_IDS = {
    "khai_sinh", "ket_hon", "khai_tu", "xac_nhan_hon_nhan", "trich_luc_ho_tich", "can_cuoc",
    "thuong_tru", "tam_tru", "chung_thuc_ban_sao", "chung_thuc_chu_ky", "ly_lich_tu_phap",
    "giay_phep_xay_dung", "so_do", "ho_kinh_doanh", "thanh_lap_doanh_nghiep",
    "giay_phep_lai_xe", "dang_ky_xe", "ho_chieu", "tro_cap_that_nghiep", "bao_hiem_y_te",
}  # fmt: skip


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "procedures"
    shutil.copytree(KB_DIR, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_shipped_knowledge_base_is_valid_and_complete() -> None:
    kb = load_knowledge_base(KB_DIR)
    assert set(kb.ids()) >= CONTRACT_IDS
    for p in kb:
        assert p.path is not None and p.path.stem == p.id
        assert 8 <= len(p.aliases) <= 40
        assert p.source_url.startswith("https://")
        assert p.sources and p.legal_basis and p.documents and p.steps
        # No diacritics-only duplicate is missing: citizens type both ways.
        assert any(a == fold(a) for a in p.aliases), p.id
        assert any(a != fold(a) for a in p.aliases), p.id


def test_aliases_never_name_two_procedures() -> None:
    kb = load_knowledge_base(KB_DIR)
    owner: dict[str, str] = {}
    for p in kb:
        for alias in p.aliases:
            key = fold(alias)
            assert owner.setdefault(key, p.id) == p.id, f"{alias!r}: {owner[key]} and {p.id}"


def test_validate_command_accepts_the_shipped_files(capsys) -> None:
    assert validate_main([str(KB_DIR)]) == 0
    assert capsys.readouterr().out.startswith("OK: ")


def test_entries_checked_long_ago_are_listed_for_review(kb_copy: Path, capsys) -> None:
    _edit(kb_copy / "ho_chieu.yml", lambda d: d.update(verified_on="2026-06-01"))
    _edit(kb_copy / "so_do.yml", lambda d: d.update(verified_on="2026-05-02"))
    procedures = list(load_knowledge_base(kb_copy))
    due, problems = review(procedures, today=dt.date(2026, 12, 4), after_days=180)
    assert problems == []
    assert [(d.id, d.age_days) for d in due] == [("so_do", 216), ("ho_chieu", 186)]
    # A notice, not a failure: the files are valid, and the editors see what to check.
    assert validate_main([str(kb_copy)], today=dt.date(2026, 12, 4)) == 0
    out = capsys.readouterr().out
    assert "so_do: checked on 2026-05-02, 216 days ago" in out
    assert "khai_sinh" not in out
    assert validate_main([str(kb_copy), "--review-after", "30"], today=dt.date(2026, 12, 4)) == 0
    assert "khai_sinh: checked on 2026-09-30, 65 days ago" in capsys.readouterr().out


def test_a_check_dated_after_today_is_a_problem(kb_copy: Path, capsys) -> None:
    _edit(kb_copy / "khai_tu.yml", lambda d: d.update(verified_on="2026-12-12"))
    _edit(kb_copy / "ket_hon.yml", lambda d: d.update(verified_on="2026-12-05"))
    procedures = list(load_knowledge_base(kb_copy))
    _, problems = review(procedures, today=dt.date(2026, 12, 4), after_days=180)
    # A day ahead is a clock in Vietnam ahead of a server on UTC, not a typo.
    assert [str(p) for p in problems] == [
        "khai_tu.yml: verified_on: 2026-12-12 is after today (2026-12-04)"
    ]
    assert validate_main([str(kb_copy)], today=dt.date(2026, 12, 4)) == 1
    assert "khai_tu.yml: verified_on:" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("file", "change", "field", "words"),
    [
        ("khai_sinh.yml", lambda d: d.pop("processing_time"), "processing_time", "missing"),
        ("ket_hon.yml", lambda d: d.update(source_url="thuvienphapluat.vn"), "source_url", "URL"),
        ("ho_chieu.yml", lambda d: d["online"].update(available="có"), "online.available", "boolean"),
        ("can_cuoc.yml", lambda d: d.update(aliases=d["aliases"][:3]), "aliases", "at least 8"),
        ("tam_tru.yml", lambda d: d["fee"].pop("text"), "fee.text", "missing"),
        ("so_do.yml", lambda d: d.update(lephi="0đ"), "lephi", "not a known field"),
        ("khai_tu.yml", lambda d: d.update(id="khai_tu_2"), "id", "file name"),
        ("ly_lich_tu_phap.yml", lambda d: d.update(verified_on="30/9/2026"), "verified_on", "match"),
        ("trich_luc_ho_tich.yml", lambda d: d.update(verified_on="2026-02-30"), "verified_on", "no such day"),
        ("dang_ky_xe.yml", lambda d: d["uncertain"].append({"field": "gia", "note": "x"}), "uncertain[4].field", "is not one of"),
        ("bao_hiem_y_te.yml", lambda d: d["online"].update(link=None), "online.link", "None"),
        ("ho_kinh_doanh.yml", lambda d: d.update(documents=[]), "documents", "at least 1"),
        ("ket_hon.yml", lambda d: d.update(who_goes=" "), "who_goes", "match"),
        ("khai_sinh.yml", lambda d: d.update(situations="mới sinh"), "situations", "not of type 'array'"),
        ("so_do.yml", lambda d: d["uncertain"].append({"field": "who", "note": "x"}), "uncertain[4].field", "is not one of"),
    ],
)  # fmt: skip
def test_a_broken_file_fails_with_file_field_and_cause(
    kb_copy: Path, file: str, change, field: str, words: str, capsys
) -> None:
    _edit(kb_copy / file, change)
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(kb_copy)
    problems = [p for p in info.value.problems if p.file == file]
    assert problems, info.value
    assert any(p.field == field and words in p.message for p in problems), [
        str(p) for p in problems
    ]
    assert validate_main([str(kb_copy)]) == 1
    err = capsys.readouterr().err
    assert f"{file}: {field}:" in err


def test_invalid_yaml_names_the_file_and_line(kb_copy: Path, capsys) -> None:
    path = kb_copy / "khai_sinh.yml"
    path.write_text(path.read_text(encoding="utf-8") + "fee: [chưa đóng ngoặc\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as info:
        load_procedure_file(path)
    (problem,) = info.value.problems
    assert problem.file == "khai_sinh.yml"
    assert problem.field.startswith("line ")
    assert "invalid YAML" in problem.message
    assert validate_main([str(kb_copy)]) == 1


def test_an_alias_shared_by_two_procedures_is_rejected(kb_copy: Path) -> None:
    _edit(kb_copy / "tam_tru.yml", lambda d: d["aliases"].append("Khai Sinh"))
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(kb_copy)
    messages = [str(p) for p in info.value.problems]
    assert any("'khai sinh'" in m and "aliases" in m for m in messages), messages


def test_an_ambiguous_alias_must_be_ambiguous_somewhere_else_too(kb_copy: Path) -> None:
    _edit(kb_copy / "ho_chieu.yml", lambda d: d.update(ambiguous_aliases=["giấy tờ đi nước ngoài"]))
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(kb_copy)
    (problem,) = info.value.problems
    assert (problem.file, problem.field) == ("ho_chieu.yml", "ambiguous_aliases")


@pytest.mark.parametrize(
    ("phrase", "cause"),
    [
        ("hộ chiếu", "is an alias"),  # an alias of ho_chieu: both at once makes no sense
        ("xuất khẩu lao động", "contains none of this procedure's aliases"),
    ],
)
def test_a_not_alias_must_hold_an_alias_of_its_procedure(
    kb_copy: Path, phrase: str, cause: str
) -> None:
    _edit(kb_copy / "thuong_tru.yml", lambda d: d["not_aliases"].append(phrase))
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(kb_copy)
    (problem,) = info.value.problems
    assert (problem.file, problem.field) == ("thuong_tru.yml", "not_aliases")
    assert cause in problem.message


def test_an_unquoted_date_is_accepted(kb_copy: Path) -> None:
    path = kb_copy / "khai_sinh.yml"
    text = path.read_text(encoding="utf-8").replace(
        'verified_on: "2026-09-30"', "verified_on: 2026-09-30"
    )
    path.write_text(text, encoding="utf-8")
    assert load_procedure_file(path).verified_on == "2026-09-30"


def test_an_empty_directory_is_a_problem(tmp_path: Path) -> None:
    assert validate_main([str(tmp_path)]) == 1
