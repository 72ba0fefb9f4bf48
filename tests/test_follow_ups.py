"""A misread follow-up right after a procedure answer: the pure decision
(``actions.follow_ups``), the bot's turn before a message (``actions.procedures``), and the
fallback and affirm actions that answer it from the knowledge base (real KB, real Redis)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.affirm import ActionAffirm
from actions.aspect_words import asks_only_an_aspect
from actions.fallback import ActionFallback, ActionOutOfScope
from actions.follow_ups import (
    MAX_WORDS,
    THRESHOLD,
    asks_what_about,
    follow_up_aspect,
    states_an_age,
    states_residence,
    tells_residence_and_asks_where,
)
from bot.kb import KnowledgeBaseStore, compose_answer
from bot.kb.unanswered import unanswered_key
from bot.settings import Settings
from tests.labelled import labelled_examples
from tests.project import DOMAIN, KB, KB_DIR
from tests.trackers import answered_events, parsed_message, tracker_after


def test_an_aspect_close_behind_out_of_scope_is_the_follow_up() -> None:
    message = parsed_message("cấp ở đâu", [("out_of_scope", 0.55), ("ask_location", 0.45)])
    assert follow_up_aspect(message) == "ask_location"
    # The FallbackClassifier's nlu_fallback (its threshold as confidence) too.
    unsure = parsed_message(
        "em ở Cô Tô thì sao",
        [("ask_location", 0.41), ("ask_procedure", 0.34)],
        intent=("nlu_fallback", 0.45),
    )
    assert follow_up_aspect(unsure) == "ask_location"


@pytest.mark.parametrize(
    ("message", "why"),
    [
        (
            parsed_message(
                "sửa máy giặt mất bao lâu", [("out_of_scope", 0.75), ("ask_duration", 0.25)]
            ),
            "the best aspect is under the threshold",
        ),
        (
            parsed_message("đổi tiền ở đâu", [("out_of_scope", 1.0), ("ask_location", 0.0)]),
            "nothing but out of scope",
        ),
        (
            parsed_message(
                "cho em hỏi chuyển trường cho con về Hạ Long cần chuẩn bị những gì ạ",
                [("out_of_scope", 0.54), ("ask_documents", 0.46)],
            ),
            "a long message carries its own subject",
        ),
        (
            parsed_message(
                "asdkjh qwpoe",
                [("ask_fee", 0.9)],
                intent=("nlu_fallback", 1.0),
            ),
            "every word unknown (VocabularyFallback)",
        ),
        (
            parsed_message(
                "hộ chiếu ở đâu",
                [("out_of_scope", 0.6), ("ask_location", 0.4)],
                entities=[{"entity": "procedure", "value": "ho_chieu"}],
            ),
            "it names a procedure of its own",
        ),
        (
            parsed_message("lệ phí bao nhiêu", [("ask_fee", 0.99)]),
            "it was read right: the rules answer it",
        ),
        (parsed_message("", [("out_of_scope", 0.5), ("ask_fee", 0.5)]), "no text"),
    ],
)
def test_not_a_follow_up(message: dict[str, Any], why: str) -> None:
    assert follow_up_aspect(message) is None, why


@pytest.mark.parametrize(
    "text",
    [
        "đóng tối thiểu bao nhiêu 1 tháng",
        "người thứ 2 giảm bao nhiêu",
        "dong bn",
        "dong thang bao nhieu",  # batch 35
        "mức đóng thấp nhất bn 1 tháng",  # batch 37
        "đóng mức thấp nhất bao nhiêu 1 tháng",  # batch 43
        "it nhat 1 thang bao nhieu",  # batch 52
        "dong theo 6 thang duoc khong",  # batch 105: how often it is paid
        "1 trang 2k phai k",  # batch 110: a sum to confirm
    ],
)
def test_an_amount_paid_in_is_the_fee(text: str) -> None:
    """Batches 25, 26, 35, 37: after BHYT's answer, what is paid in reads as out of
    scope."""
    message = parsed_message(text, [("out_of_scope", 1.0), ("ask_fee", 0.0)])
    assert follow_up_aspect(message) == "ask_fee"


def test_an_aspect_in_so_many_words_and_hardly_anything_else_is_the_follow_up() -> None:
    """Batch 19: "Thế mua ở đâu hả cháu" (out_of_scope 0.82, ask_location 0.16) after the
    BHYT answer asks where to buy it; "học bơi ở đâu" says what of."""
    ranking = [("out_of_scope", 0.82), ("ask_location", 0.16)]
    assert follow_up_aspect(parsed_message("Thế mua ở đâu hả cháu", ranking)) == "ask_location"
    assert follow_up_aspect(parsed_message("thế còn phí ạ", [("out_of_scope", 0.9)])) == "ask_fee"
    assert follow_up_aspect(parsed_message("học bơi ở đâu", ranking)) is None
    assert follow_up_aspect(parsed_message("mua vàng ở đâu rẻ", ranking)) is None


def test_where_people_live_told_with_where_to_submit_asked() -> None:
    """Batch 23: "vk e ở Móng Cái, e ở Hạ Long thì đky ở đâu" (out_of_scope 0.70) right
    after kết hôn's fee asks where to register; "mua vàng ở đâu" says what of."""
    ranking = [("out_of_scope", 0.70), ("ask_location", 0.26)]
    asked = parsed_message("vk e ở Móng Cái, e ở Hạ Long thì đky ở đâu", ranking)
    assert follow_up_aspect(asked) == "ask_location"
    assert follow_up_aspect(parsed_message("em ở Cẩm Phả thì mua vàng ở đâu", ranking)) is None
    # Batch 52: who is studying where, after lý lịch tư pháp.
    studying = parsed_message("no dang hoc tieng o ha noi thi lam o dau", ranking)
    assert follow_up_aspect(studying) == "ask_location"
    everyday = [t for intent, t in labelled_examples() if intent == "out_of_scope"]
    assert [t for t in everyday if tells_residence_and_asks_where(t)] == []


