"""The real action classes, run on rasa_sdk Trackers with a CollectingDispatcher."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.history import BotTurn
from actions.not_covered import MSG_NOT_COVERED, TAXES
from actions.planning import (
    Reply,
    asks_about_papers,
    asks_when_the_dossier_is_done,
    aspect_buttons,
    button_payload,
    names_jointly,
    only_names,
    plan_reply,
)
from actions.procedures import (
    BUTTONS_OFFICIAL,
    MSG_BEYOND_DATA,
    MSG_HOURS_UNKNOWN,
    MSG_NOTHING_MORE,
    ActionAnswerProcedure,
)
from actions.repeats import repeats_the_answer
from actions.yes_no import asks_yes_no
from bot.kb import KnowledgeBaseStore, compose_answer
from bot.kb.answers import CHECK_WITH_DESK
from tests.project import DOMAIN, KB, KB_DIR
from tests.trackers import (
    Conversation,
    answered_events,
    listening_tracker,
    parsed_message,
    tracker_after,
)


@pytest.fixture
def conversation() -> Conversation:
    return Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))


async def test_the_procedure_carries_over_between_turns(conversation: Conversation) -> None:
    msgs, _ = await conversation.say("lam giay khai sinh can gi", "ask_documents", "khai_sinh")
    assert "Giấy chứng sinh" in msgs[0]["text"]
    assert conversation.slots == {"procedure": "khai_sinh", "last_aspect": "ask_documents"}

    msgs, _ = await conversation.say("con le phi", "ask_fee")
    assert msgs[0]["text"].startswith("Lệ phí Đăng ký khai sinh:")
    assert "Miễn lệ phí" in msgs[0]["text"]
    assert conversation.slots["last_aspect"] == "ask_fee"

    msgs, _ = await conversation.say("nop o dau", "ask_location")
    assert msgs[0]["text"].startswith("Nơi nộp hồ sơ Đăng ký khai sinh:")
    assert "cấp xã" in msgs[0]["text"]
    assert msgs[0]["text"].splitlines()[-1].startswith("Nguồn: https://")


async def test_an_alias_in_the_text_is_used_when_the_entity_was_missed(
    conversation: Conversation,
) -> None:
    await conversation.say("làm khai sinh cần gì", "ask_documents", "khai_sinh")
    msgs, _ = await conversation.say("còn lệ phí làm hộ chiếu thì sao", "ask_fee")
    assert "100.000 đ" in msgs[0]["text"]
    assert conversation.slots["procedure"] == "ho_chieu"


async def test_unknown_procedure_asks_which_one_then_a_name_answers_the_aspect(
    conversation: Conversation,
) -> None:
    msgs, _ = await conversation.say("lệ phí bao nhiêu vậy", "ask_fee")
    assert "lệ phí của thủ tục nào" in msgs[0]["text"]
    assert msgs[0]["buttons"] == []
    assert conversation.slots == {"procedure": None, "last_aspect": "ask_fee"}

    msgs, _ = await conversation.say("hộ chiếu", "ask_procedure", "ho_chieu", name="hộ chiếu")
    assert msgs[0]["text"].startswith("Lệ phí Cấp hộ chiếu phổ thông ở trong nước:")
    assert conversation.slots == {"procedure": "ho_chieu", "last_aspect": "ask_fee"}

    # A new procedure named on its own after an answer keeps the aspect too.
    msgs, _ = await conversation.say(
        "còn bằng lái thì sao ạ", "ask_procedure", "giay_phep_lai_xe", name="bằng lái"
    )
    assert msgs[0]["text"].startswith("Lệ phí")
    assert "135.000 đ" in msgs[0]["text"]
    assert conversation.slots["last_aspect"] == "ask_fee"

    # A question of its own about a procedure gets the overview.
    msgs, _ = await conversation.say(
        "làm bằng lái thế nào", "ask_procedure", "giay_phep_lai_xe", name="bằng lái"
    )
    assert not msgs[0]["text"].startswith("Lệ phí")  # the overview starts with the name
    assert conversation.slots["last_aspect"] == "ask_procedure"


async def test_an_answer_to_which_one_keeps_the_aspect_even_with_more_words(
    conversation: Conversation,
) -> None:
    await conversation.say("lệ phí bao nhiêu vậy", "ask_fee")
    msgs, _ = await conversation.say(
        "hộ chiếu cho con 5 tuổi", "ask_procedure", "ho_chieu", name="hộ chiếu"
    )
    assert msgs[0]["text"].startswith("Lệ phí Cấp hộ chiếu phổ thông")


async def test_what_about_after_an_answer_asks_the_last_question_again(
    conversation: Conversation,
) -> None:
    await conversation.say("khai sinh cho bé nộp ở đâu", "ask_location", "khai_sinh")
    # The classifier guessed documents; "X thì sao" asks where again, for Cô Tô.
    msgs, _ = await conversation.say("nhà e ở Cô Tô thì sao", "ask_documents")
    assert msgs[0]["text"].startswith("Nơi nộp hồ sơ Đăng ký khai sinh:")
    # A new procedure in it keeps the aspect too ("thế" is no follow-up word of its own).
    await conversation.say("khai tử hết bao nhiêu", "ask_fee", "khai_tu")
    msgs, _ = await conversation.say(
        "thế còn khai sinh thì sao", "ask_procedure", "khai_sinh", name="khai sinh"
    )
    assert msgs[0]["text"].startswith("Lệ phí Đăng ký khai sinh:")
    # It asks an aspect of its own: that aspect.
    msgs, _ = await conversation.say("làm online thì sao", "ask_online")
    assert msgs[0]["text"].startswith("Đăng ký khai sinh: có thể làm trực tuyến")


async def test_what_about_with_no_answer_just_before_is_read_as_classified(
    conversation: Conversation,
) -> None:
    await conversation.say("khai sinh cho bé nộp ở đâu", "ask_location", "khai_sinh")
    conversation.other_turn("cảm ơn", "utter_thank")
    msgs, _ = await conversation.say("nhà em ở Cô Tô thì sao", "ask_documents")
    assert msgs[0]["text"].startswith("Hồ sơ Đăng ký khai sinh gồm:")


async def test_two_questions_in_one_message_get_both_answers_in_order(
    conversation: Conversation,
) -> None:
    msgs, _ = await conversation.say(
        "đổi bằng lái ô tô hết bao nhiêu tiền và mất mấy ngày vậy ad",
        "ask_fee",
        "giay_phep_lai_xe",
        name="bằng lái ô tô",
    )
    name = "Cấp đổi, cấp lại giấy phép lái xe"
    assert [m["text"].splitlines()[0] for m in msgs] == [
        f"Lệ phí {name}:",
        f"Thời gian giải quyết {name}:",
    ]
    assert conversation.slots["last_aspect"] == "ask_fee"
    # The classifier's aspect second in the message: still in the order asked.
    msgs, _ = await conversation.say("nộp ở đâu, làm online được không", "ask_online")
    assert [m["text"].splitlines()[0] for m in msgs] == [
        f"Nơi nộp hồ sơ {name}:",
        f"{name}: có thể làm trực tuyến.",
    ]
    # One question with another aspect's word in it: one answer.
    msgs, _ = await conversation.say("làm online có được giảm phí không", "ask_fee")
    assert len(msgs) == 1 and msgs[0]["text"].startswith(f"Lệ phí {name}")


async def test_a_lost_birth_certificate_is_a_copy_of_the_register(
    conversation: Conversation,
) -> None:
    msgs, _ = await conversation.say(
        "e bị mất giấy khai sinh bản chính thì xin lại như thế nào",
        "ask_procedure",
        "khai_sinh",
        name="giấy khai sinh",
    )
    assert msgs[0]["text"].startswith("Cấp bản sao trích lục hộ tịch")
    assert conversation.slots["procedure"] == "trich_luc_ho_tich"
    msgs, _ = await conversation.say("bn tien 1 ban", "ask_fee")
    assert msgs[0]["text"].startswith("Lệ phí Cấp bản sao trích lục hộ tịch")
    # Registering a birth is still khai sinh.
    msgs, _ = await conversation.say(
        "làm giấy khai sinh mất bao lâu", "ask_duration", "khai_sinh", name="giấy khai sinh"
    )
    assert msgs[0]["text"].startswith("Thời gian giải quyết Đăng ký khai sinh")
    # Batch 31: the record and its copy both named, the record lost: the copy, not "which?".
    text = (
        "Tôi làm mất giấy khai sinh rồi, giờ làm hồ sơ cần bản sao giấy khai sinh thì xin lại ở đâu"
    )
    msgs, _ = await conversation.say(
        text,
        "ask_location",
        named={"mất giấy khai sinh": "khai_sinh", "bản sao giấy khai sinh": "trich_luc_ho_tich"},
    )
    assert msgs[0]["text"].startswith("Nơi nộp hồ sơ Cấp bản sao trích lục hộ tịch")


async def test_which_one_is_forgotten_once_the_conversation_moved_on(
    conversation: Conversation,
) -> None:
    await conversation.say("lệ phí bao nhiêu vậy", "ask_fee")
    conversation.other_turn("xin chào", "utter_greet")
    msgs, _ = await conversation.say(
        "hộ chiếu cho con 5 tuổi", "ask_procedure", "ho_chieu", name="hộ chiếu"
    )
    assert not msgs[0]["text"].startswith("Lệ phí")
    assert conversation.slots["last_aspect"] == "ask_procedure"


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("hộ chiếu", "hộ chiếu", True),
        ("còn bằng lái thì sao ạ", "bằng lái", True),
        ("con bang lai thi sao a", "bang lai", True),
        ("dạ tôi hỏi về vụ sổ đỏ nhé 🙏", "sổ đỏ", True),
        ("làm bằng lái thế nào", "bằng lái", False),
        ("làm hộ chiếu thế nào", "làm hộ chiếu", False),  # the alias holds the "làm"
        ("làm hộ chiếu sao", "làm hộ chiếu", False),
        ("còn làm hộ chiếu thì sao", "làm hộ chiếu", True),
        ("hộ chiếu cho con 5 tuổi", "hộ chiếu", False),
        ("thế còn hộ chiếu?", "hộ chiếu", True),
    ],
)
def test_only_names(text: str, name: str, expected: bool) -> None:
    start = text.index(name)
    assert only_names(text, [(start, start + len(name))]) is expected


def test_only_names_needs_a_name() -> None:
    assert only_names("thì sao ạ", []) is False


async def test_an_ambiguous_name_offers_buttons_that_answer_the_aspect(
    conversation: Conversation,
) -> None:
    msgs, _ = await conversation.say("công chứng ở đâu", "ask_location", "công chứng")
    (msg,) = msgs
    assert "nơi nộp của thủ tục nào" in msg["text"]
    payloads = {b["payload"] for b in msg["buttons"]}
    assert payloads == {
        '/ask_location{"procedure":"chung_thuc_ban_sao"}',
        '/ask_location{"procedure":"chung_thuc_chu_ky"}',
    }
    assert {b["title"] for b in msg["buttons"]} == {
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "Chứng thực chữ ký trong giấy tờ, văn bản",
    }
    assert conversation.slots["procedure"] is None

    # The click arrives as /ask_location{"procedure":"chung_thuc_ban_sao"}.
    msgs, _ = await conversation.say(button_payload("ask_location", "chung_thuc_ban_sao"),
                                     "ask_location", "chung_thuc_ban_sao")  # fmt: skip
    assert msgs[0]["text"].startswith("Nơi nộp hồ sơ Chứng thực bản sao")


def _both_copies(aspect: str) -> list[str]:
    """The ``aspect`` answers of the two procedures "công chứng" names."""
    return [compose_answer(KB.get(p), aspect) for p in ("chung_thuc_ban_sao", "chung_thuc_chu_ky")]


async def _offered_both(action: ActionAnswerProcedure) -> Conversation:
    """A conversation where "công chứng ở đâu" was asked: "which one?" offered both."""
    conversation = Conversation(action)
    await conversation.say("công chứng ở đâu", "ask_location", "công chứng")
    return conversation


async def test_a_new_question_after_which_one_is_answered_for_the_procedures_offered(
    conversation: Conversation,
) -> None:
    """Asking "which one?" again for each new aspect left citizens who pass the buttons
    over stuck (batches 34, 45: three questions in a row got "which one?"); an aspect asked
    right after two were offered is answered for both."""
    action = conversation.action
    msgs, _ = await (await _offered_both(action)).say("mất bao lâu thế", "ask_duration")
    assert [m["text"] for m in msgs] == _both_copies("ask_duration")
    # "cái đầu" points at the first procedure offered (batch 24).
    first = await _offered_both(action)
    msgs, _ = await first.say("cái đầu mất bao lâu", "ask_duration")
    assert msgs[0]["text"].startswith("Thời gian giải quyết Chứng thực bản sao")
    # … and "cái kia" next the other one (batch 24 got the first one's time again).
    msgs, _ = await first.say("còn cái kia mất bao lâu", "ask_duration")
    assert msgs[0]["text"].startswith("Thời gian giải quyết Chứng thực chữ ký")
    # One reply that missed in between keeps the offer (batch 19: "chủ cũ ở tận Hải Phòng
    # thì sao" got "out of scope", then "lệ phí bn ạ" lost the procedures offered)…
    again = await _offered_both(action)
    again.other_turn("chủ cũ ở tận Hải Phòng thì sao", "action_out_of_scope")
    msgs, _ = await again.say("lệ phí bn ạ", "ask_fee")
    assert [m["text"] for m in msgs] == _both_copies("ask_fee")
    # … but once the conversation has moved on, the offer is forgotten.
    moved = await _offered_both(action)
    moved.other_turn("cảm ơn", "utter_thank")
    msgs, _ = await moved.say("mất bao lâu thế", "ask_duration")
    assert msgs[0]["buttons"] == []


async def test_a_dossier_code_in_an_aspect_question_looks_the_dossier_up() -> None:
    """Batch 21: "e vua nop online r, ma 000.00.12.H49-251002-0015" read as ask_online
    0.88 got how to apply for BHYT online; the citizen gave the code of a dossier."""
    action = ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR))
    text = "e vua nop online r, ma 000.00.12.H49-251002-0015"
    message = parsed_message(text, [("ask_online", 0.88)])
    dispatcher = CollectingDispatcher()
    events = await action.run(
        dispatcher, tracker_after(message, answered_events("bao_hiem_y_te")), DOMAIN
    )
    assert dispatcher.messages == []
    assert [(e["event"], e.get("name"), e.get("value")) for e in events] == [
        ("slot", "dossier_code", "000.00.12.H49-251002-0015"),
        ("followup", "action_check_dossier_status", None),
    ]


async def test_a_paper_not_held_after_an_overview_gets_the_documents(
    conversation: Conversation,
) -> None:
    """Batch 19: after thường trú's overview, "nha chua co so hong, moi co hop dong mua ban
    voi chu dau tu" got sổ đỏ's overview; the documents say what proves the home."""
    await conversation.say("chuyen ho khau ve nha moi mua", "ask_procedure", "thuong_tru")
    text = "nha chua co so hong, moi co hop dong mua ban voi chu dau tu"
    msgs, _ = await conversation.say(text, "ask_procedure", "so_do", name="so hong")
    assert msgs[0]["text"].startswith("Hồ sơ Đăng ký thường trú gồm:")
    assert conversation.slots == {"procedure": "thuong_tru", "last_aspect": "ask_documents"}
    # Owned ("có sổ hồng rồi") is no paper missing: the question keeps its aspect.
    msgs, _ = await conversation.say(
        "có sổ hồng rồi thì làm ở đâu", "ask_location", "so_do", name="sổ hồng"
    )
    assert msgs[0]["text"].startswith("Nơi nộp hồ sơ Đăng ký thường trú:")


