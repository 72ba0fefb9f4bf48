"""Answers for every procedure × aspect: phone-sized, sourced, honest about uncertainty."""

from __future__ import annotations

import pytest

from bot.kb import (
    ASPECTS,
    closest_procedures,
    compose_answer,
    confident_match,
    load_knowledge_base,
)
from bot.kb import resolve_procedure as resolve
from bot.kb.answers import (
    CHECK_WITH_DESK,
    MAX_CHARS,
    MORE_DOCUMENTS,
    clarification_question,
    document_pages,
)
from bot.kb.matching import _window_ratio, edits_into
from bot.settings import PROJECT_ROOT

KB = load_knowledge_base(PROJECT_ROOT / "nlu_data" / "procedures")
ASPECT_FIELDS = {
    "ask_procedure": ("summary", "level", "agency", "steps"),
    "ask_documents": ("documents",),
    "ask_fee": ("fee",),
    "ask_duration": ("processing_time",),
    "ask_location": ("where", "agency", "level"),
    "ask_online": ("online",),
}
CASES = [(pid, aspect) for pid in KB.ids() for aspect in ASPECTS]


@pytest.mark.parametrize(("pid", "aspect"), CASES)
def test_every_answer_is_short_sourced_and_flags_uncertainty(pid: str, aspect: str) -> None:
    p = KB.get(pid)
    text = compose_answer(p, aspect)
    assert len(text) <= MAX_CHARS, len(text)
    last = text.splitlines()[-1]
    year, month, day = p.verified_on.split("-")
    checked = f"(kiểm tra ngày {day}/{month}/{year})"
    assert last == f"Nguồn: {p.source_for(*ASPECT_FIELDS[aspect][:1])} {checked}"
    assert last.startswith("Nguồn: https://")
    assert (CHECK_WITH_DESK in text) == p.is_uncertain(*ASPECT_FIELDS[aspect])
    assert "vui lòng kiểm tra lại với bộ phận một cửa" in CHECK_WITH_DESK
    assert "None" not in text and "\n\n" not in text


@pytest.mark.parametrize("pid", KB.ids())
def test_online_answers_carry_the_link(pid: str) -> None:
    p = KB.get(pid)
    text = compose_answer(p, "ask_online")
    if p.online.available:
        assert f"Nộp trực tuyến: {p.online.link}" in text
        assert "có thể làm trực tuyến" in text
    else:
        assert "chưa làm trực tuyến được" in text


def test_the_facts_citizens_ask_for_are_in_the_answers() -> None:
    ks = KB.get("khai_sinh")
    assert "Giấy chứng sinh" in compose_answer(ks, "ask_documents")
    assert "Miễn lệ phí" in compose_answer(ks, "ask_fee")
    assert "60 ngày" in compose_answer(ks, "ask_fee")
    assert "cấp xã" in compose_answer(ks, "ask_location")
    assert "ngay" in compose_answer(ks, "ask_duration")
    assert "07 ngày làm việc" in compose_answer(KB.get("can_cuoc"), "ask_duration")
    assert "20.000 đ" in compose_answer(KB.get("thuong_tru"), "ask_fee")
    assert "200.000 đ" in compose_answer(KB.get("ly_lich_tu_phap"), "ask_fee")
    assert "10.000 đ" in compose_answer(KB.get("chung_thuc_chu_ky"), "ask_fee")
    assert "08 ngày làm việc" in compose_answer(KB.get("ho_chieu"), "ask_duration")


def test_a_long_document_list_is_cut_with_how_to_see_the_rest_and_keeps_the_source() -> None:
    ks = KB.get("khai_sinh")
    text = compose_answer(ks, "ask_documents")
    assert text.startswith("Hồ sơ Đăng ký khai sinh gồm:\n• ")
    # Five documents do not all fit beside the source link.
    assert f"\n{MORE_DOCUMENTS.format(n=2)}\n" in text
    assert text.endswith(f"Nguồn: {ks.source_url} (kiểm tra ngày 30/09/2026)")


@pytest.mark.parametrize("procedure", KB.ids())
def test_the_document_pages_show_every_paper_once_in_order_each_on_a_screen(
    procedure: str,
) -> None:
    p = KB.get(procedure)
    pages = document_pages(p)
    assert pages[0] == compose_answer(p, "ask_documents")
    shown = [line[2:] for page in pages for line in page.splitlines() if line.startswith("• ")]
    assert shown == list(p.documents)
    for i, page in enumerate(pages):
        assert len(page) <= MAX_CHARS
        assert page.splitlines()[-1].startswith(f"Nguồn: {p.source_for('documents')}")
        left = len(p.documents) - sum(pg.count("\n• ") for pg in pages[: i + 1])
        assert (MORE_DOCUMENTS.format(n=left) in page) is (i < len(pages) - 1)


def test_unknown_fee_is_not_invented() -> None:
    text = compose_answer(KB.get("thanh_lap_doanh_nghiep"), "ask_fee")
    assert "chưa được xác minh" in text and CHECK_WITH_DESK in text
    assert "50.000" not in text