def test_hardly_any_labelled_out_of_scope_example_is_an_aspect_alone() -> None:
    everyday = [t for intent, t in labelled_examples() if intent == "out_of_scope"]
    assert len(everyday) > 1000
    assert [t for t in everyday if asks_only_an_aspect(t)] == ["nhà bot ở đâu"]


def test_no_labelled_out_of_scope_example_is_a_least_amount_paid_in() -> None:
    """The longer reading of what is paid in ("đóng mức thấp nhất …") takes none of the
    labelled out-of-scope examples ("… hết bao nhiêu tiền", "tiền rác … đóng bao nhiêu")."""
    everyday = [
        parsed_message(t, [("out_of_scope", 0.9)])
        for intent, t in labelled_examples()
        if intent == "out_of_scope" and len(t.split()) > MAX_WORDS
    ]
    assert [m["text"] for m in everyday if follow_up_aspect(m) == "ask_fee"] == []


def test_the_limits_are_at_their_edges() -> None:
    at = parsed_message("cấp ở đâu", [("out_of_scope", 1 - THRESHOLD), ("ask_location", THRESHOLD)])
    assert follow_up_aspect(at) == "ask_location"
    words = " ".join(["ở"] * MAX_WORDS)
    assert follow_up_aspect(parsed_message(words, [("out_of_scope", 0.6), ("ask_fee", 0.4)]))
    longer = parsed_message(words + " đâu", [("out_of_scope", 0.6), ("ask_fee", 0.4)])
    assert follow_up_aspect(longer) is None


