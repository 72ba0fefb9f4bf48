"""A lost or re-issued civil-status paper is a copy to ask for (``actions.copies``)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.copies import (
    COPY_PROCEDURE,
    asks_for_a_copy,
    asks_for_copies,
    reissues,
    says_it_is_spoilt,
)
from actions.fallback import ActionFallback, ActionOutOfScope
from actions.procedures import ActionAnswerProcedure
from bot.kb import KnowledgeBaseStore, compose_answer
from bot.settings import Settings
from tests.project import DOMAIN, KB, KB_DIR
from tests.trackers import Conversation, answered_events, parsed_message, tracker_after


@pytest.mark.parametrize(
    ("text", "procedure"),
    [
        ("e lam mat giay khai sinh goc, xin ban sao dc k a", "khai_sinh"),
        ("e bị mất giấy khai sinh bản chính thì xin lại như thế nào", "khai_sinh"),
        ("giấy khai sinh của con bị mất rồi", "khai_sinh"),
        ("xin lại giấy khai sinh ở đâu", "khai_sinh"),
        ("cấp lại giấy đăng ký kết hôn mất bao lâu", "ket_hon"),
        ("cap lai giay chung tu the nao", "khai_tu"),
        # Batch 16.
        ("giấy đăng ký kết hôn của vợ chồng tôi bị mất, giờ muốn xin lại thì làm sao", "ket_hon"),
        # Batches 25 and 26: misplaced or damaged, with no death in the words.
        ("giấy chứng tử bố e mất lâu rồi bị thất lạc", "khai_tu"),
        ("giấy khai sinh của e bị rách, xin bản sao ở đâu", "khai_sinh"),
    ],
)
def test_a_copy_is_asked_for(text: str, procedure: str) -> None:
    assert asks_for_a_copy(text, procedure)


@pytest.mark.parametrize(
    ("text", "procedure", "why"),
    [
        ("làm giấy khai sinh mất bao lâu", "khai_sinh", "'mất' of time"),
        ("giấy khai sinh mất phí không", "khai_sinh", "'mất' of money"),
        ("giấy chứng sinh của viện bị mất rồi thì khai sinh thế nào", "khai_sinh", "another paper"),
        ("bố em mất, làm giấy khai tử ở đâu", "khai_tu", "'mất' of a death"),
        ("giấy chứng tử cho người mất do tai nạn", "khai_tu", "'mất' of a death"),
        ("làm khai sinh cần bản chính hay bản sao", "khai_sinh", "a question on papers"),
        ("cấp lại giấy khai sinh", "can_cuoc", "not a civil-status register"),
        ("giấy kết hôn làm online được hông vậy ạ", "ket_hon", "'hông' is 'không'"),
        ("bố em mất ở Hồng Gai, làm giấy chứng tử ở đâu", "khai_tu", "'Hồng' is a place"),
    ],
)
def test_no_copy_is_asked_for(text: str, procedure: str, why: str) -> None:
    assert not asks_for_a_copy(text, procedure), why


@pytest.mark.parametrize(
    ("text", "procedure"),
    [
        # Batches 48 and 50: burnt in a fire, lost long ago.
        (
            "giấy kết hôn của vợ chồng tui bị cháy mất trong vụ cháy nhà tháng trước, giờ xin lại sao vậy em",
            "ket_hon",
        ),
        ("giấy khai sinh của 2 đứa nhỏ cũng cháy luôn rồi nè", "khai_sinh"),
        ("giay khai sinh của tôi mất lâu rồi, h cần bản sao để bổ sung hồ sơ", "khai_sinh"),
        ("giay ket hon bi moi an het", "ket_hon"),
    ],
)
def test_a_paper_burnt_or_lost_long_ago_asks_for_a_copy(text: str, procedure: str) -> None:
    assert asks_for_a_copy(text, procedure)


@pytest.mark.parametrize(
    "text",
    [
        "làm giấy khai sinh mất lâu không",
        "giấy khai sinh mất hết bn",
        "giấy khai sinh mất từ 1 đến 2 ngày à",
    ],
)
def test_what_it_takes_is_no_paper_lost(text: str) -> None:
    assert not asks_for_a_copy(text, "khai_sinh")


def test_papers_issued_again_and_a_paper_spoilt() -> None:
    """Batch 60: "bang do de o nha bi chuot can mat 1 goc r" after bằng lái got "out of
    scope"; right after an entry that issues its paper again, the overview tells how."""
    kb = KB
    assert {p.id for p in kb if reissues(p)} >= {"can_cuoc", "giay_phep_lai_xe", "ho_chieu"}
    assert not reissues(kb.get("khai_sinh"))
    for text in ("bang do de o nha bi chuot can mat 1 goc r", "thẻ bị rách rồi", "lam mat the r"):
        assert says_it_is_spoilt(text), text
    for text in ("mat bao lau", "co mat tien ko", "hong biet", "bi mat ngu", "mat ca the atm nua"):
        assert not says_it_is_spoilt(text), text
    # Expired, told (batch 66), not asked.
    assert says_it_is_spoilt("bang b2 cua anh e thi het han thang truoc r")
    assert not says_it_is_spoilt("bang lai xe may e het han chua ad")
    assert not says_it_is_spoilt("het han thi sao")
    # đăng ký xe's certificate (cà vẹt) is issued again too ("cấp đổi").
    assert reissues(KB.get("dang_ky_xe"))


