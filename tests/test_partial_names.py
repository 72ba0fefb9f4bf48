"""A procedure answered earlier, named again by part of its name (``actions.partial_names``)."""

from __future__ import annotations

import pytest

from actions.partial_names import procedure_named_partly
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
