"""A message in English is told, in English, that the bot answers in Vietnamese
(``actions.english``)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.english import MSG_ENGLISH, writes_in_english
from actions.fallback import ActionFallback
from actions.handoff_replies import BUTTONS_OFFICIAL
from actions.procedures import ActionAnswerProcedure
from bot.kb import KnowledgeBaseStore
from bot.settings import Settings
from tests.labelled import labelled_examples
from tests.project import DOMAIN, KB_DIR
from tests.trackers import Conversation, parsed_message, tracker_after


@pytest.mark.parametrize(
    ("text", "english"),
    [
        (
            "hello, do you speak english? my girlfriend is from Quang Ninh and we want to "
            "register our marriage",
            True,
        ),  # batch 107
        ("what papers do i need from my country", True),
        ("ok where is the office and can i book online", True),
        ("lam can cuoc can gi", False),  # Vietnamese without marks
        ("thank you bot", False),  # too short to tell
        ("ok e cam on ad nhieu nhe", False),
    ],
)
def test_english(text: str, english: bool) -> None:
    assert writes_in_english(text) is english


def test_only_english_labelled_examples_read_as_english() -> None:
    found = {t for _, t in labelled_examples() if writes_in_english(t)}
    assert found == {
        "do you speak english",
        "What is the capital of France",
        "How is the weather today",
    }


async def test_english_misread_or_read_as_a_procedure_question_gets_the_english_reply(
    settings: Settings, redis_client: Any
) -> None:
    action = ActionFallback(
        redis=redis_client, settings=settings, store=KnowledgeBaseStore(directory=KB_DIR)
    )
    dispatcher = CollectingDispatcher()
    message = parsed_message("what papers do i need from my country", [("out_of_scope", 0.5)])
    await action.run(dispatcher, tracker_after(message, []), DOMAIN)
    assert [(m["text"], m["buttons"]) for m in dispatcher.messages] == [
        (MSG_ENGLISH, BUTTONS_OFFICIAL)
    ]
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    msgs, events = await conversation.say("what papers do i need for marriage", "ask_documents")
    assert [m["text"] for m in msgs] == [MSG_ENGLISH] and events == []
