"""Who must go and who may go instead: the words (``actions.who_goes``), the answer from the
entry's ``who_goes`` (``bot.kb.answers``), the reply plan, and the misread follow-ups the
deny, affirm and request-human actions answer (real KB, real Redis)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.affirm import ActionDeny
from actions.dossier import ActionStartDossierForm
from actions.follow_ups import MAX_WHO_GOES_WORDS, follow_up_aspect
from actions.handoff import ActionRequestHuman, handoff_requests_key
from actions.handoff_replies import REPLY as HANDOFF_REPLY
from actions.planning import plan_reply
from actions.who_goes import asks_who_goes
from bot.kb import KnowledgeBaseStore, compose_answer
from bot.kb.answers import CHECK_WITH_DESK, WHO_GOES, answer_who_goes, verified_label
from bot.settings import Settings
from tests.labelled import labelled_examples
from tests.project import DOMAIN, KB, KB_DIR
from tests.trackers import answered_events, parsed_message, tracker_after


@pytest.mark.parametrize(
    "text",
    [
        "ca 2 dua co phai di cung ko",
        "co phai mang be theo ko ạ",  # batch 97, after khai sinh
        "làm căn cước cho con 10 tuổi thì bố mẹ có phải đi cùng ko ạ",
        "xin lý lịch tư pháp nhờ bố đi nộp hộ đc k",
        "nhờ con trai đi nộp hồ sơ thay đc k",
        "chồng e đi làm xa k về đc thì e đi một mình có đc k",
        "chu nha phai ky k",
        "đk tạm trú có cần chủ nhà ký ko ạ",
        "bố con tay run ký không được thì điểm chỉ có được không ạ",
        "có cần giấy ủy quyền không, ủy quyền cho em gái",
        "Cho hỏi kêt hôn có bắt buộc cả hai cùng có mặt không",
        "quay lại khai sinh, bố đi làm được ko hay mẹ phải đi",
        "bé có phải đến ko",
        "cháu có cần lên không ạ",
        # Batch 25: alone, "mình" + who + "đi".
        "vk đang ở cữ, mình a đi đc k",
        "thế ai phải đi đăng ký",  # batch 27
        "em ở Hà Nội mấy hôm nữa mới về được, mẹ em đi làm được không",  # batch 28
        # Batches 50 and 51: the errand unsaid, "thì" before it.
        "con trai di dc k",
        "em là cháu thì đi làm dc ko hay phải bố e",
        "2 ng phai cung di ak",
        # Batch 52: a choice ending in "được", and signing back home.
        "ma hom dang ky 2 dua phai di cung hay e di 1 minh dc",
        "bac toi o nam dinh co phai ve ky k",
        # Batch 106: for whom, after the errand; themselves or the owner.
        "ba di dang ky khai sinh thay cho chau dc ko",
        "tui no tu dang ky hay toi dang ky",
        "nha chong minh la nha bo me chong dung ten, co can bo me chong ky k",  # batch 110
    ],
)
def test_questions_about_who_goes(text: str) -> None:
    assert asks_who_goes(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("nop ho so o dau", "nộp hồ sơ, not nộp hộ"),
        ("lam ho chieu bao nhieu tien", "làm hộ chiếu"),
        ("dang ky ho kinh doanh le phi bao nhieu", "đăng ký hộ kinh doanh"),
        ("cap doi cccd co mat phi khong ad", "có mất phí, folded"),
        ("đăng kí kết hôn có mất tềin ko vậy", "có mất (typo), typed with diacritics"),
        ("lệ phí chứng thực chữ ký trên giấy ủy quyền là bao nhiêu", "the paper certified"),
        ("len Yen Tu di cap treo het bao nhieu", "Yên Tử đi"),
        ("nho nguoi that tra loi giup", "an official, not a proxy"),
        ("có mất phí không", "a fee question"),
        ("còn phải đến đâu nữa", "where, not who (còn folds like con)"),
    ],
)
def test_not_questions_about_who_goes(text: str, why: str) -> None:
    assert not asks_who_goes(text), why


@pytest.mark.parametrize("card", list(KB), ids=lambda p: p.id)
def test_every_entry_answers_who_goes_or_says_it_does_not_know(card) -> None:
    text = answer_who_goes(card)
    lines = text.splitlines()
    assert lines[-1] == f"Nguồn: {card.source_for('who_goes', 'summary')} ({verified_label(card)})"
    assert len(text) <= 600
    if card.who_goes:
        assert lines[:2] == [f"Ai phải có mặt, ai được làm thay – {card.name}:", card.who_goes]
        assert (CHECK_WITH_DESK in text) == card.is_uncertain("who_goes")
    else:
        assert lines[0].startswith("Dữ liệu của tôi chưa ghi rõ ai phải có mặt")
        assert "bộ phận một cửa" in text and "gặp cán bộ" in text


def test_the_entries_that_say_who_goes() -> None:
    # Facts already in the entries and their sources (docs/knowledge-base.md, "who_goes").
    assert {p.id for p in KB if p.who_goes} == {
        "ket_hon", "khai_sinh", "khai_tu", "can_cuoc", "ly_lich_tu_phap", "trich_luc_ho_tich",
        "chung_thuc_chu_ky", "thuong_tru", "tam_tru", "dang_ky_xe", "ho_chieu", "giay_phep_lai_xe",
        "xac_nhan_hon_nhan",
    }  # fmt: skip
    assert "không được ủy quyền" in KB.get("ket_hon").who_goes


def _plan(text: str, intent: str, procedure: str) -> list[str]:
    reply = plan_reply(
        KB,
        intent=intent,
        entity_values=[procedure],
        slot_procedure=None,
        last_aspect=None,
        text=text,
        who_goes=asks_who_goes(text),
    )
    return [reply.text, *reply.more]


def test_an_overview_question_about_who_goes_gets_who_goes_only() -> None:
    text = "làm căn cước cho con thì bố mẹ có phải đi cùng ko ạ"
    assert _plan(text, "ask_procedure", "can_cuoc") == [
        compose_answer(KB.get("can_cuoc"), WHO_GOES)
    ]
    # An aspect asked beside it is answered after it.
    card = KB.get("ket_hon")
    text = "cả 2 có phải đi cùng ko, cần mang giấy tờ gì"
    assert _plan(text, "ask_procedure", "ket_hon") == [
        answer_who_goes(card),
        compose_answer(card, "ask_documents"),
    ]
    # An entry that cannot say gets the honest "not known", not a guessed overview.
    (only,) = _plan("làm sổ đỏ nhờ con nộp hộ được không", "ask_procedure", "so_do")
    assert only == answer_who_goes(KB.get("so_do"))


def test_a_guessed_aspect_beside_who_goes_is_left_out() -> None:
    """Batch 27: "chồng tôi có phải đi cùng không hay bố chồng" read as where to file got
    where to file before who goes; it asks no aspect in so many words."""
    card = KB.get("thuong_tru")
    text = "chồng tôi có phải đi cùng không hay bố chồng"
    assert _plan(text, "ask_location", "thuong_tru") == [answer_who_goes(card)]
    text = "chồng tôi có phải đi cùng không, nộp ở đâu"
    assert _plan(text, "ask_location", "thuong_tru") == [
        compose_answer(card, "ask_location"),
        answer_who_goes(card),
    ]


def test_another_aspect_comes_first_and_an_entry_that_cannot_say_says_so() -> None:
    text = "đk tạm trú có cần chủ nhà ký ko ạ"
    card = KB.get("tam_tru")
    assert _plan(text, "ask_documents", "tam_tru") == [
        compose_answer(card, "ask_documents"),
        answer_who_goes(card),
    ]
    # Batch 36: "bác ở nhà làm hộ nó được không" (ask_online) got the online answer alone;
    # the guessed aspect comes with the honest "not known".
    card = KB.get("ho_kinh_doanh")
    assert _plan("mở hộ kinh doanh nộp thay được không", "ask_location", "ho_kinh_doanh") == [
        compose_answer(card, "ask_location"),
        answer_who_goes(card),
    ]
    card = KB.get("bao_hiem_y_te")
    assert _plan("bác ở nhà làm hộ nó được không", "ask_online", "bao_hiem_y_te") == [
        compose_answer(card, "ask_online"),
        answer_who_goes(card),
    ]
    # One that says who goes gives only that (batch 85: "2 đứa đều phải có mặt lúc ký à").
    card = KB.get("xac_nhan_hon_nhan")
    assert _plan("bác ở nhà làm hộ nó được không", "ask_online", "xac_nhan_hon_nhan") == [
        answer_who_goes(card)
    ]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("chu nha phai ky k", ("deny", 0.90)),
        ("ca 2 dua co phai di cung ko", ("out_of_scope", 0.8)),
        ("có cần bố mẹ đi cùng không", ("request_human", 0.51)),
        ("nhờ con trai đi nộp hồ sơ thay đc k", ("check_dossier_status", 0.46)),
        ("ủy quyền được không ạ", ("affirm", 0.6)),
        ("ai di khai", ("nlu_fallback", 0.45)),  # batch 35, after khai tử's documents
        # Batch 13: the question, then a clause telling why.
        ("me e di thay e dc ko, e dang di lam o bac ninh", ("nlu_fallback", 0.4)),
        # Batch 29: a clause telling why, then the question, longer than the limit whole.
        (
            "ck e đi làm ở Móng Cái, e đi một mình làm được ko hay phải cả 2 vc",
            ("nlu_fallback", 0.45),
        ),
        ("2 ng phai cung di ak", ("out_of_scope", 0.76)),  # batch 51: "ak" is "à"
        # Batch 55: a sentence telling, then the one that asks (no comma).
        (
            "Trong số này có 5 em mới 17 tuổi. Các em có tự kê khai được không hay cần bố mẹ "
            "đồng ý?",
            ("nlu_fallback", 0.45),
        ),
    ],
)
def test_a_misread_who_goes_question_follows_up_the_answer(
    text: str, intent: tuple[str, float]
) -> None:
    message = parsed_message(text, [intent, ("ask_procedure", 0.05)])
    assert follow_up_aspect(message, last_aspect="ask_documents") == "ask_procedure"


@pytest.mark.parametrize(
    ("text", "intent", "why"),
    [
        ("nhờ cán bộ làm hộ được không", ("request_human", 0.93), "a sure request stays one"),
        (
            "hồ sơ nhờ con nộp hộ xong chưa",
            ("check_dossier_status", 0.95),
            "a sure status question",
        ),
        ("em làm hộ mẹ", ("deny", 0.6), "no question"),
        ("ko, ko cần ủy quyền", ("deny", 0.95), "no question"),
        (
            "chồng em "
            + "đi làm " * ((MAX_WHO_GOES_WORDS - 5) // 2 + 1)
            + "thì em đi một mình có đc k",
            ("out_of_scope", 0.8),
            "too long to lean on the last answer",
        ),
    ],
)
def test_not_a_who_goes_follow_up(text: str, intent: tuple[str, float], why: str) -> None:
    message = parsed_message(text, [intent, ("ask_procedure", 0.05)])
    assert follow_up_aspect(message) is None, why


async def test_deny_answers_who_must_sign_after_an_answer_and_ok_otherwise() -> None:
    action = ActionDeny(store=KnowledgeBaseStore(directory=KB_DIR))
    message = parsed_message("chu nha phai ky k", [("deny", 0.9), ("ask_documents", 0.05)])
    dispatcher = CollectingDispatcher()
    events = await action.run(
        dispatcher, tracker_after(message, answered_events("tam_tru")), DOMAIN
    )
    assert [m["text"] for m in dispatcher.messages] == [answer_who_goes(KB.get("tam_tru"))]
    assert ("procedure", "tam_tru") in {(e["name"], e["value"]) for e in events}

    for text, before in (("không cần đâu", answered_events("tam_tru")), ("chu nha phai ky k", [])):
        dispatcher = CollectingDispatcher()
        message = parsed_message(text, [("deny", 0.95)])
        assert await action.run(dispatcher, tracker_after(message, before), DOMAIN) == []
        assert [m["response"] for m in dispatcher.messages] == ["utter_ok"], text


async def _handoffs(redis_client: Any, settings: Settings) -> list[dict[str, Any]]:
    raw = await redis_client.lrange(handoff_requests_key(settings), 0, -1)
    return [json.loads(x) for x in raw]


async def test_an_unsure_request_for_an_official_asking_who_goes_is_answered(
    settings: Settings, redis_client: Any
) -> None:
    action = ActionRequestHuman(
        redis=redis_client, settings=settings, store=KnowledgeBaseStore(directory=KB_DIR)
    )
    unsure = parsed_message("có cần bố mẹ đi cùng không", [("request_human", 0.51)])
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker_after(unsure, answered_events("can_cuoc")), DOMAIN)
    assert [m["text"] for m in dispatcher.messages] == [answer_who_goes(KB.get("can_cuoc"))]
    assert await _handoffs(redis_client, settings) == []  # nothing for the console

    sure = parsed_message("cho em gặp cán bộ đi cùng em làm", [("request_human", 0.97)])
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker_after(sure, answered_events("can_cuoc")), DOMAIN)
    assert [m["text"] for m in dispatcher.messages] == [HANDOFF_REPLY]
    assert [r["text"] for r in await _handoffs(redis_client, settings)] == [sure["text"]]


def test_no_everyday_question_reads_as_who_goes() -> None:
    """Right after an answer, a yes/no question read as out of scope is answered from
    ``who_goes`` when its words ask who goes: none of the labelled out-of-scope questions
    (training data and test split) may (``giao hàng tận nhà``, ``nhờ người thật``)."""
    everyday = [t for intent, t in labelled_examples() if intent == "out_of_scope"]
    assert len(everyday) > 1000
    assert [t for t in everyday if asks_who_goes(t)] == []


async def test_an_unsure_status_reading_of_who_goes_is_answered_and_asks_no_code() -> None:
    message = parsed_message(
        "nhờ con trai đi nộp hồ sơ thay đc k", [("check_dossier_status", 0.46)]
    )
    dispatcher = CollectingDispatcher()
    events = await ActionStartDossierForm().run(
        dispatcher, tracker_after(message, answered_events("so_do")), DOMAIN
    )
    assert [m["text"] for m in dispatcher.messages] == [answer_who_goes(KB.get("so_do"))]
    # The rule would run the form next, which asks for a code: the bot listens instead.
    assert events[-1] == {"event": "followup", "name": "action_listen", "timestamp": None}
    # Without an answer just before, it is the status question it reads as.
    dispatcher = CollectingDispatcher()
    events = await ActionStartDossierForm().run(dispatcher, tracker_after(message, []), DOMAIN)
    assert dispatcher.messages == []
    assert ("dossier_purpose", "status") in {(e.get("name"), e.get("value")) for e in events}


def test_both_coming_in_asks_who_goes() -> None:
    """Batches 66, 70, 74: "2 dua co phai cung den k", "Bác phải tự đến ký à", "2 đứa có
    phải cùng ra ko hay 1 đứa ra cũng đc" got "out of scope" or "chưa hiểu"."""
    for text in (
        "2 dua co phai cung den k",
        "Bác phải tự đến ký à",
        "2 đứa có phải cùng ra ko hay 1 đứa ra cũng đc",
    ):
        assert asks_who_goes(text), text
