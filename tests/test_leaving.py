"""The citizen leaves to do something (``actions/leaving.py``)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.leaving import leaves_to_act
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
    ],
)
def test_leaving_to_do_something(text: str) -> None:
    assert leaves_to_act(text)


@pytest.mark.parametrize("text", ["để e hỏi lệ phí làm hộ chiếu", "de toi di dau", "để làm gì"])
def test_not_leaving(text: str) -> None:
    assert not leaves_to_act(text)


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
