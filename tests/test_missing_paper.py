"""A paper of the procedure just answered that the citizen lacks or lost (batches 48, 50)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionOutOfScope
from actions.missing_paper import asks_whether_needed, lacks_a_paper
from tests.labelled import labelled_examples
from tests.project import DOMAIN, KB
from tests.trackers import answered_events, listening_tracker


@pytest.mark.parametrize(
    ("text", "procedure"),
    [
        ("bé đẻ ở nhà nên ko có giấy chứng sinh", "khai_sinh"),
        ("giay chung sinh mat roi", "khai_sinh"),
    ],
)
def test_a_paper_of_the_documents_lacking_or_lost(text: str, procedure: str) -> None:
    assert lacks_a_paper(text, KB.get(procedure), KB)


@pytest.mark.parametrize(
    ("text", "procedure", "why"),
    [
        ("bé đẻ ở nhà nên ko có giấy chứng sinh", "ho_chieu", "not a paper of this entry"),
        ("giấy chứng sinh để làm gì", "khai_sinh", "neither lacking nor lost"),
        ("ko có của người khác", "khai_sinh", "function words only"),
    ],
)
def test_what_is_no_paper_lacking(text: str, procedure: str, why: str) -> None:
    assert not lacks_a_paper(text, KB.get(procedure), KB), why


def test_few_labelled_out_of_scope_examples_lack_a_paper() -> None:
    """Asked right after an answer, how many labelled out-of-scope examples would get the
    documents instead of "việc này nằm ngoài phạm vi" (none of the 32,820 example × entry
    pairs when written)."""
    examples = [t for i, t in labelled_examples() if i == "out_of_scope"]
    taken = sum(lacks_a_paper(t, entry, KB) for t in examples for entry in KB)
    assert len(examples) > 1000 and taken <= 3


async def test_the_documents_answer_a_paper_lacking_right_after_an_answer(
    settings, redis_client
) -> None:
    action = ActionOutOfScope(redis=redis_client, settings=settings)
    tracker = listening_tracker(
        sender_id="zalo:48",
        slots={"procedure": "khai_sinh", "last_aspect": "ask_documents"},
        latest_message={
            "text": "giay chung sinh mat roi",
            "intent": {"name": "out_of_scope", "confidence": 0.86},
            "entities": [],
            "intent_ranking": [],
        },
        events=[
            *answered_events("khai_sinh"),
            {"event": "user", "text": "giay chung sinh mat roi", "input_channel": "rest"},
        ],
    )
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages[0]["text"].startswith("Hồ sơ Đăng ký khai sinh gồm:")


def test_where_it_went_told_before_it_was_lost() -> None:
    """Batch 83: "giấy chứng sinh em để đâu mất tiêu rồi, kiếm hổng ra" after khai sinh."""
    text = "giấy chứng sinh em để đâu mất tiêu rồi, kiếm hổng ra"
    assert lacks_a_paper(text, KB.get("khai_sinh"), KB)


def test_whether_a_paper_is_needed() -> None:
    """Batch 76: "bố mình 63 tuổi rồi có cần khám sức khỏe k" after bằng lái got "out of
    scope"; the documents say a health certificate is needed."""
    entry = KB.get("giay_phep_lai_xe")
    assert asks_whether_needed("bố mình 63 tuổi rồi có cần khám sức khỏe k", entry, KB)
    assert not asks_whether_needed("có cần khám sức khỏe k", KB.get("khai_sinh"), KB)
    assert not asks_whether_needed("khám sức khỏe ở đâu", entry, KB)
    examples = [t for intent, t in labelled_examples() if intent == "out_of_scope"]
    assert not [t for t in examples for e in KB if asks_whether_needed(t, e, KB)]