async def test_a_paper_not_held_or_a_home_elsewhere_told_with_what_about(
    conversation: Conversation,
) -> None:
    """Batch 25: "X thì sao" asks the last question again, except when it tells a paper
    not held (the documents say what stands in) or where someone lives (where to file)."""
    await conversation.say("làm hộ chiếu cho con trai 8 tuổi", "ask_procedure", "ho_chieu")
    msgs, _ = await conversation.say(
        "cháu chưa có cccd thì sao", "ask_procedure", "can_cuoc", name="cccd"
    )
    assert msgs[0]["text"].startswith("Hồ sơ Cấp hộ chiếu phổ thông ở trong nước gồm:")
    assert "Trẻ dưới 14 tuổi" in msgs[0]["text"]
    await conversation.say("đk kết hôn cần mang gì", "ask_documents", "ket_hon")
    msgs, _ = await conversation.say(
        "ny mk hộ khẩu ở Hải Phòng thì sao ạ", "ask_procedure", "thuong_tru", name="hộ khẩu"
    )
    assert msgs[0]["text"].startswith("Nơi nộp hồ sơ Đăng ký kết hôn:")
    assert conversation.slots == {"procedure": "ket_hon", "last_aspect": "ask_location"}


async def test_a_held_paper_named_before_the_question_is_not_asked_about(
    conversation: Conversation,
) -> None:
    """Batch 26: "cccd e có rồi" in a long message asking about a passport got "which
    procedure?"."""
    text = (
        "e năm nay 17 tuổi, bố mẹ đi làm ăn ở Bình Dương, cccd e có rồi, giờ e muốn hỏi là "
        "e tự đi làm hộ chiếu được không hay phải có bố mẹ ạ"
    )
    msgs, _ = await conversation.say(
        text, "ask_procedure", named={"cccd": "can_cuoc", "hộ chiếu": "ho_chieu"}
    )
    assert msgs[0]["text"].startswith("Ai phải có mặt, ai được làm thay – Cấp hộ chiếu")
    assert conversation.slots["procedure"] == "ho_chieu"


