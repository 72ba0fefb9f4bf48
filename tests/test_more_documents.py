"""The rest of a documents list too long for one screen (``actions.more_documents``): what
asks for it, the pages in turn, and the actions that show them (real KB, real Redis)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.more_documents import ALL_SHOWN, asks_for_more, next_documents_page
from actions.procedures import MSG_WHAT_MORE, ActionAnswerProcedure
from bot.kb import KnowledgeBaseStore, compose_answer
from bot.kb.answers import document_pages
from bot.settings import Settings
from tests.project import DOMAIN, KB, KB_DIR
from tests.trackers import Conversation, parsed_message, tracker_after


@pytest.mark.parametrize(
    "text",
    [
        "giấy tờ còn lại",
        "còn j nữa k",
        "cần thêm gì nữa không",
        "xem tiếp",
        "con giay to gi nua khong",
        "hết chưa ạ",
    ],
)
def test_asks_for_more(text: str) -> None:
    assert asks_for_more(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("còn lệ phí nữa", "another aspect"),
        ("nộp ở đâu nữa", "another aspect"),
        ("bước tiếp theo làm gì", "the steps"),
        ("giấy hết hạn thì sao", "hết hạn, not hết chưa"),
        ("con em đi học xa nên nhờ bà nộp tiếp hồ sơ được không", "a long question"),
        ("giấy khai sinh", "nothing asks for more"),
    ],
)
def test_does_not_ask_for_more(text: str, why: str) -> None:
    assert not asks_for_more(text), why


def test_the_pages_follow_the_one_sent_then_the_list_is_said_complete() -> None:
    so_do = KB.get("so_do")
    pages = document_pages(so_do)
    assert len(pages) == 2  # four papers, two per page at most beside the source
    assert next_documents_page(so_do, ["Xin chào", pages[0]]) == pages[1]
    assert next_documents_page(so_do, [pages[1]]) == ALL_SHOWN.format(name=so_do.name)
    # A list on one page is complete at once; another answer is no page at all.
    one = KB.get("tam_tru")
    assert next_documents_page(one, [compose_answer(one, "ask_documents")]).startswith(
        f"Hồ sơ {one.name} chỉ gồm"
    )
    assert next_documents_page(so_do, [compose_answer(so_do, "ask_fee")]) is None


async def test_the_procedure_action_shows_the_pages_in_turn() -> None:
    conv = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    pages = document_pages(KB.get("so_do"))
    turns = [
        ("làm sổ đỏ cần giấy tờ gì", "ask_documents", "so_do", pages[0]),
        ("giấy tờ còn lại", "ask_documents", None, pages[1]),
        ("còn j nữa k", "ask_documents", None, ALL_SHOWN.format(name=KB.get("so_do").name)),
    ]
    for text, intent, procedure, expected in turns:
        msgs, _ = await conv.say(text, intent, procedure)
        assert [m["text"] for m in msgs] == [expected], text
        assert conv.slots == {"procedure": "so_do", "last_aspect": "ask_documents"}
    # Another aspect is answered as usual, and "giấy tờ còn lại" after it is page one.
    msgs, _ = await conv.say("còn lệ phí nữa", "ask_fee")
    assert msgs[0]["text"] == compose_answer(KB.get("so_do"), "ask_fee")
    msgs, _ = await conv.say("giấy tờ còn lại", "ask_documents")
    assert msgs[0]["text"] == pages[0]


def _turn(said: str, action: str, text: str) -> list[dict[str, Any]]:
    """Rasa's events for ``said`` answered by ``action`` with ``text``, about khai sinh."""
    return [
        {"event": "user", "text": said},
        {"event": "action", "name": action},
        {"event": "bot", "text": text},
        {"event": "slot", "name": "procedure", "value": "khai_sinh"},
        {"event": "slot", "name": "last_aspect", "value": "ask_documents"},
        {"event": "action", "name": "action_listen"},
    ]


async def test_a_request_for_more_read_as_unclear_gets_the_next_page(
    settings: Settings, redis_client: Any
) -> None:
    pages = document_pages(KB.get("khai_sinh"))
    before = _turn("làm khai sinh cần gì", "action_answer_procedure", pages[0])
    action = ActionFallback(
        redis=redis_client, settings=settings, store=KnowledgeBaseStore(directory=KB_DIR)
    )
    message = parsed_message(
        "xem tiếp",
        [("out_of_scope", 0.35), ("check_dossier_status", 0.37)],
        intent=("nlu_fallback", 0.45),
    )
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker_after(message, before), DOMAIN)
    assert [m["text"] for m in dispatcher.messages] == [pages[1]]
    assert {(e["name"], e["value"]) for e in events} == {
        ("procedure", "khai_sinh"),
        ("last_aspect", "ask_documents"),
    }


async def test_more_after_a_puzzled_question_mark_is_the_rest_of_the_list_before_it() -> None:
    store = KnowledgeBaseStore(directory=KB_DIR)
    pages = document_pages(KB.get("khai_sinh"))
    what_more = MSG_WHAT_MORE.format(name=KB.get("khai_sinh").name)
    events = [
        *_turn("làm khai sinh cần gì", "action_answer_procedure", pages[0]),
        *_turn("?", "action_out_of_scope", what_more),
    ]
    message = parsed_message("còn gì nữa ko", [("ask_documents", 0.72)])
    dispatcher = CollectingDispatcher()
    await ActionAnswerProcedure(store=store).run(dispatcher, tracker_after(message, events), DOMAIN)
    assert [m["text"] for m in dispatcher.messages] == [pages[1]]