@pytest.mark.parametrize(
    "text",
    [
        "e ở Quảng Yên",
        "e đang ở Vân Đồn",
        "e thuê trọ ở Cẩm Phả",
        "nha em o Ha Long",
        "nhà em ở hạ long ạ",
        "quê em ở Bình Liêu",
        "bố mẹ em ở móng cái",
        "em ở thị xã Quảng Yên",
        "em ở xã đảo cô tô",
        "e ở hà lầm nhé",
        "em ở đầm hà",
        "nha e o phuong cao xanh ha long",  # batch 13: ward and town, 8 words
    ],
)
def test_a_statement_of_where_one_lives(text: str) -> None:
    assert states_residence(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("em ở Cô Tô nộp được không", "a question"),
        ("ở Cẩm Phả thì làm đâu", "a question"),
        ("o ba che thi bao lau", "goes on after the place"),
        ("cấp ở đâu", "no place"),
        ("em ở đây", "no place"),
        ("ờ đúng rồi", "'ờ', affirm"),
        ("ơ kìa", "'ơ', surprise"),
        ("o la nguoi that hay may", "'ơ là', a question"),
        ("cảm ơn, em ở hạ long", "thanks first"),
        ("em ở Hà Nội, về Cô Tô xa quá, nộp ngoài này được", "longer than a follow-up"),
    ],
)
def test_not_a_statement_of_where_one_lives(text: str, why: str) -> None:
    assert not states_residence(text), why


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nhà e ở Cô Tô thì sao", True),
        ("nha co 4 nguoi thi sao", True),
        ("thế còn khai sinh thì sao", True),
        ("thì sao ạ", True),
        ("còn lệ phí thì sao", False),
        ("con bn tien thi sao", False),
        ("làm online thì sao", False),
        ("giấy tờ thì sao", False),
        ("xong bước đó rồi thì sao nữa", False),
        ("nhà em ở Cô Tô", False),
    ],
)
def test_what_about_asks_the_last_question_unless_it_asks_its_own(
    text: str, expected: bool
) -> None:
    assert asks_what_about(text) is expected


def test_a_residence_statement_is_where_to_submit_even_read_as_affirm() -> None:
    for intent in ("out_of_scope", "nlu_fallback", "affirm"):
        message = parsed_message(
            "nha em o Ha Long",
            [("affirm", 0.47), ("out_of_scope", 0.36), ("ask_fee", 0.1)],
            intent=(intent, 0.47),
        )
        assert follow_up_aspect(message, last_aspect="ask_fee") == "ask_location", intent
    # Read as affirm, only a residence statement is rescued: the ranking is not trusted.
    ok = parsed_message("ok ạ", [("affirm", 0.6), ("ask_fee", 0.4)])
    assert follow_up_aspect(ok, last_aspect="ask_fee") is None


def test_what_about_takes_the_last_aspect_over_the_ranking() -> None:
    message = parsed_message(
        "nha co 4 nguoi thi sao", [("out_of_scope", 0.6), ("ask_documents", 0.35)]
    )
    assert follow_up_aspect(message, last_aspect="ask_fee") == "ask_fee"
    # With no aspect asked before, the ranking decides as for any misread follow-up.
    assert follow_up_aspect(message) == "ask_documents"


async def _unanswered(redis_client: Any, settings: Settings) -> list[dict[str, Any]]:
    raw = await redis_client.lrange(unanswered_key(settings.redis.key_prefix), 0, -1)
    return [json.loads(x) for x in raw]


@pytest.mark.parametrize("action_class", [ActionOutOfScope, ActionFallback])
async def test_right_after_an_answer_the_misread_follow_up_is_answered(
    action_class: type[ActionFallback], settings: Settings, redis_client: Any
) -> None:
    action = action_class(
        redis=redis_client, settings=settings, store=KnowledgeBaseStore(directory=KB_DIR)
    )
    message = parsed_message(
        "cấp ở đâu",
        [("out_of_scope", 0.55), ("ask_location", 0.45)],
        intent=("nlu_fallback", 0.45) if action_class is ActionFallback else None,
    )
    dispatcher = CollectingDispatcher()
    events = await action.run(
        dispatcher, tracker_after(message, answered_events("can_cuoc")), DOMAIN
    )

    (reply,) = dispatcher.messages
    card = KB.get("can_cuoc")
    assert reply["text"].startswith(f"Nơi nộp hồ sơ {card.name}:")
    assert reply["text"].splitlines()[-1].startswith("Nguồn: https://")
    assert {(e["name"], e["value"]) for e in events} == {
        ("procedure", "can_cuoc"),
        ("last_aspect", "ask_location"),
    }
    assert await _unanswered(redis_client, settings) == []  # answered: no miss for editors


