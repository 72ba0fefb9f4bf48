"""A code corrected by its digits right after it was not found (``actions.code_corrections``)."""

from __future__ import annotations

import pytest

from actions.code_corrections import corrected_code
from actions.history import BotTurn

TRIED = "000.00.12.H49-251002-0051"
NOT_FOUND = BotTurn(action="action_dossier_form_submit", slots={"dossier_subscribe_offered": False})


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("0015 chứ k phải 0051", "000.00.12.H49-251002-0015"),
        ("nhầm, số cuối là 0015", "000.00.12.H49-251002-0015"),
        ("à ngày 251012 mới đúng", "000.00.12.H49-251012-0051"),
        # A whole code retyped with a digit too many in its agency part: date and number.
        ("à nhầm, 00000012H49 251012 0015", "000.00.12.H49-251012-0015"),
        ("ngày 251002 số 0015", "000.00.12.H49-251002-0015"),
        ("0051", None),  # the same number again: nothing to correct
        ("12345", None),  # fits neither the number nor the date
        ("000.00.12.H49-251002-0015", None),  # a whole code is read as one
        ("không", None),
    ],
)
def test_corrections(text: str, code: str | None) -> None:
    assert corrected_code(text, NOT_FOUND, [], TRIED) == code


def test_only_right_after_a_status_that_found_nothing() -> None:
    found = BotTurn(action="action_dossier_form_submit", slots={"dossier_code": TRIED})
    answer = BotTurn(action="action_answer_procedure", slots={"last_aspect": "ask_fee"})
    for turn in (found, answer, BotTurn(action=None)):
        assert corrected_code("0015 chứ k phải 0051", turn, [], TRIED) is None
    assert corrected_code("0015 chứ k phải 0051", NOT_FOUND, [], None) is None


def test_the_code_tried_is_the_one_typed_before_else_the_slot() -> None:
    events = [
        {"event": "user", "text": f"tra cứu hồ sơ {TRIED}"},
        {"event": "action", "name": "action_check_dossier_status"},
        {"event": "user", "text": "0015 chứ k phải 0051"},
    ]
    other = "000.00.12.H49-251002-0099"
    assert corrected_code("0015 chứ k phải 0051", NOT_FOUND, events, other) == (
        "000.00.12.H49-251002-0015"
    )
    # Nothing typed before: the code the form kept in the slot.
    assert corrected_code("0015", NOT_FOUND, events[1:], TRIED) == "000.00.12.H49-251002-0015"
