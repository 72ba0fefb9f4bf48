"""A procedure answered earlier, named again by part of its name (``actions.partial_names``)."""

from __future__ import annotations

import pytest

from actions.partial_names import goes_back_to, named_by_its_opening, procedure_named_partly
from bot.kb import compose_answer
from tests.project import KB


def _answered(*procedures: str) -> list[list[str]]:
    """The bot's recent turns (most recent first), each the overview of one procedure."""
    return [[compose_answer(KB.procedures[p], "ask_procedure")] for p in procedures]


def test_going_back_by_part_of_an_alias() -> None:
    recent = _answered("trich_luc_ho_tich", "khai_tu", "so_do")
    text = "còn sang tên thì thời gian bao lâu ạ"
    assert procedure_named_partly(KB, text, recent, current="trich_luc_ho_tich") == "so_do"


@pytest.mark.parametrize(
    ("text", "recent", "current", "why"),
    [
        ("sang tên thì bao lâu", ("khai_tu", "so_do"), "khai_tu", "no going back ('còn')"),
        ("còn sang tên thì sao", ("dang_ky_xe", "so_do"), "khai_tu", "two answered hold it"),
        ("còn sang tên thì sao", ("khai_tu", "dang_ky_xe"), "so_do", "the one discussed holds it"),
        ("còn đăng ký thì mất bao lâu", ("khai_tu", "khai_sinh"), "tam_tru", "too common"),
        ("còn sang tên thì sao", ("khai_tu",), "khai_tu", "none answered holds it"),
    ],
)
def test_no_procedure_named_partly(
    text: str, recent: tuple[str, ...], current: str, why: str
) -> None:
    assert procedure_named_partly(KB, text, _answered(*recent), current=current) is None, why


def test_going_back_and_nothing_more_is_a_follow_up() -> None:
    """Batch 39: "còn lý lịch" (out of scope) after lý lịch tư pháp, then xác nhận độc
    thân, got "out of scope"."""
    recent = _answered("xac_nhan_hon_nhan", "ly_lich_tu_phap")
    assert goes_back_to(KB, "còn lý lịch", recent, current="xac_nhan_hon_nhan")
    assert not goes_back_to(KB, "lý lịch", recent, current="xac_nhan_hon_nhan")  # no "còn"
    long = "còn lý lịch thì con tôi đang ở nước ngoài có xin được không"
    assert not goes_back_to(KB, long, recent, current="xac_nhan_hon_nhan")  # asks more


def test_right_after_a_joint_answer_no_going_back_is_needed() -> None:
    """Batch 39: "đổi bằng mất bn lâu" right after đăng ký xe and GPLX were answered
    together got đăng ký xe's time."""
    joint = [
        [
            compose_answer(KB.procedures["dang_ky_xe"], "ask_online"),
            compose_answer(KB.procedures["giay_phep_lai_xe"], "ask_online"),
        ]
    ]
    text = "đổi bằng mất bn lâu"
    assert procedure_named_partly(KB, text, joint, current="dang_ky_xe") == "giay_phep_lai_xe"
    # After one procedure's answer, "còn" is still needed.
    one = _answered("giay_phep_lai_xe")
    assert procedure_named_partly(KB, text, one, current="dang_ky_xe") is None


def test_a_paper_pointed_at_by_the_opening_of_its_name() -> None:
    """Batch 70: "Giấy xác nhận đó mất mấy ngày, có mất tiền không" after kết hôn's
    documents (which list it) got kết hôn's time and fee."""
    text = "Giấy xác nhận đó mất mấy ngày , có mất tiền không"
    assert named_by_its_opening(KB, text) == "xac_nhan_hon_nhan"
    # The opening of several procedures' names, or no pointing word: none.
    assert named_by_its_opening(KB, "giay phep do nop o dau") is None
    assert named_by_its_opening(KB, "giấy xác nhận mất mấy ngày") is None