async def test_a_shared_name_is_narrowed_by_the_event_or_kept_by_an_either_or_question(
    conversation: Conversation,
) -> None:
    """Batch 26: "chứng thực" is two procedures; "làm giấy ủy quyền" says which. "có đc
    không hay phải công chứng" after đăng ký xe asks what đăng ký xe needs."""
    msgs, _ = await conversation.say(
        "muốn làm giấy ủy quyền cho em trai đi rút tiền hộ thì chứng thực ở đâu", "ask_location"
    )
    assert msgs[0]["text"].startswith("Nơi nộp hồ sơ Chứng thực chữ ký")
    await conversation.say("mua lại xe máy cũ thì sang tên thế nào", "ask_procedure", "dang_ky_xe")
    msgs, _ = await conversation.say(
        "giấy mua bán viết tay có đc không hay phải công chứng", "ask_documents"
    )
    assert msgs[0]["text"].startswith("Hồ sơ Đăng ký xe")


async def test_going_back_by_part_of_a_name_answers_the_earlier_procedure(
    conversation: Conversation,
) -> None:
    """Batch 25: "còn sang tên thì thời gian bao lâu ạ" after sổ đỏ, then khai tử and
    trích lục, got trích lục's time."""
    await conversation.say("giờ sang tên sổ đỏ cho mẹ e thì làm sao", "ask_procedure", "so_do")
    await conversation.say("giấy chứng tử thì sao", "ask_procedure", "khai_tu")
    await conversation.say("trích lục thì mất phí k", "ask_fee", "trich_luc_ho_tich")
    msgs, _ = await conversation.say("còn sang tên thì thời gian bao lâu ạ", "ask_duration")
    assert msgs[0]["text"].startswith("Thời gian giải quyết Đăng ký đất đai")
    assert conversation.slots["procedure"] == "so_do"


async def test_opening_hours_asked_of_no_procedure_are_said_to_be_unknown(
    conversation: Conversation,
) -> None:
    """Batch 29: "trung tâm hành chính công tỉnh mở cửa mấy h vậy, thứ 7 có làm ko" got
    "where to file which procedure?" ("tỉnh" folds like "tính", which counted days)."""
    text = "trung tâm hành chính công tỉnh mở cửa mấy h vậy, thứ 7 có làm ko"
    msgs, _ = await conversation.say(text, "ask_location")
    assert [(m["text"], m["buttons"]) for m in msgs] == [(MSG_HOURS_UNKNOWN, BUTTONS_OFFICIAL)]
    assert conversation.slots == {"procedure": None, "last_aspect": None}


async def test_of_the_closest_procedures_the_one_a_word_of_its_own_names_is_answered(
    conversation: Conversation,
) -> None:
    """Batch 32: "… xây thành nhà 2 tầng, có phải xin giấy phép không" offered giấy phép
    xây dựng and giấy phép lái xe; "xây" is a word of the first's names only."""
    text = "nha bac dinh pha cai nha cap 4 xay thanh nha 2 tang, co phai xin giay phep khong"
    msgs, _ = await conversation.say(text, "ask_procedure")
    assert msgs[0]["text"].startswith("Cấp giấy phép xây dựng nhà ở riêng lẻ")


async def test_copies_named_with_chung_thuc_are_certified_copies(
    conversation: Conversation,
) -> None:
    """Batch 29: "chứng thực 15 bản photo …" asked which chứng thực."""
    msgs, _ = await conversation.say("chứng thực 15 bản photo thì bao nhiêu", "ask_fee")
    assert msgs[0]["text"].startswith("Lệ phí Chứng thực bản sao từ bản chính")
    # Batch 31: diplomas and school records are copied.
    msgs, _ = await conversation.say(
        "e cần công chứng mấy cái bằng với học bạ để nộp hồ sơ xin việc, làm ở đâu cho nhanh",
        "ask_location",
    )
    assert msgs[0]["text"].startswith("Nơi nộp hồ sơ Chứng thực bản sao từ bản chính")


async def test_a_name_of_several_written_out_beats_the_procedure_carried_over(
    conversation: Conversation,
) -> None:
    await conversation.say("xin giấy xác nhận độc thân", "ask_procedure", "xac_nhan_hon_nhan")
    # No entity: the extractor leaves out a name that several procedures share.
    msgs, _ = await conversation.say("công chứng ở đâu", "ask_location")
    assert [b["payload"] for b in msgs[0]["buttons"]] == [
        button_payload("ask_location", "chung_thuc_ban_sao"),
        button_payload("ask_location", "chung_thuc_chu_ky"),
    ]
    assert conversation.slots["procedure"] is None
    # A yes/no question asks what the procedure discussed needs.
    await conversation.say("sang tên sổ đỏ", "ask_procedure", "so_do")
    msgs, _ = await conversation.say("có cần công chứng hợp đồng không", "ask_documents")
    assert msgs[0]["text"].startswith("Hồ sơ Đăng ký đất đai")


async def test_a_paper_asked_for_after_an_answer_is_a_paper_of_that_procedure(
    conversation: Conversation,
) -> None:
    await conversation.say("làm hộ chiếu cần gì", "ask_documents", "ho_chieu")
    msgs, _ = await conversation.say(
        "có cần mang căn cước không", "ask_documents", "can_cuoc", name="căn cước"
    )
    assert msgs[0]["text"].startswith("Hồ sơ Cấp hộ chiếu phổ thông")
    assert conversation.slots["procedure"] == "ho_chieu"
    msgs, _ = await conversation.say(
        "can giay khai sinh ko a", "ask_documents", "khai_sinh", name="giay khai sinh"
    )
    assert msgs[0]["text"].startswith("Hồ sơ Cấp hộ chiếu phổ thông")
    # Not a question whether it is needed: the citizen wants the paper itself.
    msgs, _ = await conversation.say(
        "em cần giấy khai sinh", "ask_documents", "khai_sinh", name="giấy khai sinh"
    )
    assert msgs[0]["text"].startswith("Hồ sơ Đăng ký khai sinh")
    # Batch 25: the copy asked of it ("giấy kết hôn bản photo đc ko" after thường trú).
    await conversation.say("nhập khẩu về nhà chồng thì làm thế nào", "ask_procedure", "thuong_tru")
    msgs, _ = await conversation.say(
        "giấy kết hôn bản photo đc ko", "ask_documents", "ket_hon", name="giấy kết hôn"
    )
    assert msgs[0]["text"].startswith("Hồ sơ Đăng ký thường trú gồm:")
    assert conversation.slots["procedure"] == "thuong_tru"