def test_a_marriage_paper_eaten_by_rats_is_its_copy() -> None:
    """Batch 68: "giay dang ky ket hon cua vc e bi chuot can nat roi, … lam lai the nao"
    got kết hôn's overview."""
    text = "giay dang ky ket hon cua vc e bi chuot can nat roi, gio can de lam so do thi lam lai the nao"
    assert asks_for_a_copy(text, "ket_hon")


async def test_several_papers_lost_which_first_gets_each_overview_id_card_first() -> None:
    """Batches 89-91: "e mất ví, mất cả bằng lái b2 với cccd, giờ làm lại cái nào trước ạ"
    (an overview question naming two) asked which procedure; a wallet or a bag lost with
    the papers listed after it says they are lost too."""
    from actions.copies import asks_which_first
    from actions.procedures import ActionAnswerProcedure
    from bot.kb import KnowledgeBaseStore, compose_answer
    from tests.project import KB, KB_DIR
    from tests.trackers import Conversation

    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    text = "e mất ví, mất cả bằng lái b2 với cccd, giờ làm lại cái nào trước ạ"
    msgs, _ = await conversation.say(
        text, "ask_procedure", named={"bằng lái": "giay_phep_lai_xe", "cccd": "can_cuoc"}
    )
    assert [m["text"] for m in msgs] == [
        compose_answer(KB.get("can_cuoc"), "ask_procedure"),
        compose_answer(KB.get("giay_phep_lai_xe"), "ask_procedure"),
    ]
    bag = "bi mat tui, trong co can cuoc, ho chieu. Toi phai lam gi truoc"
    assert says_it_is_spoilt(bag) and asks_which_first(bag)
    assert not says_it_is_spoilt("mất ví rồi buồn quá")
    assert not asks_which_first("làm căn cước trước khi đi")


@pytest.mark.parametrize(
    ("text", "several"),
    [
        ("xin 3 bản luôn được ko", True),
        ("lấy 2 bản được không", True),
        ("cho em xin thêm 2 bản nữa nhé", True),
        ("mấy bạn ở phường bảo phải lên huyện", False),  # people
        ("làm khai sinh cần bản chính hay bản sao", False),  # a question on papers
        ("in 2 bản chính được không", False),  # the original
    ],
)
def test_several_papers_asked_for(text: str, several: bool) -> None:
    assert asks_for_copies(text) is several


@pytest.mark.parametrize("action_class", [ActionOutOfScope, ActionFallback])
async def test_several_papers_asked_after_a_record_get_the_copies_overview(
    action_class: type[ActionFallback], settings: Settings, redis_client: Any
) -> None:
    """Closing note of 2026-12-05: "xin 3 bản luôn được ko" (nlu_fallback 0.45, ask_online
    0.32) right after khai sinh got khai sinh's online answer."""
    action = action_class(
        redis=redis_client, settings=settings, store=KnowledgeBaseStore(directory=KB_DIR)
    )
    message = parsed_message(
        "xin 3 bản luôn được ko",
        [("out_of_scope", 0.39), ("ask_online", 0.32)],
        intent=("nlu_fallback", 0.45) if action_class is ActionFallback else None,
    )
    dispatcher = CollectingDispatcher()
    events = await action.run(
        dispatcher, tracker_after(message, answered_events("khai_sinh")), DOMAIN
    )
    assert [m["text"] for m in dispatcher.messages] == [
        compose_answer(KB.get(COPY_PROCEDURE), "ask_procedure")
    ]
    assert {(e["name"], e["value"]) for e in events} == {
        ("procedure", COPY_PROCEDURE),
        ("last_aspect", "ask_procedure"),
    }


async def test_several_papers_read_as_an_aspect_get_the_copies_overview() -> None:
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    await conversation.say("trích lục kết hôn xin ở đâu", "ask_location", "ket_hon", name="kết hôn")
    msgs, _ = await conversation.say("lấy 2 bản được không", "ask_online")
    assert [m["text"] for m in msgs] == [compose_answer(KB.get(COPY_PROCEDURE), "ask_procedure")]
    # An aspect asked beside the copies is that aspect's answer.
    msgs, _ = await conversation.say("lấy 2 bản mất bao lâu", "ask_duration")
    assert [m["text"] for m in msgs] == [compose_answer(KB.get(COPY_PROCEDURE), "ask_duration")]