def test_clarification_question_names_the_aspect() -> None:
    assert "lệ phí" in clarification_question("ask_fee", has_candidates=True)
    assert "khai sinh" in clarification_question("ask_fee", has_candidates=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lam giay khai sinh can gi", "khai_sinh"),
        ("làm căn cước mất bao lâu", "can_cuoc"),
        ("trich luc khai sinh", "trich_luc_ho_tich"),
        ("ho chiu", "ho_chieu"),
        ("khai sin cho con", "khai_sinh"),  # typo: difflib
        ("mat bang lai xe may", "giay_phep_lai_xe"),
        ("đóng bhyt cho cả nhà", "bao_hiem_y_te"),
    ],
)
def test_closest_procedure_for_free_text(text: str, expected: str) -> None:
    assert closest_procedures(KB, text)[0].procedure.id == expected


def test_a_not_alias_hides_the_alias_inside_it_but_not_the_other_words() -> None:
    assert getattr(confident_match(KB, "nhập khẩu cho con"), "id", None) == "thuong_tru"
    assert confident_match(KB, "thủ tục xuất nhập khẩu ở Móng Cái") is None
    assert closest_procedures(KB, "thủ tục xuất nhập khẩu ở Móng Cái") == []
    # "xe" still counts: the closest procedure of "xe nhập khẩu đăng ký" is vehicles.
    assert closest_procedures(KB, "xe nhập khẩu đăng ký ở đâu")[0].procedure.id == "dang_ky_xe"


def test_closest_procedures_offer_both_sides_of_an_ambiguity() -> None:
    ids = {m.procedure.id for m in closest_procedures(KB, "đăng ký kinh doanh")}
    assert ids == {"ho_kinh_doanh", "thanh_lap_doanh_nghiep"}
    assert closest_procedures(KB, "con le phi") == []


def test_an_alias_inside_a_word_typed_without_spaces_is_offered_not_taken() -> None:
    (match,) = closest_procedures(KB, "lamcancuocmatbaonhieutien")
    assert match.procedure.id == "can_cuoc" and match.score < 1.0
    assert confident_match(KB, "lamcancuocmatbaonhieutien") is None
    ids = [m.procedure.id for m in closest_procedures(KB, "chauoibacmuonlamhochieuthilamsao")]
    assert ids[0] == "ho_chieu"
    assert closest_procedures(KB, "hosocuatoidendauroi") == []  # names no procedure


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cancoucmatbaolau", ["can_cuoc"]),  # two letters swapped
        ("lamgiayphepaixe", ["giay_phep_lai_xe"]),  # a letter dropped
        ("xin giaykhaisinhh", ["khai_sinh"]),  # a letter added
        # A run with a name inside as typed offers that name, not its near misses.
        ("dangkythuongtruchocon", ["thuong_tru"]),
    ],
)
def test_a_name_with_a_typo_inside_a_word_typed_without_spaces_is_offered(
    text: str, expected: list[str]
) -> None:
    matches = closest_procedures(KB, text)
    assert [m.procedure.id for m in matches] == expected
    assert confident_match(KB, text) is None


def test_a_typo_counts_from_the_similarity_floor_and_not_below() -> None:
    tokens = ["lam", "giay", "khai", "snh", "o", "dau"]
    # "khai snh" is "khai sinh" with a letter dropped: similarity 16/17.
    assert _window_ratio(tokens, "khai sinh") == pytest.approx(16 / 17)
    assert _window_ratio(tokens, "khai sinh", floor=0.95) == 0.0
    assert _window_ratio(tokens, "ho chieu") == 0.0  # far below: skipped by the bounds
    assert closest_procedures(KB, "lam giay khai snh o dau")[0].procedure.id == "khai_sinh"


def test_edits_into_finds_a_name_anywhere_in_a_run() -> None:
    assert edits_into("cancuoc", "lamcancuocmat") == 0
    assert edits_into("cancuoc", "lamcancoucmat") == 1  # swap
    assert edits_into("cancuoc", "lamcancuomat") == 1  # drop
    assert edits_into("cancuoc", "lamcanxuocmat") == 1  # change
    assert edits_into("cancuoc", "lamcancuoocmat") == 1  # add
    assert edits_into("cancuoc", "lamcnacoucmat") == 2
    # A six-letter name swapped in its middle still passes the head-or-tail filter.
    assert [m.procedure.id for m in closest_procedures(KB, "xinkehtonnhe")] == ["ket_hon"]


def test_resolve_entity_values() -> None:
    assert [p.id for p in resolve(KB, "khai_sinh")] == ["khai_sinh"]
    assert [p.id for p in resolve(KB, "Sổ Đỏ")] == ["so_do"]
    assert {p.id for p in resolve(KB, "công chứng")} == {"chung_thuc_ban_sao", "chung_thuc_chu_ky"}
    assert resolve(KB, "visa du lịch") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Batch 14: "the landlord told me to do it myself" is no death notice ("báo tử").
        ("chủ trọ bảo tự làm, lm trên mạng đc ko", []),
        ("giấy báo tử ở đâu", ["khai_tu"]),
        ("giay bao tu", ["khai_tu"]),  # typed without marks: may be
        ("hô chiếu", ["ho_chieu"]),  # a mark left out still fits
        ("đang ký khai sinh", ["khai_sinh"]),  # "đang" is "đăng" with the breve left out
        ("đăng kí kết hôn", ["ket_hon"]),  # "kí" and "ký" are one word
        ("số đỏ", ["so_do"]),  # one word that fits is enough: a slip of one tone
    ],
)
def test_words_typed_with_marks_the_alias_lacks_are_not_the_alias(
    text: str, expected: list[str]
) -> None:
    whole = [m.procedure.id for m in closest_procedures(KB, text) if m.score == 1.0]
    assert whole == expected
