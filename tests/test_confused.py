"""A citizen puzzled by the answer just given (``actions.confused``): "?", "hả", "không
hiểu" get what more to ask about that procedure, with buttons, not "out of scope"."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.affirm import ActionDeny
from actions.confused import is_confused, is_correction, names_a_case
from actions.fallback import ActionOutOfScope
from actions.planning import button_payload
from actions.procedures import MSG_WHAT_MORE
from bot.kb import ASPECTS, KnowledgeBaseStore, compose_answer
from bot.settings import Settings
from tests.labelled import labelled_examples
from tests.project import DOMAIN, KB_DIR
from tests.trackers import answered_events, parsed_message, tracker_after


@pytest.mark.parametrize(
    "text",
    [
        "?",
        "??",
        "hả?",
        "sao cơ",
        "ý là sao",
        "em vẫn chưa hiểu",
        "ko hiểu lắm",
        "nghĩa là gì ạ",
        # Batch 54: too long to follow.
        "dai qua k hieu, noi ngan thui",
        "nói ngắn gọn thôi",
    ],
)
def test_confused(text: str) -> None:
    assert is_confused(text)


@pytest.mark.parametrize(
    "text",
    ["", "le phi?", "không", "hiểu rồi", "hà nội", "không hiểu sao hồ sơ chưa xong"],
)
def test_not_confused(text: str) -> None:
    assert not is_confused(text)


def test_no_labelled_question_reads_as_confused() -> None:
    """Only punctuation and "hả", labelled out of scope, are taken; no question is."""
    taken = {(intent, t) for intent, t in labelled_examples() if is_confused(t)}
    assert taken and {intent for intent, _ in taken} == {"out_of_scope"}
    assert all(len(t) <= 3 for _, t in taken)


async def _reply(action: Any, text: str, ranking: list[tuple[str, float]], before: list) -> list:
    dispatcher = CollectingDispatcher()
    tracker = tracker_after(parsed_message(text, ranking), before)
    events = await action.run(dispatcher, tracker, DOMAIN)
    # The procedure discussed stays, and the offer counts as an answer for what follows.
    expected = {("procedure", "can_cuoc"), ("last_aspect", "ask_documents")} if before else set()
    assert {(e["name"], e["value"]) for e in events} == expected
    return dispatcher.messages


async def test_puzzled_right_after_an_answer_gets_what_more_with_buttons(
    settings: Settings, redis_client: Any
) -> None:
    store = KnowledgeBaseStore(directory=KB_DIR)
    name = store.get().get("can_cuoc").name
    out_of_scope = ActionOutOfScope(redis=redis_client, settings=settings, store=store)
    for action, text, ranking in [
        (out_of_scope, "?", [("out_of_scope", 0.89)]),
        (ActionDeny(store=store), "không hiểu", [("deny", 0.77)]),
        # Batch 20: a bare case after căn cước's overview ("cấp, cấp đổi, cấp lại") got
        # "ngoài phạm vi"; the entry answers every case alike.
        (out_of_scope, "lần đầu", [("out_of_scope", 0.81)]),
    ]:
        [msg] = await _reply(action, text, ranking, answered_events("can_cuoc"))
        assert msg["text"] == MSG_WHAT_MORE.format(name=name)
        payloads = [b["payload"] for b in msg["buttons"]]
        assert payloads == [*(button_payload(a, "can_cuoc") for a in ASPECTS), "/request_human"]


async def test_puzzled_with_nothing_answered_gets_what_the_bot_can_do(
    settings: Settings, redis_client: Any
) -> None:
    store = KnowledgeBaseStore(directory=KB_DIR)
    out_of_scope = ActionOutOfScope(redis=redis_client, settings=settings, store=store)
    for action, text, ranking in [
        (out_of_scope, "??", [("out_of_scope", 0.89)]),
        (ActionDeny(store=store), "không hiểu", [("deny", 0.77)]),
    ]:
        [msg] = await _reply(action, text, ranking, [])
        assert msg["response"] == "utter_default", text


def test_a_bare_case_of_a_procedure() -> None:
    assert all(map(names_a_case, ["lần đầu", "cấp lại", "doi", "đổi ạ", "gia hạn thôi"]))
    assert not any(map(names_a_case, ["cấp lại mất bao lâu", "mới", "thôi", "cái thứ 2", ""]))
    assert [t for _, t in labelled_examples() if names_a_case(t)] == []


@pytest.mark.parametrize(
    ("text", "corrects"),
    [
        ("ko phai cai do, y toi la lam cho con toi 14t lan dau", True),  # batch 11
        ("à nhầm, xe máy", True),  # batch 10
        ("không phải vậy", True),
        ("ý mình là làm lần đầu", True),
        ("không phải", False),  # a bare no
        ("không", False),
        ("phải mang theo gì", False),
        ("y tế xã ở đâu", False),
    ],
)
def test_correction(text: str, corrects: bool) -> None:
    assert is_correction(text) is corrects


async def test_a_correction_right_after_an_answer_gets_what_more_or_the_one_meant(
    settings: Settings, redis_client: Any
) -> None:
    store = KnowledgeBaseStore(directory=KB_DIR)
    kb = store.get()
    out_of_scope = ActionOutOfScope(redis=redis_client, settings=settings, store=store)
    for action, text, ranking in [
        (
            ActionDeny(store=store),
            "ko phai cai do, y toi la lam cho con toi 14t lan dau",
            [("deny", 0.84)],
        ),
        (out_of_scope, "à nhầm, xe máy", [("out_of_scope", 0.94)]),
    ]:
        [msg] = await _reply(action, text, ranking, answered_events("can_cuoc"))
        assert msg["text"] == MSG_WHAT_MORE.format(name=kb.get("can_cuoc").name), text
    # Naming another procedure: the last question, answered about that one.
    named = parsed_message(
        "không phải, ý tôi là hộ chiếu",
        [("deny", 0.8)],
        entities=[{"entity": "procedure", "value": "ho_chieu", "start": 21, "end": 29}],
    )
    dispatcher = CollectingDispatcher()
    tracker = tracker_after(named, answered_events("can_cuoc"))
    tracker.slots["procedure"] = "ho_chieu"  # filled by the entity, as Rasa does
    await ActionDeny(store=store).run(dispatcher, tracker, DOMAIN)
    [msg] = dispatcher.messages
    assert msg["text"] == compose_answer(kb.get("ho_chieu"), "ask_documents")
    # Before any answer, a correction is a plain "no".
    [plain] = await _reply(ActionDeny(store=store), "không phải vậy", [("deny", 0.9)], [])
    assert plain["response"] == "utter_ok"