async def test_a_paper_asked_for_with_nothing_discussed_is_asked_about(
    conversation: Conversation,
) -> None:
    msgs, _ = await conversation.say(
        "có cần mang căn cước không", "ask_documents", "can_cuoc", name="căn cước"
    )
    assert msgs[0]["text"].startswith("Hồ sơ Cấp, cấp đổi, cấp lại thẻ căn cước")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("có cần mang căn cước không", True),
        ("cần giấy khai sinh ko ạ", True),
        ("can so ho khau k ad", True),
        ("phải mang sổ hộ khẩu hả", True),
        ("mang theo căn cước?", True),
        ("em cần giấy khai sinh", False),
        ("em cần giấy khai sinh ạ", False),
        ("làm căn cước thế nào", False),
        ("ko cần cắt khẩu ở quê à", True),  # batch 14: "à" as typed; folded it is "ạ"
        ("dạ em cảm ơn ạ", False),
        # Batch 104: the one addressed after the particle; "có" after "không" tells.
        ("ko đki thì có bị phạt ko c", True),
        ("được không chị ơi", True),
        ("giấy tờ gì cũng ko có", False),
    ],
)
def test_asks_yes_no(text: str, expected: bool) -> None:
    assert asks_yes_no(text) is expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("có cần mang căn cước không", "căn cước", True),
        ("co can so ho khau khong", "so ho khau", True),
        ("cần giấy khai sinh ko", "khai sinh", True),  # the paper's noun in between
        ("có cần làm căn cước không", "làm căn cước", False),  # doing it is asking about it
        ("khai sinh cần gì", "khai sinh", False),
    ],
)
def test_asks_about_papers(text: str, name: str, expected: bool) -> None:
    start = text.index(name)
    assert asks_about_papers(text, [(start, start + len(name))]) is expected


async def test_a_vague_text_offers_the_closest_procedures(conversation: Conversation) -> None:
    msgs, _ = await conversation.say("dang ky kinh doanh het bao lau", "ask_duration")
    titles = [b["title"] for b in msgs[0]["buttons"]]
    assert set(titles) == {"Đăng ký thành lập hộ kinh doanh", "Đăng ký thành lập doanh nghiệp"}
    assert all(b["payload"].startswith("/ask_duration{") for b in msgs[0]["buttons"])


async def test_a_message_typed_without_spaces_is_offered_its_procedure(
    conversation: Conversation,
) -> None:
    msgs, _ = await conversation.say("lamcancuocmatbaonhieutien", "ask_fee")
    assert "lệ phí của thủ tục nào" in msgs[0]["text"]
    assert [b["payload"] for b in msgs[0]["buttons"]] == ['/ask_fee{"procedure":"can_cuoc"}']


async def test_a_bare_name_without_an_earlier_aspect_gives_the_overview(
    conversation: Conversation,
) -> None:
    msgs, _ = await conversation.say("sổ đỏ", "ask_procedure", "so_do", name="sổ đỏ")
    assert msgs[0]["text"].startswith("Đăng ký đất đai, cấp Giấy chứng nhận")
    assert conversation.slots["last_aspect"] == "ask_procedure"
    assert CHECK_WITH_DESK not in msgs[0]["text"]  # so_do overview fields are sourced


async def test_a_broken_knowledge_base_gets_a_polite_sentence(tmp_path: Path) -> None:
    shutil.copytree(KB_DIR, tmp_path / "kb")
    (tmp_path / "kb" / "khai_sinh.yml").write_text("id: [", encoding="utf-8")
    conv = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=tmp_path / "kb")))
    msgs, events = await conv.say("khai sinh cần gì", "ask_documents", "khai_sinh")
    assert "thử lại sau" in msgs[0]["text"]
    assert events == []


def test_when_the_dossier_is_done_follows_a_status_answer_only() -> None:
    found = BotTurn(action="action_dossier_form_submit", slots={"dossier_code": "H49.22-1"})
    not_found = BotTurn(
        action="action_dossier_form_submit", slots={"dossier_subscribe_offered": False}
    )
    for turn in (found, not_found):
        assert asks_when_the_dossier_is_done("ask_duration", turn, names_a_procedure=False)
    # A procedure named asks that procedure's usual time; another aspect is no date.
    assert not asks_when_the_dossier_is_done("ask_duration", found, names_a_procedure=True)
    assert not asks_when_the_dossier_is_done("ask_fee", found, names_a_procedure=False)
    # A procedure answer before, or no turn at all.
    for turn in (
        BotTurn(action="action_answer_procedure", slots={"last_aspect": "ask_fee"}),
        BotTurn(action=None),
    ):
        assert not asks_when_the_dossier_is_done("ask_duration", turn, names_a_procedure=False)


def _spans(text: str, *names: str) -> list[tuple[int, int]]:
    return [(text.index(n), text.index(n) + len(n)) for n in names]


@pytest.mark.parametrize(
    ("text", "names", "jointly"),
    [
        ("kết hôn và xác nhận tình trạng hôn nhân cần gì", ("kết hôn", "xác nhận"), True),
        ("hộ chiếu hay căn cước nhanh hơn", ("hộ chiếu", "căn cước"), True),
        ("le phi khai sinh, thuong tru bao nhieu", ("khai sinh", "thuong tru"), True),
        ("khai sinh với cả thường trú cho cháu cần gì", ("khai sinh", "thường trú"), True),
        # Batch 39: "vs" is "với".
        ("đk xe máy vs đổi bằng lái cái nào làm online dc", ("đk xe máy", "đổi bằng lái"), True),
        ("mất ví, trong đó có cả căn cước và bằng lái", ("căn cước", "bằng lái"), False),
        (
            "khai sinh với cả thường trú thì có làm một lần được không",
            ("khai sinh", "thường trú"),
            True,
        ),
        ("chuyển từ tạm trú sang thường trú", ("tạm trú", "thường trú"), False),
        ("làm căn cước để làm hộ chiếu", ("căn cước", "hộ chiếu"), False),
        ("kết hôn có cần giấy xác nhận độc thân không", ("kết hôn", "xác nhận"), False),
        ("làm khai sinh cần gì", ("khai sinh",), False),
        # Batch 48: both asked for in so many words, after the names.
        (
            "con dâu muốn nhập hộ khẩu vào nhà tôi và mua bảo hiểm y tế, hướng dẫn giúp cả hai việc",
            ("nhập hộ khẩu", "bảo hiểm y tế"),
            True,
        ),
    ],
)
def test_names_jointly(text: str, names: tuple[str, ...], jointly: bool) -> None:
    assert names_jointly(text, _spans(text, *names)) is jointly


async def test_procedures_named_jointly_each_get_the_answer_then_one_by_its_place() -> None:
    conv = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    kb = KnowledgeBaseStore(directory=KB_DIR).get()
    msgs, _ = await conv.say(
        "hộ chiếu hay căn cước làm mất bao lâu",
        "ask_duration",
        named={"hộ chiếu": "ho_chieu", "căn cước": "can_cuoc"},
    )
    assert [m["text"] for m in msgs] == [
        compose_answer(kb.get("ho_chieu"), "ask_duration"),
        compose_answer(kb.get("can_cuoc"), "ask_duration"),
    ]
    # The first named stays the procedure discussed.
    assert conv.slots == {"procedure": "ho_chieu", "last_aspect": "ask_duration"}
    # "cái sau" is the second, also two turns later ("cái đầu" after "cái sau").
    msgs, _ = await conv.say("cái sau lệ phí bao nhiêu", "ask_fee")
    assert [m["text"] for m in msgs] == [compose_answer(kb.get("can_cuoc"), "ask_fee")]
    msgs, _ = await conv.say("còn cái đầu thì sao", "ask_procedure")
    assert [m["text"] for m in msgs] == [compose_answer(kb.get("ho_chieu"), "ask_fee")]
    # "cái kia", the other one of the two.
    msgs, _ = await conv.say("cái kia nộp ở đâu", "ask_location")
    assert [m["text"] for m in msgs] == [compose_answer(kb.get("can_cuoc"), "ask_location")]
    # With one procedure answered in the last turns, it points at nothing.
    conv = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    await conv.say("làm hộ chiếu mất bao lâu", "ask_duration", "ho_chieu")
    msgs, _ = await conv.say("cái kia nộp ở đâu", "ask_location")
    assert [m["text"] for m in msgs] == [compose_answer(kb.get("ho_chieu"), "ask_location")]


