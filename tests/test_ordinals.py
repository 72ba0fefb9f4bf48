"""Pointing at one of the procedures answered together (``actions.ordinals``) and the
bot's recent texts it reads them from (``actions.history.recent_bot_texts``)."""

from __future__ import annotations

import pytest

from actions.history import recent_bot_texts
from actions.ordinals import (
    OTHER,
    offered_referred,
    place_referred,
    procedure_referred,
    without_place,
)
from bot.kb import compose_answer
from tests.project import KB


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("cái sau lệ phí bao nhiêu", -1),
        ("con cai dau thi sao", 0),
        ("cái thứ 2 nộp ở đâu", 1),
        ("thủ tục thứ hai mất bao lâu", 1),
        ("còn cái kia nộp online đc ko", OTHER),
        ("vay cai con lai can gi", OTHER),
        ("cái này nộp ở đâu", None),
        ("sau đó làm gì", None),
    ],
)
def test_place_referred(text: str, place: int | None) -> None:
    assert place_referred(text) == place


def test_without_place_leaves_the_rest_of_the_question() -> None:
    assert without_place("còn cái đầu thì sao") == "con thi sao"


def test_the_procedure_is_taken_from_the_last_turn_that_answered_several() -> None:
    both = [compose_answer(KB.get(p), "ask_fee") for p in ("ket_hon", "xac_nhan_hon_nhan")]
    one = [compose_answer(KB.get("xac_nhan_hon_nhan"), "ask_fee")]

    def referred(text: str, recent: list[list[str]], current: str = "ket_hon") -> str | None:
        return procedure_referred(KB, text, recent, current=current)

    assert referred("cái sau thì sao", [both]) == "xac_nhan_hon_nhan"
    assert referred("còn cái đầu", [one, both]) == "ket_hon"
    assert referred("cái thứ ba", [both]) is None
    assert referred("cái đầu", [one]) is None
    assert referred("lệ phí bao nhiêu", [both]) is None
    # "cái kia", "cái còn lại": the one not discussed now.
    assert referred("cái kia thì sao", [both], current="xac_nhan_hon_nhan") == "ket_hon"
    assert referred("cái còn lại cần gì", [both], current="ket_hon") == "xac_nhan_hon_nhan"
    # With no turn answering several, "thủ tục kia" is the latest answered before the
    # current one (khai sinh's documents, then tạm trú's overview).
    births = [compose_answer(KB.get("khai_sinh"), "ask_documents")]
    stay = [compose_answer(KB.get("tam_tru"), "ask_procedure")]
    asked = "thu tuc kia thi vo e di lam thay e dc ko"
    assert referred(asked, [stay, births], current="tam_tru") == "khai_sinh"
    assert referred(asked, [stay], current="tam_tru") is None
    # "cái đầu tiên" after answers one at a time: the earliest of them (batch 12).
    assert referred("quay lai cai dau tien, lam online dc ko", [stay, births]) == "khai_sinh"
    assert referred("cái sau", [stay, births], current="tam_tru") is None


def test_recent_bot_texts_per_turn_most_recent_first() -> None:
    events = [
        {"event": "session_started"},
        {"event": "user", "text": "a"},
        {"event": "bot", "text": "A1"},
        {"event": "bot", "text": "A2"},
        {"event": "user", "text": "b"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "c"},
        {"event": "bot", "text": "C1"},
        {"event": "user", "text": "d"},
    ]
    assert recent_bot_texts(events, turns=3) == [["C1"], ["A1", "A2"]]
    assert recent_bot_texts(events, turns=1) == [["C1"]]
    # Nothing before a new session counts.
    assert recent_bot_texts([*events[:4], {"event": "session_started"}, *events[4:]], turns=3) == [
        ["C1"]
    ]


def test_a_place_among_the_procedures_offered() -> None:
    """Batch 24: "cái đầu làm ở đâu" right after "which one?" offered hộ chiếu and lý lịch
    tư pháp asked again which one."""
    offered = ["ho_chieu", "ly_lich_tu_phap"]
    assert offered_referred("cái đầu làm ở đâu", offered) == "ho_chieu"
    assert offered_referred("cai thu 2 mat bao lau", offered) == "ly_lich_tu_phap"
    assert offered_referred("cái sau thì sao", offered) == "ly_lich_tu_phap"
    assert offered_referred("cái kia", offered) is None  # no procedure discussed to be other than
    # "còn cái kia mất bao lâu" once hộ chiếu was answered: the other one offered.
    assert offered_referred("còn cái kia mất bao lâu", offered, current="ho_chieu") == (
        "ly_lich_tu_phap"
    )
    assert offered_referred("cái kia", offered, current="khai_sinh") is None
    assert offered_referred("cái thứ 3", offered) is None
    assert offered_referred("làm ở đâu", offered) is None
    assert offered_referred("cái đầu", []) is None