async def test_without_an_answer_just_before_it_stays_out_of_scope(
    settings: Settings, redis_client: Any
) -> None:
    action = ActionOutOfScope(
        redis=redis_client, settings=settings, store=KnowledgeBaseStore(directory=KB_DIR)
    )
    message = parsed_message("cấp ở đâu", [("out_of_scope", 0.55), ("ask_location", 0.45)])
    for before in ([], answered_events(None)):  # a new conversation; a "which one?" question
        dispatcher = CollectingDispatcher()
        assert await action.run(dispatcher, tracker_after(message, before), DOMAIN) == []
        assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]
    assert [e["text"] for e in await _unanswered(redis_client, settings)] == ["cấp ở đâu"] * 2


async def test_affirm_answers_a_residence_statement_after_an_answer_and_ok_with_a_question() -> (
    None
):
    action = ActionAffirm(store=KnowledgeBaseStore(directory=KB_DIR))
    statement = parsed_message(
        "nha em o Ha Long", [("affirm", 0.47), ("out_of_scope", 0.36), ("ask_location", 0.1)]
    )
    dispatcher = CollectingDispatcher()
    events = await action.run(
        dispatcher, tracker_after(statement, answered_events("can_cuoc")), DOMAIN
    )
    (reply,) = dispatcher.messages
    assert reply["text"].startswith(f"Nơi nộp hồ sơ {KB.get('can_cuoc').name}:")
    assert ("last_aspect", "ask_location") in {(e["name"], e["value"]) for e in events}

    for text, before in (("ok ạ", answered_events("can_cuoc")), ("nha em o Ha Long", [])):
        message = parsed_message(text, [("affirm", 0.9), ("ask_location", 0.1)])
        dispatcher = CollectingDispatcher()
        assert await action.run(dispatcher, tracker_after(message, before), DOMAIN) == []
        assert [m["response"] for m in dispatcher.messages] == ["utter_anything_else"], text


async def test_one_miss_in_between_keeps_the_follow_up_but_two_do_not(
    settings: Settings, redis_client: Any
) -> None:
    """Batch 12: "vay la 4 ng thoi nhi" got "chưa hiểu" after the BHYT fee; "mua o dau"
    (out of scope 0.6, ask_location 0.4) is still where to buy BHYT."""
    action = ActionOutOfScope(
        redis=redis_client, settings=settings, store=KnowledgeBaseStore(directory=KB_DIR)
    )

    def missed(text: str) -> list[dict[str, Any]]:
        return [
            {"event": "user", "text": text},
            {"event": "action", "name": "action_fallback"},
            {"event": "bot", "text": "Xin lỗi, tôi chưa hiểu ý bạn…"},
            {"event": "action", "name": "action_listen"},
        ]

    message = parsed_message("mua o dau", [("out_of_scope", 0.6), ("ask_location", 0.4)])
    once = [*answered_events("bao_hiem_y_te"), *missed("vay la 4 ng thoi nhi")]
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker_after(message, once), DOMAIN)
    (reply,) = dispatcher.messages
    assert reply["text"].startswith(f"Nơi nộp hồ sơ {KB.get('bao_hiem_y_te').name}:")
    # Batch 19: the miss was the out-of-scope reply offering the procedure of a life
    # event told ("bà không có lương hưu…"), and the question is the aspect's words alone.
    offered = [
        *answered_events("bao_hiem_y_te"),
        {"event": "user", "text": "Bà không có lương hưu, con cái nuôi thôi cháu ạ"},
        {"event": "action", "name": "action_out_of_scope"},
        {"event": "bot", "text": "Xin lỗi, việc này nằm ngoài phạm vi…"},
        {"event": "slot", "name": "procedure", "value": "bao_hiem_y_te"},
        {"event": "action", "name": "action_listen"},
    ]
    buy = parsed_message("Thế mua ở đâu hả cháu", [("out_of_scope", 0.82), ("ask_location", 0.16)])
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker_after(buy, offered), DOMAIN)
    (reply,) = dispatcher.messages
    assert reply["text"].startswith(f"Nơi nộp hồ sơ {KB.get('bao_hiem_y_te').name}:")
    twice = [*once, *missed("tinh lai giup e")]
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker_after(message, twice), DOMAIN)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_out_of_scope"]