def test_a_comparison_gets_the_overviews_and_a_lone_offer_is_taken() -> None:
    kb = KnowledgeBaseStore(directory=KB_DIR).get()

    def plan(text: str, intent: str, **kw: Any) -> Any:
        return plan_reply(kb, intent=intent, slot_procedure=None, last_aspect=None, text=text, **kw)

    # "khác nhau chỗ nào" reads as ask_location: the overview of each.
    differ = plan(
        "đăng ký thường trú với tạm trú khác nhau chỗ nào",
        "ask_location",
        entity_values=["thuong_tru", "tam_tru"],
        jointly=True,
    )
    assert (differ.text, differ.more) == (
        compose_answer(kb.get("thuong_tru"), "ask_procedure"),
        (compose_answer(kb.get("tam_tru"), "ask_procedure"),),
    )
    # The only procedure offered by "which one?" is taken by the next question.
    fee = plan("phi het bn", "ask_fee", entity_values=[], offered=["dang_ky_xe"])
    assert (fee.procedure_id, fee.text) == (
        "dang_ky_xe",
        compose_answer(kb.get("dang_ky_xe"), "ask_fee"),
    )
    # Two offered, neither picked: the aspect asked is answered for both.
    two = plan("phi het bn", "ask_fee", entity_values=[], offered=["tam_tru", "thuong_tru"])
    assert (two.text, two.more) == (
        compose_answer(kb.get("tam_tru"), "ask_fee"),
        (compose_answer(kb.get("thuong_tru"), "ask_fee"),),
    )
    # What to do, asked of both, would be two overviews: which one is asked again.
    how = plan("làm thế nào", "ask_procedure", entity_values=[], offered=["tam_tru", "thuong_tru"])
    assert how.procedure_id is None and len(how.buttons) == 2
    # Of several offered, the one the message loosely points at, though it names none.
    offered = ["ho_kinh_doanh", "thanh_lap_doanh_nghiep"]
    hkd = plan("ho kd thi nop o dau", "ask_location", entity_values=[], offered=offered)
    assert hkd.text == compose_answer(kb.get("ho_kinh_doanh"), "ask_location")
    dn = plan("cái công ty ấy thì nộp ở đâu", "ask_location", entity_values=[], offered=offered)
    assert dn.procedure_id == "thanh_lap_doanh_nghiep"
    neither = plan("có phải lên tỉnh không", "ask_location", entity_values=[], offered=offered)
    assert (neither.procedure_id, len(neither.more)) == ("ho_kinh_doanh", 1)


def test_several_named_in_a_statement_ask_which_for_the_overview() -> None:
    kb = KnowledgeBaseStore(directory=KB_DIR).get()
    reply = plan_reply(
        kb,
        intent="ask_duration",  # the classifier's guess for a statement
        entity_values=["can_cuoc", "giay_phep_lai_xe"],
        slot_procedure=None,
        last_aspect=None,
        text="hôm qua em bị mất ví, trong đó có cả căn cước và bằng lái",
    )
    assert reply.procedure_id is None and reply.aspect == "ask_procedure"
    assert [b["payload"] for b in reply.buttons] == [
        button_payload("ask_procedure", "can_cuoc"),
        button_payload("ask_procedure", "giay_phep_lai_xe"),
    ]


async def test_which_of_the_procedures_answered_together_is_asked_back() -> None:
    conv = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    await conv.say(
        "đăng ký thường trú với tạm trú khác nhau chỗ nào vậy",
        "ask_location",
        named={"thường trú": "thuong_tru", "tạm trú": "tam_tru"},
    )
    [which] = (await conv.say("ý là sao, vậy e làm cái nào", "ask_procedure"))[0]
    assert [b["payload"] for b in which["buttons"]] == [
        button_payload("ask_procedure", "thuong_tru"),
        button_payload("ask_procedure", "tam_tru"),
    ]
    # Told the situation ("thuê trọ", a life event of tạm trú), the bot need not ask back.
    [told] = (await conv.say("e đang thuê trọ thì làm cái nào", "ask_procedure"))[0]
    assert told["text"].startswith("Đăng ký tạm trú")


async def test_which_of_them_read_as_out_of_scope_is_asked_back_too() -> None:
    action = ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR))
    conv = Conversation(action)
    await conv.say(
        "tam tru voi thuong tru khac nhau the nao",
        "ask_procedure",
        named={"tam tru": "tam_tru", "thuong tru": "thuong_tru"},
    )
    text = "vay toi nen dang ky cai nao"
    tracker = listening_tracker(
        sender_id="test-user",
        slots=dict(conv.slots),
        latest_message={"text": text, "intent": {"name": "out_of_scope", "confidence": 0.8}},
        events=[*conv.events, {"event": "user", "text": text}],
    )
    dispatcher = CollectingDispatcher()
    assert action.answer_follow_up(dispatcher, tracker) is not None
    [which] = dispatcher.messages
    assert [b["payload"] for b in which["buttons"]] == [
        button_payload("ask_procedure", "tam_tru"),
        button_payload("ask_procedure", "thuong_tru"),
    ]


async def test_an_answer_that_would_repeat_the_last_one_says_the_entry_holds_no_more(
    conversation: Conversation,
) -> None:
    """Batch 14: "thẻ bị mất thì sao", read as the fee just given, got the fee again."""
    await conversation.say("bhyt hộ gia đình mua ở đâu", "ask_location", "bao_hiem_y_te")
    first, _ = await conversation.say("nhà có 4 ng thì bao nhiêu tiền", "ask_fee")
    assert first[0]["text"].startswith("Lệ phí Tham gia bảo hiểm y tế")
    msgs, _ = await conversation.say("thẻ bị mất thì sao", "ask_fee")
    name = KB.get("bao_hiem_y_te").name
    assert [m["text"] for m in msgs] == [MSG_NOTHING_MORE.format(name=name)]
    assert msgs[0]["buttons"] == [*aspect_buttons("bao_hiem_y_te"), *BUTTONS_OFFICIAL]
    assert conversation.slots["procedure"] == "bao_hiem_y_te"
    # Asked again in a few words, or by a button: the answer again.
    again, _ = await conversation.say("lệ phí bn", "ask_fee")
    assert again == first
    pressed, _ = await conversation.say(
        button_payload("ask_fee", "bao_hiem_y_te"), "ask_fee", "bao_hiem_y_te"
    )
    assert pressed == first


async def test_after_two_answered_together_the_next_question_is_of_both(
    conversation: Conversation,
) -> None:
    """Batch 43: after "có làm online luôn được ko" got khai sinh's and thường trú's online
    answers, "mấy ngày thì xong ạ" got khai sinh's time alone (the slot holds the first);
    batch 39: "xin phép xây thì mất bao lâu" after sổ đỏ and giấy phép xây dựng points at
    the second."""
    await conversation.say(
        "khai sinh với thường trú làm online được không",
        "ask_online",
        named={"khai sinh": "khai_sinh", "thường trú": "thuong_tru"},
    )
    msgs, _ = await conversation.say("mấy ngày thì xong ạ", "ask_duration")
    assert [m["text"] for m in msgs] == [
        compose_answer(KB.get("khai_sinh"), "ask_duration"),
        compose_answer(KB.get("thuong_tru"), "ask_duration"),
    ]
    other = Conversation(conversation.action)
    await other.say(
        "làm sổ đỏ với giấy phép xây dựng bao lâu",
        "ask_duration",
        named={"sổ đỏ": "so_do", "giấy phép xây dựng": "giay_phep_xay_dung"},
    )
    msgs, _ = await other.say("xong rồi xin phép xây thì lệ phí bao nhiêu", "ask_fee")
    assert [m["text"] for m in msgs] == [compose_answer(KB.get("giay_phep_xay_dung"), "ask_fee")]


async def test_a_copy_or_signature_done_already_keeps_the_procedure_discussed(
    conversation: Conversation,
) -> None:
    """Batch 46: "hđ mua bán công chứng r" after sổ đỏ asked "chứng thực bản sao or chữ
    ký?", and the fee asked next got both of theirs."""
    await conversation.say("sang tên sổ đỏ lm ở đâu ạ", "ask_location", "so_do")
    msgs, _ = await conversation.say("hđ mua bán công chứng r", "ask_procedure")
    assert msgs[0]["text"] == compose_answer(KB.get("so_do"), "ask_procedure")
    msgs, _ = await conversation.say("thuế phí hết bn", "ask_fee")
    assert [m["text"] for m in msgs] == [compose_answer(KB.get("so_do"), "ask_fee")]


