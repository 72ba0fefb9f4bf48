"""The bot's turn before the latest message, read from Rasa's event log (``actions.history``)."""

from __future__ import annotations

from typing import Any

import pytest

from actions.history import (
    payload_procedure,
    replied_to_latest_message,
    slot_before_latest_message,
    turn_before_latest_message,
)
from actions.planning import button_payload


def _answer_turn(
    procedure: str | None, buttons: list[dict[str, str]] | None = None
) -> list[dict[str, Any]]:
    """Rasa's events for "làm căn cước cần gì" answered (or asked "which one?")."""
    return [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "làm căn cước cần gì"},
        {"event": "slot", "name": "procedure", "value": "can_cuoc"},
        {"event": "action", "name": "action_answer_procedure"},
        {"event": "bot", "text": "…", "data": {"buttons": buttons or []}},
        {"event": "slot", "name": "procedure", "value": procedure},
        {"event": "slot", "name": "last_aspect", "value": "ask_documents"},
        {"event": "action", "name": "action_listen"},
    ]


def test_the_turn_before_the_latest_message() -> None:
    events = [*_answer_turn("can_cuoc"), {"event": "user", "text": "cấp ở đâu"}]
    turn = turn_before_latest_message(events)
    assert turn.action == "action_answer_procedure"
    assert turn.slots == {"procedure": "can_cuoc", "last_aspect": "ask_documents"}
    assert turn_before_latest_message(events).answered == "can_cuoc"
    assert not turn_before_latest_message(events).asked_which_one

    asked = [*_answer_turn(None), {"event": "user", "text": "căn cước"}]
    assert turn_before_latest_message(asked).answered is None
    assert turn_before_latest_message(asked).asked_which_one

    # Another turn in between: the answer is no longer just before.
    later = [
        *_answer_turn("can_cuoc"),
        {"event": "user", "text": "cảm ơn"},
        {"event": "action", "name": "utter_thank"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "cấp ở đâu"},
    ]
    assert turn_before_latest_message(later).action == "utter_thank"
    assert turn_before_latest_message(later).answered is None
    assert turn_before_latest_message([{"event": "user", "text": "chào"}]).action is None

    # A misread follow-up answered by the out-of-scope action is an answer too.
    rescued = [
        *_answer_turn("can_cuoc"),
        {"event": "user", "text": "e đang ở Vân Đồn"},
        {"event": "action", "name": "action_out_of_scope"},
        {"event": "slot", "name": "procedure", "value": "can_cuoc"},
        {"event": "slot", "name": "last_aspect", "value": "ask_location"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "nha em o Ha Long"},
    ]
    assert turn_before_latest_message(rescued).answered == "can_cuoc"
    # The same action saying it is out of scope set no slot: no answer.
    missed = [*rescued[:-4], {"event": "action", "name": "action_listen"}, rescued[-1]]
    assert turn_before_latest_message(missed).action == "action_out_of_scope"
    assert turn_before_latest_message(missed).answered is None


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (button_payload("ask_fee", "khai_sinh"), "khai_sinh"),
        ('/ask_fee{"procedure": "ho_chieu"}', "ho_chieu"),
        ("/affirm", None),
        ("/ask_fee{not json", None),
        ('/ask_fee["khai_sinh"]', None),
        ('/ask_fee{"procedure": 3}', None),
        ("https://dichvucong.gov.vn", None),
    ],
)
def test_payload_procedure(payload: str, expected: str | None) -> None:
    assert payload_procedure(payload) == expected


def test_the_procedures_offered_by_which_one_just_before() -> None:
    buttons = [
        {"title": "Chứng thực bản sao", "payload": button_payload("ask_fee", "chung_thuc_ban_sao")},
        {"title": "Chứng thực chữ ký", "payload": button_payload("ask_fee", "chung_thuc_chu_ky")},
        {"title": "Cổng dịch vụ công", "payload": "https://dichvucong.gov.vn"},
    ]
    asked = [*_answer_turn(None, buttons), {"event": "user", "text": "mất bao lâu"}]
    assert turn_before_latest_message(asked).offered == ["chung_thuc_ban_sao", "chung_thuc_chu_ky"]
    # An answer's buttons are no "which one?".
    answered = [*_answer_turn("can_cuoc", buttons), {"event": "user", "text": "mất bao lâu"}]
    assert turn_before_latest_message(answered).offered == []
    assert turn_before_latest_message([{"event": "user", "text": "mất bao lâu"}]).offered == []


def test_the_slot_before_the_latest_message() -> None:
    events = [
        *_answer_turn("ho_chieu"),
        {"event": "user", "text": "có cần mang căn cước không"},
        # Rasa fills the slot from the message's entity before the action runs.
        {"event": "slot", "name": "procedure", "value": "can_cuoc"},
    ]
    assert slot_before_latest_message(events, "procedure") == "ho_chieu"
    assert slot_before_latest_message(events, "last_aspect") == "ask_documents"
    assert slot_before_latest_message(events, "dossier_code") is None
    # A restart or a new session forgets what came before it.
    for forgetting in ("restart", "session_started"):
        restarted = [
            *_answer_turn("ho_chieu"),
            {"event": forgetting},
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": "có cần mang căn cước không"},
        ]
        assert slot_before_latest_message(restarted, "procedure") is None


def test_whether_the_bot_replied_to_the_latest_message() -> None:
    events = _answer_turn("can_cuoc")
    assert replied_to_latest_message(events[:-1])
    assert not replied_to_latest_message([*events, {"event": "user", "text": "phí?"}])
    assert not replied_to_latest_message([])


def test_the_forms_answer_is_the_turn_when_its_submit_said_nothing() -> None:
    """Batch 53: a question asked instead of a code was answered by the form, which then
    stopped; its submit said nothing, and the next message is a follow-up of that answer."""
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "the giay to van nhu binh thuong a"},
        {"event": "action", "name": "dossier_form"},
        {"event": "bot", "text": "Tôi chưa có thông tin về việc này …"},
        {"event": "slot", "name": "procedure", "value": "khai_sinh"},
        {"event": "slot", "name": "last_aspect", "value": "ask_procedure"},
        {"event": "slot", "name": "requested_slot", "value": None},
        {"event": "active_loop", "name": None},
        {"event": "action", "name": "action_dossier_form_submit"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "e lo lam mat giay chung sinh cua vien roi"},
    ]
    turn = turn_before_latest_message(events)
    assert turn.action == "dossier_form" and turn.answered == "khai_sinh"
    # A submit that replied (a status answer) is the turn itself.
    replied = [*events[:8], {"event": "bot", "text": "Hồ sơ …"}, *events[8:]]
    assert turn_before_latest_message(replied).action == "action_dossier_form_submit"
