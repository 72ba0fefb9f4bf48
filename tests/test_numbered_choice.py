"""A button picked by its number right after buttons (``actions.numbered_choice``)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionOutOfScope
from actions.numbered_choice import button_named, button_picked, payload_intent
from actions.planning import aspect_buttons
from actions.procedures import BUTTONS_OFFICIAL
from bot.kb import KnowledgeBaseStore, compose_answer
from bot.settings import Settings
from tests.project import DOMAIN, KB_DIR
from tests.trackers import buttons_shown, parsed_message, tracker_after

BUTTONS = [*aspect_buttons("can_cuoc"), *BUTTONS_OFFICIAL]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("2", 2),
        ("số 2", 2),
        ("chọn cái thứ 3 ạ", 3),
        ("muc 1", 1),
        ("thứ hai", 2),
        ("7", 7),  # the official, last of seven
        ("8", None),  # no eighth button
        ("0", None),
        ("ba", None),  # "bà", "bố": a number in words needs a word before it
        ("2 người", None),
        ("lệ phí 2 lần", None),
    ],
)
def test_button_picked(text: str, place: int | None) -> None:
    picked = button_picked(text, BUTTONS)
    assert picked == (BUTTONS[place - 1] if place else None)


def test_a_button_named_by_a_word_no_other_has() -> None:
    """Batch 24: "thường" after "tạm trú or thường trú?" got "ngoài phạm vi"."""
    residence = [
        {"title": "Đăng ký tạm trú, gia hạn tạm trú", "payload": "/ask_procedure{tam}"},
        {"title": "Đăng ký thường trú", "payload": "/ask_procedure{thuong}"},
    ]
    assert button_named("thường", residence) == residence[1]
    assert button_named("cái tạm trú ạ", residence) == residence[0]
    assert button_named("đăng ký", residence) is None  # both have it
    assert button_named("ở lâu dài", residence) is None
    assert button_named("phí", BUTTONS) == BUTTONS[2]  # "Lệ phí"
    assert button_named("nộp", BUTTONS) is None  # "Nơi nộp", "Nộp trực tuyến"
    assert button_named("thường", []) is None


def test_nothing_is_picked_without_buttons() -> None:
    assert button_picked("2", []) is None


def test_payload_intent() -> None:
    assert payload_intent('/ask_fee{"procedure":"khai_sinh"}') == "ask_fee"
    assert payload_intent("/request_human") == "request_human"
    assert payload_intent("hai") is None


SHOWN = buttons_shown(BUTTONS, slots={"procedure": "can_cuoc", "last_aspect": "ask_procedure"})


async def test_a_number_answers_as_its_button(settings: Settings, redis_client: Any) -> None:
    store = KnowledgeBaseStore(directory=KB_DIR)
    action = ActionOutOfScope(redis=redis_client, settings=settings, store=store)
    dispatcher = CollectingDispatcher()
    message = parsed_message("2", [("out_of_scope", 0.9)])
    events = await action.run(dispatcher, tracker_after(message, SHOWN), DOMAIN)
    [answer] = dispatcher.messages
    assert answer["text"] == compose_answer(store.get().get("can_cuoc"), "ask_documents")
    assert {(e["name"], e["value"]) for e in events} == {
        ("procedure", "can_cuoc"),
        ("last_aspect", "ask_documents"),
    }
    # The last button asks for an official.
    last = parsed_message("7", [("out_of_scope", 0.9)])
    events = await action.run(CollectingDispatcher(), tracker_after(last, SHOWN), DOMAIN)
    assert events == [{"event": "followup", "timestamp": None, "name": "action_request_human"}]


async def test_a_correction_by_number_picks_the_other_button(
    settings: Settings, redis_client: Any
) -> None:
    """Batch 24: "2" picked chứng thực chữ ký from "which one?"; "à nhầm, 1 mới đúng" got
    "what more about chữ ký?" instead of the first one."""
    store = KnowledgeBaseStore(directory=KB_DIR)
    action = ActionOutOfScope(redis=redis_client, settings=settings, store=store)
    which = [
        {
            "title": "Chứng thực bản sao",
            "payload": '/ask_procedure{"procedure":"chung_thuc_ban_sao"}',
        },
        {
            "title": "Chứng thực chữ ký",
            "payload": '/ask_procedure{"procedure":"chung_thuc_chu_ky"}',
        },
    ]
    before = [
        *buttons_shown(which, text="cho mình hỏi về thủ tục chứng thực"),
        {"event": "user", "text": "2"},
        {"event": "action", "name": "action_out_of_scope"},
        {"event": "bot", "text": "Chứng thực chữ ký …", "data": {"buttons": []}},
        {"event": "slot", "name": "procedure", "value": "chung_thuc_chu_ky"},
        {"event": "slot", "name": "last_aspect", "value": "ask_procedure"},
        {"event": "action", "name": "action_listen"},
    ]
    dispatcher = CollectingDispatcher()
    message = parsed_message("à nhầm, 1 mới đúng", [("out_of_scope", 0.7)])
    await action.run(dispatcher, tracker_after(message, before), DOMAIN)
    (reply,) = dispatcher.messages
    kb = store.get()
    assert reply["text"] == compose_answer(kb.get("chung_thuc_ban_sao"), "ask_procedure")