async def test_a_record_told_with_its_place_beside_its_copy_tells_where_it_is_kept(
    conversation: Conversation,
) -> None:
    """Batch 45: the copy (trích lục) and the record's registration named in one message
    asked "which one?"; the record's place tells where the copy is kept."""
    text = (
        "Tôi lên phường Hồng Hải xin bản sao giấy khai sinh thì bảo không có sổ gốc vì tôi "
        "đăng ký khai sinh ở Tiên Yên từ năm 1985. Giờ phải về Tiên Yên hả?"
    )
    msgs, _ = await conversation.say(
        text,
        "ask_location",
        named={"bản sao giấy khai sinh": "trich_luc_ho_tich", "đăng ký khai sinh": "khai_sinh"},
    )
    assert msgs[0]["text"] == compose_answer(KB.get("trich_luc_ho_tich"), "ask_location")


async def test_a_repeat_that_ends_with_thanks_is_thanked(conversation: Conversation) -> None:
    """Batch 39: "tổng cộng lâu vậy à. thôi cảm ơn" right after the time got "nothing
    more"."""
    action = conversation.action
    await conversation.say("xin phép xây nhà mất bao lâu", "ask_duration", "giay_phep_xay_dung")
    msgs, _ = await conversation.say("tổng cộng lâu vậy à. thôi cảm ơn", "ask_duration")
    assert [m.get("response") for m in msgs] == ["utter_thank"]
    # Without the thanks, "nothing more" as before.
    other = Conversation(action)
    await other.say("xin phép xây nhà mất bao lâu", "ask_duration", "giay_phep_xay_dung")
    msgs, _ = await other.say("tổng cộng lâu vậy à, sao chậm thế", "ask_duration")
    name = KB.get("giay_phep_xay_dung").name
    assert [m.get("text") for m in msgs] == [MSG_NOTHING_MORE.format(name=name)]


async def test_a_repeat_that_asks_another_aspect_gets_that_aspect(
    conversation: Conversation,
) -> None:
    """Batch 37: "có phải mang gì lên không hay online hết" (ask_online) right after the
    online answer got "nothing more"; it asks the documents too."""
    await conversation.say("làm khai sinh online trên vneid đc ko", "ask_online", "khai_sinh")
    msgs, events = await conversation.say("có phải mang gì lên không hay online hết", "ask_online")
    assert [m["text"] for m in msgs] == [compose_answer(KB.get("khai_sinh"), "ask_documents")]
    assert SlotSet("last_aspect", "ask_documents") in events


async def test_a_procedure_corrected_in_the_message_is_the_later_one(
    conversation: Conversation,
) -> None:
    """Batch 39: the citizen named thường trú, then corrected it to tạm trú."""
    text = "cho mình hỏi đăng ký thường trú cho mẹ, à nhầm, mẹ chỉ ở vài tháng thôi, ý là tạm trú"
    msgs, _ = await conversation.say(
        text, "ask_procedure", named={"thường trú": "thuong_tru", "tạm trú": "tam_tru"}
    )
    assert msgs[0]["text"] == compose_answer(KB.get("tam_tru"), "ask_procedure")


async def test_a_shared_name_while_one_of_its_procedures_is_discussed_is_that_one(
    conversation: Conversation,
) -> None:
    """Batch 43: "có chứng thực điện tử không, để gửi mail cho cháu" right after chứng thực
    bản sao's documents asked "chứng thực bản sao or chữ ký?", and so did the next two."""
    await conversation.say(
        "con mình cần bản sao chứng thực bằng tốt nghiệp", "ask_documents", "chung_thuc_ban_sao"
    )
    msgs, _ = await conversation.say(
        "có chứng thực điện tử không, để gửi mail cho cháu", "ask_online"
    )
    assert msgs[0]["text"] == compose_answer(KB.get("chung_thuc_ban_sao"), "ask_online")
    # Discussing another procedure, the shared name still asks which.
    await conversation.say("xác nhận độc thân làm ở đâu", "ask_location", "xac_nhan_hon_nhan")
    msgs, _ = await conversation.say("chứng thực ở đâu", "ask_location")
    assert [b["payload"] for b in msgs[0]["buttons"]] == [
        button_payload("ask_location", "chung_thuc_ban_sao"),
        button_payload("ask_location", "chung_thuc_chu_ky"),
    ]


async def test_where_to_file_is_given_again_for_another_place(conversation: Conversation) -> None:
    await conversation.say("đăng ký xe ở đâu", "ask_location", "dang_ky_xe")
    msgs, _ = await conversation.say("có phải ra công an huyện ko hay xã cũng dc", "ask_location")
    assert msgs[0]["text"].startswith("Nơi nộp hồ sơ Đăng ký xe")


async def test_papers_asked_about_after_the_documents_get_the_list_again(
    conversation: Conversation,
) -> None:
    """Batch 17: the list says what a divorced citizen adds ("Nếu trước đây đã có
    vợ/chồng: …"); "nothing more" would have hidden it."""
    first, _ = await conversation.say(
        "xin giấy xác nhận độc thân cần gì", "ask_documents", "xac_nhan_hon_nhan"
    )
    again, _ = await conversation.say("e ly hôn rồi thì cần thêm gì k", "ask_documents")
    assert again == first
    owner, _ = await conversation.say("bố tôi đứng tên nhà thì sao", "ask_documents")
    assert owner[0]["text"] == MSG_NOTHING_MORE.format(name=KB.get("xac_nhan_hon_nhan").name)


async def test_opening_hours_an_entry_tells_are_answered_from_it(
    conversation: Conversation,
) -> None:
    """Batch 17: căn cước's place to file tells the hours; another entry's does not."""
    await conversation.say("làm cccd ở đâu", "ask_location", "can_cuoc")
    msgs, _ = await conversation.say("thứ 7 công an phường có làm ko a", "ask_duration")
    assert msgs[0]["text"] == compose_answer(KB.get("can_cuoc"), "ask_location")
    await conversation.say("chứng thực bản sao ở đâu", "ask_location", "chung_thuc_ban_sao")
    msgs, _ = await conversation.say("sáng thứ 7 có làm ko", "ask_duration")
    name = KB.get("chung_thuc_ban_sao").name
    assert msgs[0]["text"] == MSG_BEYOND_DATA.format(name=name)


def test_repeats_the_answer_only_word_for_word_and_on_the_same_procedure() -> None:
    reply = Reply(text="Lệ phí A", aspect="ask_fee", procedure_id="khai_sinh")
    turn = BotTurn(
        action="action_answer_procedure",
        slots={"procedure": "khai_sinh", "last_aspect": "ask_fee"},
        texts=["Lệ phí A"],
    )
    assert repeats_the_answer(reply, turn, "quá hạn 4 tháng r thì sao")
    assert not repeats_the_answer(reply, turn, "phí bao nhiêu")  # asked again, briefly
    # Batch 27: aspect words alone, however many, ask again ("hồ sơ gồm những gì").
    assert not repeats_the_answer(reply, turn, "thế còn lệ phí thì sao ạ")
    assert repeats_the_answer(reply, turn, "thẻ bị mất thì sao")
    other = BotTurn(
        action=turn.action, slots={**turn.slots, "procedure": "khai_tu"}, texts=["Lệ phí A"]
    )
    assert not repeats_the_answer(reply, other, "quá hạn 4 tháng r thì sao")
    # Batch 76: one part of a longer answer sent again repeats it too.
    longer = BotTurn(action=turn.action, slots=turn.slots, texts=["Nơi nộp C", "Lệ phí A"])
    assert repeats_the_answer(reply, longer, "quá hạn 4 tháng r thì sao")
    # Batch 85: the same aspect asked again in a last clause of its own.
    docs = Reply(text="Hồ sơ A", aspect="ask_documents", procedure_id="khai_sinh")
    shown = BotTurn(action=turn.action, slots=turn.slots, texts=["Hồ sơ A"])
    assert not repeats_the_answer(docs, shown, "ok thôi chọn hkd. hồ sơ gồm gì")
    # Batch 97: who must come is answered again ("cả 2 vợ chồng phải cùng đi ký ko").
    who = Reply(
        text="Ai phải có mặt, ai được làm thay – X:\nY",
        aspect="ask_procedure",
        procedure_id="khai_sinh",
    )
    both_sent = BotTurn(action=turn.action, slots=turn.slots, texts=["Hồ sơ A", who.text])
    assert not repeats_the_answer(who, both_sent, "cả 2 vợ chồng phải cùng đi ký ko")
    online = Reply(text="Online A", aspect="ask_online", procedure_id="khai_sinh")
    said = BotTurn(action=turn.action, slots=turn.slots, texts=["Online A"])
    assert repeats_the_answer(online, said, "phải xài tài khoản vneid của ba hả")
    both = Reply(text="Lệ phí A", aspect="ask_fee", procedure_id="khai_sinh", more=("Thời gian B",))
    assert not repeats_the_answer(both, longer, "quá hạn 4 tháng r thì sao")