def test_an_aspect_asked_in_so_many_words_read_as_deny_is_the_follow_up() -> None:
    """Batch 53: "thế đi thi ở đâu, có cần học lại k" ends in "k" and reads as deny; it got
    "Dạ vâng". A bare "không" asks nothing."""
    asked = parsed_message("thế đi thi ở đâu, có cần học lại k", [("deny", 0.8)])
    assert follow_up_aspect(asked) == "ask_location"
    assert follow_up_aspect(parsed_message("không cần đâu", [("deny", 0.9)])) is None
    assert follow_up_aspect(parsed_message("ko ở đâu", [("deny", 0.9)])) is None


async def test_a_paper_spoilt_after_an_entry_that_issues_it_again_gets_the_overview() -> None:
    """Batch 60: "bang do de o nha bi chuot can mat 1 goc r" (out of scope) after bằng lái;
    a death told after căn cước is still khai tử's (a life event, not a lost card)."""
    from actions.procedures import ActionAnswerProcedure

    answerer = ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR))
    for text, before, expected in [
        ("bang do de o nha bi chuot can mat 1 goc r", "giay_phep_lai_xe", "giay_phep_lai_xe"),
        ("ba toi mat roi", "can_cuoc", None),
        ("bang do de o nha bi chuot can mat 1 goc r", "khai_sinh", None),
    ]:
        message = parsed_message(text, [("out_of_scope", 0.89)])
        dispatcher = CollectingDispatcher()
        events = answerer.answer_follow_up(
            dispatcher, tracker_after(message, answered_events(before))
        )
        if expected is None:
            assert events is None, text
            continue
        assert events is not None, text
        assert dispatcher.messages[0]["text"] == compose_answer(KB.get(expected), "ask_procedure")


def test_a_short_yes_no_first_clause_asks_its_aspect() -> None:
    """Batch 61: "lm online dc k, e chay xe du lich o bai chay k nghi dc" (out of scope
    0.91) after bằng lái asks whether it can be done online; the rest tells why."""
    text = "lm online dc k, e chay xe du lich o bai chay k nghi dc"
    assert follow_up_aspect(parsed_message(text, [("out_of_scope", 0.91)])) == "ask_online"
    # So is an aspect asked in hardly another word ("Có mất tiền không cháu . Lương hưu bác
    # ít", batch 70; "nop o dau, …").
    for other, aspect in [
        ("Có mất tiền không cháu . Lương hưu bác ít", "ask_fee"),
        ("nop o dau, nha e o xa lam k di duoc nhieu", "ask_location"),
    ]:
        assert follow_up_aspect(parsed_message(other, [("out_of_scope", 0.91)])) == aspect, other
    # A first clause that tells, or asks of something else, is no such question.
    for other in (
        "e o xa, lm online dc k ha ad oi",
        "mua vang o dau re, nha e o ha long ban nhieu lam",
    ):
        assert follow_up_aspect(parsed_message(other, [("out_of_scope", 0.91)])) is None, other


def test_where_people_live_told_in_comma_clauses_then_here() -> None:
    """Batch 61: "e dang lm o quang ninh, que o nam dinh, sua o day dc k" after căn cước's
    place got "chưa hiểu"."""
    assert tells_residence_and_asks_where("e dang lm o quang ninh, que o nam dinh, sua o day dc k")


