"""The citizen leaves to do something (``actions/leaving.py``)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.leaving import acknowledges, leaves_to_act
from actions.procedures import ActionAnswerProcedure
from bot.kb import KnowledgeBaseStore
from tests.project import DOMAIN, KB_DIR
from tests.trackers import Conversation, parsed_message, tracker_after


@pytest.mark.parametrize(
    "text",
    [
        "ok để tối nay mình làm",  # batch 53
        "thoi de e nop luon",  # batch 53
        "ok de cuoi tuan toi ra dao",  # batch 52
        "hieu roi, de toi ve hoi con",  # batch 52
        "ok de mk ra cong an xa hoi them",  # batch 52
        "thôi để e hỏi xã",
        "de khi nop xong co ma r nho e",  # batch 62 (read as subscribe)
        "thoi de chieu goi",  # batch 65 (read as request_human), no one named
        "ok de e thu",  # batch 64
        "ok để c về hỏi lại mấy đứa cậu",  # batch 68: "c" is "chị"
        "Thế bác biết rồi , để bác gọi bảo nó",  # batch 70
        "thôi để cuối tuần cháu nó về rồi tính",  # batch 76: a relative, "nó"
        "tôi đi biển 10 ngày, về tôi hỏi tiếp",  # batch 76: back later
        "à thôi để e tính đã",  # batch 77
        "ok vậy tôi ra xã hỏi",  # batch 77: who goes where, no "để"
        "thoi de cn e ra cong an phuong lam luon",  # batch 78: "cn" is Sunday
        "trời ơi rắc rối dzậy, thôi để ảnh về rồi tính",  # batch 83: after a sigh
        "thoi de hoi to truong",  # batch 87: whom to ask
        "de tet lam 1 the",  # batch 87: at Tết
        "ok de e doi them",  # batch 88: waiting
        "thui để tui kiếm lại giấy biên nhận",  # batch 88: "thui" is "thôi"
        "ok tuần sau e lên",  # batch 93: coming to the office
        "ok thứ 2 e với ck lên phường luôn 💪",  # batch 105: who comes along
        "oki để e thử trên vneid 🤞",  # batch 105: off to do it online
        "thoi de toi ve ban voi vo da, co j toi hoi sau",  # batch 106: more later
        "vay thoi dung vssid cho nhanh",  # batch 106: the choice told
        "thôi để làm giấy thừa kế xong tính",  # batch 106: another thing first
        "the thoi de bac tu di",  # batch 107: alone after all
    ],
)
def test_leaving_to_do_something(text: str) -> None:
    assert leaves_to_act(text)


@pytest.mark.parametrize(
    "text",
    [
        "để e hỏi lệ phí làm hộ chiếu",
        "de toi di dau",
        "để làm gì",
        "khi nao xong bao toi nhe",  # asks to be told: a subscription
        "khi nao nop xong thi hoi gi",
        "de chieu lam gi",
        "mất bao lâu, thôi để e hỏi xã",  # asks first
        "vay toi ra xa hoi the nao",
        "về hỏi tiếp thế nào",
        "ok vậy tôi ra xã hỏi ở đâu",
        "để mai làm hồ sơ gì",
        "de mai lam the nao",
        "để hỏi lệ phí",
        "ok e len dau",
        "để e làm trên vneid được không",  # asks whether it can be done online
        "thôi để làm căn cước xong rồi làm gì tiếp",
        "de toi tu di duoc khong",
    ],
)
def test_not_leaving(text: str) -> None:
    assert not leaves_to_act(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hieu roi", True),  # batch 83, read as out of scope
        ("dạ rứa tốt quá", True),  # batch 83
        ("rõ rồi ạ", True),
        ("hiểu rồi nhưng mà sao lâu thế", False),
        ("tốt quá mà chưa xong", False),
        # Batches 104, 105: given up, understood with an apology, glad.
        ("ok v thui khỏi làm 😁", True),
        ("oke thế này dễ hiểu hơn 😅 sorry bot nha", True),
        ("yeahhh 🥳", True),
        ("khỏi làm sao được", False),
        ("thôi được", True),  # batch 108
        ("ok nham tay", True),  # batch 111
        ("gn", True),  # batch 116
        ("ok vậy anh để nguyên", True),  # batch 114
    ],
)
def test_understood_and_nothing_more(text: str, expected: bool) -> None:
    assert acknowledges(text) is expected


async def test_leaving_read_as_a_procedure_question_gets_ok() -> None:
    """Batch 52: "ok de mk ra cong an xa hoi them" (read as where to file) got đăng ký xe's
    place to file again."""
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    await conversation.say("đăng ký xe nộp ở đâu", "ask_location", "dang_ky_xe", name="đăng ký xe")
    msgs, events = await conversation.say("ok de mk ra cong an xa hoi them", "ask_location")
    assert [m.get("response") for m in msgs] == ["utter_ok"] and events == []


async def test_a_message_of_no_words_gets_anything_else(settings, redis_client) -> None:
    """Batch 54: "🙂" got "việc này nằm ngoài phạm vi"."""
    action = ActionFallback(redis=redis_client, settings=settings)
    dispatcher = CollectingDispatcher()
    message = parsed_message("🙂", [("out_of_scope", 0.9)])
    await action.run(dispatcher, tracker_after(message, []), DOMAIN)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_anything_else"]


async def test_leaving_right_after_an_answer_is_no_follow_up(settings, redis_client) -> None:
    """Batch 56: "ok để mai mk làm" (nlu_fallback, ask_procedure 0.43) right after GPLX's
    online answer got its overview again."""
    from tests.trackers import answered_events

    action = ActionFallback(redis=redis_client, settings=settings)
    dispatcher = CollectingDispatcher()
    message = parsed_message(
        "ok để mai mk làm", [("ask_procedure", 0.43)], intent=("nlu_fallback", 0.45)
    )
    await action.run(
        dispatcher, tracker_after(message, answered_events("giay_phep_lai_xe")), DOMAIN
    )
    assert [m.get("response") for m in dispatcher.messages] == ["utter_ok"]


async def test_when_the_office_opens_asked_of_no_procedure(settings, redis_client) -> None:
    """Batch 56: "phường mở cửa thứ 7 ko" after a greeting got "ngoài phạm vi"."""
    from actions.procedures import MSG_HOURS_UNKNOWN

    action = ActionFallback(redis=redis_client, settings=settings)
    dispatcher = CollectingDispatcher()
    message = parsed_message("phường mở cửa thứ 7 ko", [("out_of_scope", 0.9)])
    await action.run(dispatcher, tracker_after(message, []), DOMAIN)
    assert [m.get("text") for m in dispatcher.messages] == [MSG_HOURS_UNKNOWN]


def test_what_the_citizen_will_do_told() -> None:
    """Batch 57: "ok e sẽ dẫn mẹ bé lên xã" got "ngoài phạm vi"."""
    assert leaves_to_act("ok e sẽ dẫn mẹ bé lên xã")
    assert not leaves_to_act("e se lam the nao")
    assert not leaves_to_act("em sẽ đi làm được không")


def test_more_another_time() -> None:
    """Batch 58: "thôi mai hỏi tiếp buồn ngủ quá" got the apology for a complaint ("ngủ"
    folds like "ngu")."""
    from actions.complaints import is_complaint

    assert leaves_to_act("thôi mai hỏi tiếp buồn ngủ quá")
    assert not is_complaint("thôi mai hỏi tiếp buồn ngủ quá")
    assert is_complaint("bot ngu quá") and is_complaint("bot ngu qua")
    assert not leaves_to_act("mai hỏi tiếp được không")
