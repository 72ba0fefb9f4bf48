"""What the bot says about personal data (``actions.privacy_notes``): a question about it,
and an ID number sent to look a dossier up."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

import actions.dossier as ad
from actions.fallback import ActionFallback
from actions.privacy_notes import MSG_ID_NOT_NEEDED, MSG_PRIVACY, asks_about_personal_data
from bot.kb.unanswered import unanswered_key
from bot.privacy import has_id_number
from tests.labelled import labelled_examples
from tests.project import DOMAIN
from tests.trackers import parsed_message, tracker_after


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        # Batch 22, and what else is asked so.
        ("bot có lưu số căn cước tôi vừa gửi không đấy", True),
        ("thông tin của tôi có được bảo mật không", True),
        ("gửi sđt cho bot có bị lộ ko", True),
        ("bot có chia sẻ thông tin cho công an ko", True),  # batch 41
        ("lưu số điện thoại của cán bộ phường", False),  # no question
        ("lệ phí làm căn cước bao nhiêu", False),
    ],
)
def test_asks_about_personal_data(text: str, asks: bool) -> None:
    assert asks_about_personal_data(text) is asks


def test_no_labelled_example_asks_about_personal_data() -> None:
    assert [t for _, t in labelled_examples() if asks_about_personal_data(t)] == []


def test_an_id_number_is_not_a_phone_number_or_a_code() -> None:
    assert has_id_number("số CCCD của tôi là 022185004567")
    assert has_id_number("cmnd 123456789")
    assert not has_id_number("sdt 0912345678")
    assert not has_id_number("000.00.12.H49-251002-0015")


async def test_the_fallback_answers_a_question_on_personal_data(settings, redis_client) -> None:
    action = ActionFallback(redis=redis_client, settings=settings)
    message = parsed_message(
        "bot có lưu số căn cước tôi vừa gửi không đấy",
        [("ask_procedure", 0.21)],
        intent=("nlu_fallback", 0.45),
        entities=[{"entity": "procedure", "value": "can_cuoc"}],
    )
    dispatcher = CollectingDispatcher()
    assert await action.run(dispatcher, tracker_after(message, []), DOMAIN) == []
    assert [m["text"] for m in dispatcher.messages] == [MSG_PRIVACY]
    assert await redis_client.llen(unanswered_key(settings.redis.key_prefix)) == 0


async def test_the_dossier_form_answers_it_too_and_says_ids_are_not_needed() -> None:
    """ "thông tin của tôi có được bảo mật không" reads as subscribe_dossier 0.60; "số CCCD
    của tôi là 0221…" as a status question: the form then asks for the code."""
    start = ad.ActionStartDossierForm()
    asked = parsed_message("thông tin của tôi có được bảo mật không", [("subscribe_dossier", 0.6)])
    dispatcher = CollectingDispatcher()
    events: list[Any] = await start.run(dispatcher, tracker_after(asked, []), DOMAIN)
    assert [m["text"] for m in dispatcher.messages] == [MSG_PRIVACY]
    assert events == [{"event": "followup", "timestamp": None, "name": "action_listen"}]

    text = "Tôi muốn kiểm tra hồ sơ cấp lại căn cước, số CCCD của tôi là 022185004567"
    status = parsed_message(text, [("check_dossier_status", 1.0)])
    dispatcher = CollectingDispatcher()
    events = await start.run(dispatcher, tracker_after(status, []), DOMAIN)
    assert [m["text"] for m in dispatcher.messages] == [MSG_ID_NOT_NEEDED]
    assert "022185004567" not in MSG_ID_NOT_NEEDED
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["dossier_purpose"] == "status" and slots["dossier_code"] is None