async def test_a_name_denied_anywhere_is_not_asked_about(conversation: Conversation) -> None:
    """Batch 14: "khai sinh… à nhầm ko phải khai sinh mà là khai tử" asked which one."""
    text = "cho hỏi thủ tục khai sinh... à nhầm ko phải khai sinh mà là khai tử, bố e mất"
    first, second = text.index("khai sinh"), text.rindex("khai sinh")
    conversation.events.append({"event": "user", "text": text})
    tracker = listening_tracker(
        sender_id="zalo:9",
        slots={"procedure": "khai_tu", "last_aspect": None},
        latest_message={
            "text": text,
            "intent": {"name": "ask_procedure", "confidence": 0.99},
            "entities": [
                {"entity": "procedure", "value": "khai_sinh", "start": first, "end": first + 9},
                {"entity": "procedure", "value": "khai_sinh", "start": second, "end": second + 9},
                {
                    "entity": "procedure",
                    "value": "khai_tu",
                    "start": text.index("khai tử"),
                    "end": text.index("khai tử") + 7,
                },
            ],
        },
        events=list(conversation.events),
    )
    dispatcher = CollectingDispatcher()
    events = await conversation.action.run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages[0]["text"].startswith("Đăng ký khai tử (Cấp xã)")
    assert {e["name"]: e["value"] for e in events}["procedure"] == "khai_tu"


async def test_a_passport_paper_not_held_yet_stays_on_the_passport(
    conversation: Conversation,
) -> None:
    await conversation.say("làm hộ chiếu cho con 5 tuổi cần gì", "ask_documents", "ho_chieu")
    msgs, _ = await conversation.say("bé chưa có cccd", "ask_procedure", "can_cuoc", name="cccd")
    # Read as an overview question, a paper not held gets the documents (they say what a
    # child brings instead), as it does read as the documents (below).
    assert msgs[0]["text"].startswith("Hồ sơ Cấp hộ chiếu phổ thông ở trong nước gồm:")
    assert conversation.slots["procedure"] == "ho_chieu"
    # Read as the documents again (batch 17): the list says what a child brings instead.
    fresh = Conversation(conversation.action)
    first, _ = await fresh.say("làm hộ chiếu cho con 5 tuổi cần gì", "ask_documents", "ho_chieu")
    again, _ = await fresh.say("bé chưa có cccd thì sao", "ask_documents", "can_cuoc", name="cccd")
    assert again == first


async def test_where_a_record_was_registered_keeps_its_copy(conversation: Conversation) -> None:
    """Batch 14: "mẹ e … đăng ký khai sinh ở Hải Dương" after a copy of the birth record
    answered khai sinh."""
    await conversation.say(
        "mẹ e cần bản sao giấy khai sinh cũ mà mất r", "ask_documents", "trich_luc_ho_tich"
    )
    msgs, _ = await conversation.say(
        "mẹ e giờ ở tp Móng Cái nhưng đăng ký khai sinh ở Hải Dương",
        "ask_procedure",
        "khai_sinh",
        name="khai sinh",
    )
    assert msgs[0]["text"].startswith("Cấp bản sao trích lục hộ tịch (Cấp xã)")
    # With no copy discussed, the same words are about khai sinh.
    fresh = Conversation(conversation.action)
    msgs, _ = await fresh.say(
        "đăng ký khai sinh ở Hải Dương", "ask_procedure", "khai_sinh", name="khai sinh"
    )
    assert msgs[0]["text"].startswith("Đăng ký khai sinh (Cấp xã)")


def test_whether_it_must_be_done_read_as_unclear_gets_the_overview() -> None:
    """Batch 62: "… có phải đăng ký tạm trú cho các bạn k" (nlu_fallback 0.45, ask_fee
    0.39) got tạm trú's fee; whether it must be done is the overview's."""
    action = ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR))
    text = (
        "cửa hàng tôi có 2 bạn nhân viên quê thanh hóa ở lại trên gác luôn, có phải đăng ký "
        "tạm trú cho các bạn k"
    )
    start = text.index("tạm trú")
    entity = {"entity": "procedure", "value": "tam_tru", "start": start, "end": start + 7}
    for words, expected in [
        (text, "ask_procedure"),
        ("phí đăng ký tạm trú bao nhiêu ạ", "ask_fee"),
    ]:
        at = words.index("tạm trú")
        message = parsed_message(
            words,
            [("ask_fee", 0.39), ("ask_documents", 0.27)],
            intent=("nlu_fallback", 0.45),
            entities=[{**entity, "start": at, "end": at + 7}],
        )
        dispatcher = CollectingDispatcher()
        action.answer_named(dispatcher, tracker_after(message, []))
        assert dispatcher.messages[0]["text"] == compose_answer(KB.get("tam_tru"), expected)


async def test_batches_63_to_65_names_joined_by_cả_a_visa_and_the_portal(
    conversation: Conversation,
) -> None:
    """Batch 65: "mat vi roi mat ca bang lai ca cavet xe, lam lai the nao" asked which
    procedure; "ko hieu cai dich vu cong, vao dau de nop" got chứng thực chữ ký ("dịch"
    of "người dịch"). Batch 63: "… có hộ chiếu rồi, giờ đi hàn quốc thì xin visa ở đâu" got
    the passport's place."""
    text = "mat vi roi mat ca bang lai ca cavet xe, lam lai the nao"
    named = {"bang lai": "giay_phep_lai_xe", "cavet xe": "dang_ky_xe"}
    msgs, _ = await conversation.say(text, "ask_procedure", named=named)
    assert [m["text"] for m in msgs] == [
        compose_answer(KB.get("giay_phep_lai_xe"), "ask_procedure"),
        compose_answer(KB.get("dang_ky_xe"), "ask_procedure"),
    ]
    fresh = Conversation(conversation.action)
    msgs, _ = await fresh.say("ko hieu cai dich vu cong, vao dau de nop", "ask_online")
    assert msgs[0]["text"].startswith("Bạn muốn hỏi nộp trực tuyến của thủ tục nào")
    fresh = Conversation(conversation.action)
    visa = "bé nhà mình 2 tuổi, có hộ chiếu rồi, giờ đi hàn quốc thì xin visa ở đâu"
    msgs, _ = await fresh.say(visa, "ask_location", "ho_chieu", name="hộ chiếu")
    assert msgs[0]["text"] == MSG_NOT_COVERED.format(name="thị thực (visa)")


def test_a_paper_demanded_read_as_unclear_gets_its_overview() -> None:
    """Batch 63: "… bên đó họ đòi giấy xác nhận độc thân của việt nam, em ở móng cái"
    (nlu_fallback) got "chưa hiểu"; a question beside the demand is answered as asked."""
    action = ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR))
    told = (
        "chị ơi em sắp lấy chồng người trung quốc ở đông hưng, bên đó họ đòi giấy xác nhận "
        "độc thân của việt nam, em ở móng cái"
    )
    name = "giấy xác nhận độc thân"
    for text, expected in [(told, "ask_procedure"), (told + ", nộp ở đâu ạ", "ask_location")]:
        start = text.index(name)
        entity = {"entity": "procedure", "value": "xac_nhan_hon_nhan", "start": start,
                  "end": start + len(name)}  # fmt: skip
        message = parsed_message(
            text, [("ask_documents", 0.33)], intent=("nlu_fallback", 0.45), entities=[entity]
        )
        dispatcher = CollectingDispatcher()
        action.answer_named(dispatcher, tracker_after(message, []))
        assert dispatcher.messages[0]["text"] == compose_answer(
            KB.get("xac_nhan_hon_nhan"), expected
        )


