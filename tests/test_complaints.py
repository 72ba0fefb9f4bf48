"""Complaints about the bot (``actions.complaints``): an apology and a button to an
official instead of the list of what the bot can do; the miss is still kept for editors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.affirm import ActionAffirm, ActionDeny, accepts_the_official
from actions.complaints import MSG_GRIEVANCE, is_complaint, is_grievance
from actions.fallback import COMPLAINT, ActionFallback, ActionOutOfScope
from actions.procedures import ActionAnswerProcedure
from bot.kb import KnowledgeBaseStore
from bot.kb.unanswered import unanswered_key
from bot.settings import Settings
from tests.labelled import labelled_examples
from tests.project import DOMAIN, KB_DIR
from tests.trackers import buttons_shown, parsed_message, tracker_after


@pytest.mark.parametrize(
    "text",
    [
        "bot ngu thế, hỏi mãi ko hiểu",
        "trả lời vòng vo quá",
        "hỏi mãi ko hiểu gì, vô dụg",
        "sao m cứ trả lới linh tinh thế",
        "bot j mà toàn trả lời lung tung",
        "thôi chán, gặp cán bộ đi",
        "chuyện đất nhà tôi phức tạp lắm, máy không trả lời được đâu",
        "chan the, hoi gi cung k biet",  # batch 62
        "vl",  # batch 65, after an answer that did not help
        "dm",
        "thế thì ích gì",  # batch 108
        "dm lam an nhu c",  # batch 109
    ],
)
def test_complaints(text: str) -> None:
    assert is_complaint(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("uống cà phê buổi tối có mât ngủ ko", "ngủ"),
        ("đêm rồi bot có ngủ không", "ngủ"),
        ("em trai đi nghĩa vụ về, có cần giấy xuất ngũ ko", "ngũ"),
        ("chán quá nói chuyện với tao đi", "boredom is small talk"),
        ("con trai em vừa nghịch điện thoại gửi lung tung ạ", "not the bot's answers"),
        ("bot do tỉnh tự làm hay thuê công ty", "do, not dở"),
        (
            "con e 7 tuoi ma chua lam giay khai sinh, do hoi do bo chau di lam an xa roi",
            "(dạo) đó hồi đó is a time, not đồ hôi (batch 63)",
        ),
        ("vai ca chuong", "a swear word only when it is the whole message"),
    ],
)
def test_not_complaints(text: str, why: str) -> None:
    assert not is_complaint(text), why


def test_the_apology_offers_an_official_with_a_button_the_rules_answer() -> None:
    (response,) = DOMAIN["responses"][COMPLAINT]
    assert response["text"].startswith("Xin lỗi bạn")
    assert response["buttons"] == [{"title": "Gặp cán bộ", "payload": "/request_human"}]
    assert "request_human" in DOMAIN["intents"]


def test_an_official_treating_people_badly_is_a_grievance() -> None:
    """Batch 66: "can bo dia chinh xa e hanh dan, ho so nop 3 thang chua giai quyet"
    (a status reading) asked for a code."""
    assert is_grievance("can bo dia chinh xa e hanh dan, ho so nop 3 thang chua giai quyet")
    assert not is_grievance("hanh dong nhanh len")
    assert is_grievance("Bức xúc quá. Sáng nay tôi lên bộ phận một cửa phường nộp hồ sơ")


def test_only_complaints_among_the_labelled_out_of_scope_messages() -> None:
    found = [t for i, t in labelled_examples() if i == "out_of_scope" and is_complaint(t)]
    # Each one is someone annoyed with the bot, none a question about something else.
    assert sorted(found) == sorted(
        [
            "bot ngu thế",
            "bot gi ma hoi gi cung ko biet",  # found since batch 62's phrase
            "vô dụng quá, hỏi gì cũng ko bít",
            "ơ kìa hỏi mãi không ai trả lời",
            "đồ bot ngu",
            "trả lời lung tung vậy mà cũng đem ra dùng",
            "dở hơi à",
            "hỏi mãi ko hiểu gì, vô dụg",
            "sao m cứ trả lới linh tinh thế",
            "hỏi mãi không được gì, bực mình",
            "bot vo dung",
        ]
    )


@pytest.mark.parametrize("action_class", [ActionOutOfScope, ActionFallback])
async def test_a_complaint_gets_the_apology_and_is_kept_for_editors(
    action_class: type[ActionFallback], settings: Settings, redis_client: Any
) -> None:
    action = action_class(
        redis=redis_client,
        settings=settings,
        store=KnowledgeBaseStore(directory=KB_DIR),
    )
    message = parsed_message("bot ngu thế, hỏi mãi ko hiểu", [("out_of_scope", 0.99)])
    dispatcher = CollectingDispatcher()
    assert await action.run(dispatcher, tracker_after(message, []), DOMAIN) == []
    assert [m["response"] for m in dispatcher.messages] == [COMPLAINT]
    raw = await redis_client.lrange(unanswered_key(settings.redis.key_prefix), 0, -1)
    assert [json.loads(x)["text"] for x in raw] == ["bot ngu thế, hỏi mãi ko hiểu"]


@pytest.mark.parametrize(
    ("text", "grieves"),
    [
        ("ko hài lòng, muốn khiếu nại", True),  # batch 10
        ("các anh làm việc kiểu gì vậy", True),
        ("thái độ cán bộ phường như thế à", True),
        ("hoá đơn tiền nước tháng này sai chỉ số thì khiếu nại ở đâu", False),  # elsewhere
        ("bot ngu thế", False),  # the bot: a complaint
        ("lệ phí bao nhiêu", False),
    ],
)
def test_grievances(text: str, grieves: bool) -> None:
    assert is_grievance(text) is grieves


def test_no_procedure_or_status_question_reads_as_a_grievance() -> None:
    """Of the labelled examples only requests for an official (which never reach the
    fallback) and one out-of-scope complaint about staff say so."""
    intents = {intent for intent, t in labelled_examples() if is_grievance(t)}
    assert intents <= {"request_human", "out_of_scope"}


async def test_a_grievance_gets_an_official_or_the_portal_and_is_kept(
    settings: Settings, redis_client: Any
) -> None:
    action = ActionOutOfScope(
        redis=redis_client, settings=settings, store=KnowledgeBaseStore(directory=KB_DIR)
    )
    message = parsed_message("ko hài lòng, muốn khiếu nại", [("out_of_scope", 0.9)])
    dispatcher = CollectingDispatcher()
    assert await action.run(dispatcher, tracker_after(message, []), DOMAIN) == []
    [reply] = dispatcher.messages
    assert reply["text"] == MSG_GRIEVANCE
    assert [b["payload"] for b in reply["buttons"]] == ["/request_human"]
    raw = await redis_client.lrange(unanswered_key(settings.redis.key_prefix), 0, -1)
    assert [json.loads(x)["text"] for x in raw] == ["ko hài lòng, muốn khiếu nại"]


async def test_yes_to_an_offered_official_asks_for_one() -> None:
    official = [{"title": "Gặp cán bộ", "payload": "/request_human"}]
    yes = parsed_message("uh chuyen di", [("affirm", 0.95)])
    events = await ActionAffirm().run(
        CollectingDispatcher(),
        tracker_after(yes, buttons_shown(official, text="bot vô dụng")),
        DOMAIN,
    )
    assert events == [{"event": "followup", "timestamp": None, "name": "action_request_human"}]
    # Not when the official was one choice among others, nor for "no".
    aspects = [{"title": "Lệ phí", "payload": '/ask_fee{"procedure":"khai_sinh"}'}, *official]
    dispatcher = CollectingDispatcher()
    assert (
        await ActionAffirm().run(
            dispatcher, tracker_after(yes, buttons_shown(aspects, text="bot vô dụng")), DOMAIN
        )
        == []
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_anything_else"]
    # Batch 101: a bare "oki" acknowledges the reply; it asks for no official.
    oki = parsed_message("oki", [("affirm", 0.95)])
    dispatcher = CollectingDispatcher()
    assert (
        await ActionAffirm().run(
            dispatcher, tracker_after(oki, buttons_shown(official, text="thuế thì sao")), DOMAIN
        )
        == []
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_anything_else"]
    no = parsed_message("thôi khỏi", [("deny", 0.95)])
    dispatcher = CollectingDispatcher()
    assert (
        await ActionDeny().run(
            dispatcher, tracker_after(no, buttons_shown(official, text="bot vô dụng")), DOMAIN
        )
        == []
    )


async def test_a_yes_read_as_out_of_scope_to_an_offered_official_asks_for_one() -> None:
    """Batch 41: "ừ chuyển đi" (out of scope) right after a dossier still not found, whose
    only button offers an official, got "out of scope"."""
    official = [{"title": "Gặp cán bộ", "payload": "/request_human"}]
    yes = parsed_message("ừ chuyển đi", [("out_of_scope", 0.8)])
    events = await ActionOutOfScope().run(
        CollectingDispatcher(), tracker_after(yes, buttons_shown(official)), DOMAIN
    )
    assert events == [{"event": "followup", "timestamp": None, "name": "action_request_human"}]
    # Batch 107: "uk chuyen giup e nhe" asks for one with no offer before it too, and "ừ
    # chuyển đi" after buttons among which one is the official's.
    aspects = [{"title": "Lệ phí", "payload": '/ask_fee{"procedure":"khai_sinh"}'}, *official]
    bare = parsed_message("uk chuyen giup e nhe", [("out_of_scope", 0.5)])
    for message, before in [(yes, buttons_shown(aspects)), (bare, [])]:
        events = await ActionOutOfScope().run(
            CollectingDispatcher(), tracker_after(message, before), DOMAIN
        )
        assert events == [{"event": "followup", "timestamp": None, "name": "action_request_human"}]
    # Not a longer message, nor a story told ("kể chuyện đi").
    long = parsed_message("ừ chuyển đi mà sao hồ sơ của tôi lâu thế", [("out_of_scope", 0.8)])
    story = parsed_message("kể chuyện đi", [("out_of_scope", 0.9)])
    for message in (long, story):
        events = await ActionOutOfScope().run(
            CollectingDispatcher(), tracker_after(message, buttons_shown(official)), DOMAIN
        )
        assert {
            "event": "followup",
            "timestamp": None,
            "name": "action_request_human",
        } not in events


async def test_a_grievance_read_as_a_procedure_question_gets_the_grievance_reply() -> None:
    """Batch 36: "các anh chị làm việc kiểu gì vậy người già đi lại khổ lắm" (ask_procedure)
    got "which procedure?"."""
    action = ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR))
    text = "các anh chị làm việc kiểu gì vậy người già đi lại khổ lắm"
    dispatcher = CollectingDispatcher()
    message = parsed_message(text, [("ask_procedure", 0.6)])
    assert await action.run(dispatcher, tracker_after(message, []), DOMAIN) == []
    [reply] = dispatcher.messages
    assert reply["text"] == MSG_GRIEVANCE
    assert [b["payload"] for b in reply["buttons"]] == ["/request_human"]


@pytest.mark.parametrize(
    "text",
    [
        # Batch 59: a bribe asked for, and fear of trouble; both got căn cước's answers.
        "cán bộ địa chính xã bảo muốn nhanh thì bồi dưỡng 5 triệu, ko thì cứ chờ. có phải thế ko",
        "e sợ bị làm khó thêm",
    ],
)
def test_a_bribe_or_trouble_feared_is_a_grievance(text: str) -> None:
    assert is_grievance(text) and not is_complaint(text)


def test_the_bot_knowing_nothing_is_a_complaint() -> None:
    """Batch 85: "bot chả biết j cả" got "out of scope"; the citizen knowing nothing is no
    complaint."""
    assert is_complaint("bot chả biết j cả") and is_complaint("may k biet gi")
    assert not is_complaint("e chả biết gì về thủ tục này")
    assert not is_complaint("mẹ em không biết gì cả, cần làm gì")


@pytest.mark.parametrize(
    ("text", "accepts"),
    [
        ("uk chuyen giup e nhe", True),  # batch 107
        ("thì nối đi còn chờ gì", True),  # batch 109
        ("ừ chuyển đi", True),
        ("kể chuyện đi", False),
        ("hẹn gặp lại", False),
        ("chuyển khẩu nha ad", False),
    ],
)
def test_an_official_accepted(text: str, accepts: bool) -> None:
    assert accepts_the_official(text) is accepts