async def test_out_of_scope_readings_of_lost_papers_why_and_the_bot_hours(
    settings: Settings, redis_client: Any
) -> None:
    """Batch 66: "hom qua uong ruou say mat vi, mat ca cccd voi cavet xe" (out of scope)
    got "out of scope"; batch 67: "sao lai the, anh e lam o mo tan ca tuan moi ve" after
    kết hôn's who-goes too; batch 68: "ma ad tra loi ca chu nhat a" got "chưa hiểu"."""
    from actions.about_the_bot import MSG_ANSWERS_ANYTIME
    from actions.procedures import MSG_NOTHING_MORE

    action = ActionOutOfScope(
        redis=redis_client, settings=settings, store=KnowledgeBaseStore(directory=KB_DIR)
    )
    text = "hom qua uong ruou say mat vi, mat ca cccd voi cavet xe"
    entities = [
        {"entity": "procedure", "value": "can_cuoc", "start": text.index("cccd"),
         "end": text.index("cccd") + 4},
        {"entity": "procedure", "value": "dang_ky_xe", "start": text.index("cavet xe"),
         "end": text.index("cavet xe") + 8},
    ]  # fmt: skip
    message = parsed_message(text, [("out_of_scope", 0.5)], entities=entities)
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker_after(message, []), DOMAIN)
    assert [m["text"] for m in dispatcher.messages] == [
        compose_answer(KB.get("can_cuoc"), "ask_procedure"),
        compose_answer(KB.get("dang_ky_xe"), "ask_procedure"),
    ]
    message = parsed_message(
        "sao lai the, anh e lam o mo tan ca tuan moi ve", [("out_of_scope", 0.9)]
    )
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker_after(message, answered_events("ket_hon")), DOMAIN)
    assert dispatcher.messages[0]["text"] == MSG_NOTHING_MORE.format(name=KB.get("ket_hon").name)
    message = parsed_message("ma ad tra loi ca chu nhat a", [("out_of_scope", 0.6)])
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker_after(message, []), DOMAIN)
    assert [m["text"] for m in dispatcher.messages] == [MSG_ANSWERS_ANYTIME]


def test_must_one_come_ending_in_à_asks_who_goes() -> None:
    """Batch 70: "ca 2 nguoi phai cung den a" and "Bác phải tự đến ký à, chân bác yếu lắm"
    after kết hôn and chứng thực chữ ký got "out of scope"."""
    for text in ("ca 2 nguoi phai cung den a", "Bác phải tự đến ký à , chân bác yếu lắm"):
        message = parsed_message(text, [("out_of_scope", 0.9)])
        assert follow_up_aspect(message) == "ask_procedure", text


@pytest.mark.parametrize(
    ("text", "ranking", "expected"),
    [
        # Batch 80: circumstances told first, the sum asked last (out of scope 0.80).
        (
            "vay nha e 2 nguoi lon 2 dua nho 4 tuoi voi 9 tuoi thi tong bao nhieu",
            [("out_of_scope", 0.8), ("ask_fee", 0.11)],
            "ask_fee",
        ),
        # Batch 76: where she was born and lives told, whether she must go back asked.
        (
            "mẹ tôi sinh năm 1958 ở Thái Bình, giờ ở Đông Triều thì có phải về tận Thái Bình k",
            [("out_of_scope", 0.9)],
            "ask_location",
        ),
        # Batch 80: where he studies told, whether it can be done there asked.
        (
            "nó đang học tiếng ở hà nội thì làm ở hà nội được ko",
            [("out_of_scope", 0.92), ("ask_procedure", 0.04)],
            "ask_location",
        ),
        # Something else done or wanted first: that is what the question is of.
        (
            "chồng em người Trung Quốc muốn gia hạn visa thì làm ở đâu ạ",
            [("out_of_scope", 0.95)],
            None,
        ),
        ("công ty nợ lương 3 tháng thì kiện ở đâu ạ", [("out_of_scope", 0.95)], None),
        # Batch 76: going in person, read as a request for an official.
        (
            "thôi để chở mẹ ra làm trực tiếp, ở đâu",
            [("request_human", 0.55), ("ask_location", 0.26)],
            "ask_location",
        ),
        # Batch 76: no smartphone, right after an answer: where to go instead.
        (
            "Bác cũng không có điện thoại thông minh, chỉ có cái điện thoại bấm số thôi",
            [("out_of_scope", 0.9)],
            "ask_location",
        ),
        # Batch 77: "rứa ai đi khai cho mệ" asks who goes (Central Vietnamese "rứa").
        ("rứa ai đi khai cho mệ, con gái mệ đi làm suốt", [("out_of_scope", 0.8)], "ask_procedure"),
        # Batch 105: no smartphone told, the papers to bring in person asked.
        (
            "toi khong co dien thoai thong minh, lam truc tiep can mang gi",
            [("nlu_fallback", 0.45), ("ask_online", 0.41)],
            "ask_documents",
        ),
        # Batches 106, 107: who goes asked in the last clause of a long story, or first.
        (
            "tôi làm ở tphcm, lo đám xong phải bay vào luôn, em gái tôi ở nhà đi làm thay "
            "được không",
            [("out_of_scope", 0.7)],
            "ask_procedure",
        ),
        (
            "có bắt buộc cả 3 anh em phải có mặt k, em út tôi đang làm ở Đài Loan",
            [("nlu_fallback", 0.45), ("out_of_scope", 0.4)],
            "ask_procedure",
        ),
        # Batch 107: an aspect a clause.
        ("doi o dau, het bn", [("out_of_scope", 0.67), ("ask_fee", 0.26)], "ask_location"),
        ("ở đâu, mất bao lâu", [("out_of_scope", 0.6)], "ask_location"),
    ],
)
def test_questions_asked_after_what_is_told(
    text: str, ranking: list[tuple[str, float]], expected: str | None
) -> None:
    assert follow_up_aspect(parsed_message(text, ranking)) == expected