async def test_batches_66_to_68_whether_why_and_papers(conversation: Conversation) -> None:
    """Batch 66: "… co phai khai tam tru k" (ask_duration 0.72) got tạm trú's time;
    "chau chua co gi ngoai cai giay khai sinh, co phai mang so ho khau k" after căn cước
    got khai sinh's documents (a paper held) and then thường trú's (a paper to bring).
    Batch 67: "sao lai the" after chứng thực got its overview again; "phi do nop o dau"
    got the place alone."""
    text = "e co day tro cho may thang tho lo o mong duong thue, co phai khai tam tru k"
    msgs, _ = await conversation.say(text, "ask_duration", "tam_tru", name="tam tru")
    assert msgs[0]["text"] == compose_answer(KB.get("tam_tru"), "ask_procedure")

    fresh = Conversation(conversation.action)
    await fresh.say("lam cccd cho chau 14 tuoi o dau", "ask_location", "can_cuoc", name="cccd")
    text = "chau chua co gi ngoai cai giay khai sinh, co phai mang so ho khau k"
    msgs, _ = await fresh.say(text, "ask_documents", "khai_sinh", name="giay khai sinh")
    assert msgs[0]["text"].startswith("Hồ sơ Cấp, cấp đổi, cấp lại thẻ căn cước gồm:")

    fresh = Conversation(conversation.action)
    await fresh.say("chung thuc ban sao tu ban sao dc k", "ask_procedure", "chung_thuc_ban_sao",
                    name="chung thuc ban sao")  # fmt: skip
    msgs, _ = await fresh.say("sao lai the", "ask_procedure")
    name = KB.get("chung_thuc_ban_sao").name
    assert msgs[0]["text"] == MSG_NOTHING_MORE.format(name=name)
    msgs, _ = await fresh.say("phi do nop o dau", "ask_location")
    assert [m["text"] for m in msgs] == [
        compose_answer(KB.get("chung_thuc_ban_sao"), "ask_fee"),
        compose_answer(KB.get("chung_thuc_ban_sao"), "ask_location"),
    ]


async def test_to_be_told_of_the_dossier_read_as_online_subscribes() -> None:
    """Batch 78: "xong bao e qua zalo dc k" (ask_online 0.80, subscribe 0.19) right after a
    dossier's status asked which procedure's online filing was meant."""
    status = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "check ho so H22.12-251103-0007 giup e"},
        {"event": "action", "name": "action_check_dossier_status"},
        {"event": "bot", "text": "…"},
        {"event": "slot", "name": "dossier_code", "value": "H22.12-251103-0007"},
        {"event": "action", "name": "action_listen"},
    ]
    action = ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR))
    message = parsed_message(
        "xong bao e qua zalo dc k", [("ask_online", 0.8), ("subscribe_dossier", 0.19)]
    )
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker_after(message, status), DOMAIN)
    assert [(e["event"], e["name"]) for e in events] == [("followup", "action_subscribe_dossier")]
    assert dispatcher.messages == []
    # After a procedure answer it is the online question it reads as.
    dispatcher = CollectingDispatcher()
    events = await action.run(
        dispatcher, tracker_after(message, answered_events("tam_tru")), DOMAIN
    )
    assert dispatcher.messages[0]["text"] == compose_answer(KB.get("tam_tru"), "ask_online")


async def test_no_smartphone_after_how_to_apply_online_gets_where_to_go(
    conversation: Conversation,
) -> None:
    """Batch 76: "mẹ mình ko dùng smartphone, ko có vneid" (ask_online) after the passport's
    online filing got the online filing again."""
    await conversation.say(
        "hộ chiếu làm online được không", "ask_online", "ho_chieu", name="hộ chiếu"
    )
    msgs, _ = await conversation.say("mẹ mình ko dùng smartphone, ko có vneid", "ask_online")
    assert msgs[0]["text"] == compose_answer(KB.get("ho_chieu"), "ask_location")


async def test_a_paper_told_and_the_place_asked_in_so_many_words(
    conversation: Conversation,
) -> None:
    """Batch 78: "e ho khau thanh hoa dk o qn dc k" (an overview 0.89, hộ khẩu named)
    after đăng ký xe got its overview: hộ khẩu is told, where to file is asked."""
    await conversation.say("mua xe may tra gop thi dk bien so o dau", "ask_location", "dang_ky_xe")
    text = "e ho khau thanh hoa dk o qn dc k"
    msgs, _ = await conversation.say(text, "ask_procedure", "thuong_tru", name="ho khau")
    assert msgs[0]["text"] == compose_answer(KB.get("dang_ky_xe"), "ask_location")


async def test_taxes_are_not_covered_unless_the_entry_speaks_of_them(
    conversation: Conversation,
) -> None:
    """Batches 76, 83: "đăng ký xong có phải đóng thuế không" after hộ kinh doanh: no entry
    holds taxes; after sổ đỏ, whose fee speaks of them, the entry is said to hold no more
    than its fee says."""
    await conversation.say("đăng ký hộ kinh doanh cần gì", "ask_documents", "ho_kinh_doanh")
    msgs, _ = await conversation.say("đăng ký xong có phải đóng thuế không", "ask_procedure")
    assert msgs[0]["text"] == MSG_NOT_COVERED.format(name=TAXES)

    # Batch 103: taxes are the business's own; what follows is still about it.
    assert conversation.slots["procedure"] == "ho_kinh_doanh"
    msgs, _ = await conversation.say("mất bao lâu", "ask_duration")
    assert msgs[0]["text"] == compose_answer(KB.get("ho_kinh_doanh"), "ask_duration")

    conv = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    await conv.say("sang tên sổ đỏ cần gì", "ask_documents", "so_do", name="sang tên sổ đỏ")
    msgs, _ = await conv.say("có phải đóng thuế không", "ask_fee")
    assert msgs[0]["text"] == MSG_BEYOND_DATA.format(name=KB.get("so_do").name)


async def test_a_birth_registration_asked_for_the_dead_is_the_death_registration() -> None:
    """Batch 110: "Mẹ chồng tôi mất rồi. Hôm qua. Tôi muốn làm giấy khai sinh cho bà." got
    khai sinh's overview; a child's birth after a death is still khai sinh."""
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    text = "Mẹ chồng tôi mất rồi. Hôm qua. Tôi muốn làm giấy khai sinh cho bà."
    msgs, _ = await conversation.say(text, "ask_procedure", "khai_sinh", name="khai sinh")
    assert msgs[0]["text"] == compose_answer(KB.get("khai_tu"), "ask_procedure")
    child = "bố cháu mất rồi, giờ làm giấy khai sinh cho cháu thế nào"
    msgs, _ = await conversation.say(child, "ask_procedure", "khai_sinh", name="khai sinh")
    assert msgs[0]["text"] == compose_answer(KB.get("khai_sinh"), "ask_procedure")


async def test_praise_read_as_an_aspect_is_thanked_back() -> None:
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    await conversation.say("đăng ký xe làm online được không", "ask_online", "dang_ky_xe")
    msgs, events = await conversation.say("hay quá", "ask_online")  # batch 111
    assert [m.get("response") for m in msgs] == ["utter_thank"] and events == []


async def test_a_yes_no_clause_first_asks_of_the_procedure_discussed() -> None:
    """Batch 109: "giấy ủy quyền có phải chứng thực không, nó đang ở Úc" after lý lịch tư
    pháp asked "which procedure?" (chứng thực is two); it asks what lý lịch needs. Batch
    110: "giay ban xe phai cong chung ha, o dau" asks where to certify: still which one."""
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    await conversation.say(
        "con tôi đi du học, cần lý lịch tư pháp số 1, tôi làm hộ được không",
        "ask_procedure",
        "ly_lich_tu_phap",
        name="lý lịch tư pháp",
    )
    msgs, _ = await conversation.say(
        "giấy ủy quyền có phải chứng thực không, nó đang ở Úc", "ask_documents"
    )
    assert msgs[0]["text"] == compose_answer(KB.get("ly_lich_tu_phap"), "ask_documents")
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    await conversation.say("sang tên xe máy thế nào", "ask_procedure", "dang_ky_xe")
    msgs, _ = await conversation.say("giay ban xe phai cong chung ha, o dau", "ask_location")
    assert {b["payload"] for b in msgs[0]["buttons"]} >= {
        '/ask_location{"procedure":"chung_thuc_ban_sao"}',
        '/ask_location{"procedure":"chung_thuc_chu_ky"}',
    }