def test_few_labelled_out_of_scope_messages_ask_last_of_the_procedure() -> None:
    """Every labelled out-of-scope example of more than ``MAX_WORDS`` words, read as a
    follow-up: one of 1,013 is taken since the last-clause reading (`_asked_last`) came
    in, none before ("thi chứng chỉ B1 … thì đki ở đâu", where "thi" is the exam)."""
    long_ones = [
        t
        for intent, t in labelled_examples()
        if intent == "out_of_scope" and MAX_WORDS < len(t.split()) <= 20
    ]
    taken = [t for t in long_ones if follow_up_aspect(parsed_message(t, [("out_of_scope", 0.9)]))]
    assert len(long_ones) > 1000 and len(taken) <= 1, taken


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("no 15 tuoi, hoc lop 10", True),  # batch 105, after căn cước's place
        ("bé dưới 6 tuổi ạ", True),  # batch 104, after BHYT
        ("me chi 76 tuoi roi", True),
        ("cháu sinh tháng 2 năm 2011", True),  # batch 108, after căn cước
        ("con 8 tuoi co phai mua ko", False),  # asks
        ("trẻ 5 tuổi làm ở đâu", False),  # asks where
        ("làm căn cước cho con", False),  # no age
    ],
)
def test_an_age_told(text: str, told: bool) -> None:
    assert states_an_age(text) is told


@pytest.mark.parametrize("action_class", [ActionOutOfScope, ActionFallback])
async def test_an_age_told_after_an_answer_gets_who_goes_by_age_or_what_more(
    action_class: type[ActionFallback], settings: Settings, redis_client: Any
) -> None:
    """Batch 105: "no 15 tuoi, hoc lop 10" after căn cước got "out of scope"; its entry
    says who must go by age. BHYT's does not: what more to know."""
    action = action_class(
        redis=redis_client, settings=settings, store=KnowledgeBaseStore(directory=KB_DIR)
    )
    message = parsed_message(
        "no 15 tuoi, hoc lop 10",
        [("out_of_scope", 0.99)],
        intent=("nlu_fallback", 0.45) if action_class is ActionFallback else None,
    )
    dispatcher = CollectingDispatcher()
    events = await action.run(
        dispatcher, tracker_after(message, answered_events("can_cuoc")), DOMAIN
    )
    assert [m["text"] for m in dispatcher.messages] == [
        compose_answer(KB.get("can_cuoc"), "who_goes")
    ]
    assert ("procedure", "can_cuoc") in {(e["name"], e["value"]) for e in events}
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker_after(message, answered_events("bao_hiem_y_te")), DOMAIN)
    [reply] = dispatcher.messages
    assert reply["text"].startswith("Bạn muốn biết thêm gì về")
    assert {b["payload"] for b in reply["buttons"]} >= {"/request_human"}
