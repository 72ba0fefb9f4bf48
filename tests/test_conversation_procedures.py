"""Procedure questions through the running assistant (REST channel), end to end.

Needs the trained model (``rasa_stack`` trains when its inputs changed): slow.
"""

from __future__ import annotations

import uuid

import pytest
import yaml

from actions.handoff_replies import REPLY as HANDOFF_REPLY
from actions.more_documents import ALL_SHOWN
from actions.not_covered import MSG_NOT_COVERED
from actions.procedures import (
    MSG_BEYOND_DATA,
    MSG_EVENT_OFFER,
    MSG_NOTHING_MORE,
    MSG_WHAT_MORE,
)
from bot.kb import load_knowledge_base
from bot.kb.answers import CHECK_WITH_DESK, answer_deadline, compose_answer, document_pages
from bot.kb.unanswered import read, unanswered_key
from bot.nlu.text import fold
from bot.redis_client import connect
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow

KB = load_knowledge_base(PROJECT_ROOT / "nlu_data" / "procedures")
RESPONSES = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
DEFAULT = RESPONSES["utter_default"][0]["text"]
OUT_OF_SCOPE = RESPONSES["utter_out_of_scope"][0]["text"]


def _sender() -> str:
    return f"rest-kb-{uuid.uuid4().hex[:8]}"


async def test_khai_sinh_documents_then_fee_then_place_without_diacritics(rasa_stack) -> None:
    sender = _sender()
    docs = await rasa_stack.say_text(sender, "lam giay khai sinh can gi")
    assert "Giấy chứng sinh" in docs
    assert f"Nguồn: {KB.get('khai_sinh').source_url}" in docs

    fee = await rasa_stack.say_text(sender, "con le phi")
    assert "Lệ phí Đăng ký khai sinh" in fee
    assert "Miễn lệ phí khi đăng ký đúng hạn" in fee
    assert CHECK_WITH_DESK in fee  # late-registration fee of Quảng Ninh not verified

    place = await rasa_stack.say_text(sender, "nop o dau")
    assert "Nơi nộp hồ sơ Đăng ký khai sinh" in place
    assert "cấp xã nơi cư trú của cha hoặc mẹ" in place


async def test_with_diacritics_and_abbreviation(rasa_stack) -> None:
    sender = _sender()
    reply = await rasa_stack.say_text(sender, "làm cccd mất bao lâu")
    assert "07 ngày làm việc" in reply
    online = await rasa_stack.say_text(sender, "có làm online được không")
    assert "có thể làm trực tuyến" in online
    assert KB.get("can_cuoc").online.link in online


async def test_telex_typed_with_the_input_method_off(rasa_stack) -> None:
    sender = _sender()
    docs = await rasa_stack.say_text(sender, "lafm giaays khai sinh caanf gif")
    assert "Hồ sơ Đăng ký khai sinh gồm" in docs
    place = await rasa_stack.say_text(sender, "ddawng kys taamj truus owr ddaau")
    assert "Nơi nộp hồ sơ Đăng ký tạm trú" in place


async def test_words_typed_without_spaces(rasa_stack) -> None:
    sender = _sender()
    docs = await rasa_stack.say_text(sender, "lamgiaykhaisinh can gi")
    assert compose_answer(KB.get("khai_sinh"), "ask_documents") in docs
    duration = await rasa_stack.say_text(_sender(), "hochieu mat bao lau")
    assert compose_answer(KB.get("ho_chieu"), "ask_duration") in duration
    # Two letters swapped inside ("sihn"): still the name, answered.
    swapped = await rasa_stack.say_text(_sender(), "xin giaykhaisihn o dau")
    assert compose_answer(KB.get("khai_sinh"), "ask_location") in swapped
    # A key held ("sinhh") is the other slip repaired.
    held = await rasa_stack.say_text(_sender(), "lamgiaykhaisinhh can gi")
    assert compose_answer(KB.get("khai_sinh"), "ask_documents") in held
    # Even where the letters also read as other syllables ("can co uc").
    swapped = await rasa_stack.say_text(_sender(), "cancoucmatbaolau")
    assert compose_answer(KB.get("can_cuoc"), "ask_duration") in swapped


async def test_a_name_with_a_typo_inside_a_word_typed_without_spaces_gets_choices(
    rasa_stack,
) -> None:
    msgs = await rasa_stack.say(_sender(), "lamcancucmat bao lau")  # a letter dropped
    assert "của thủ tục nào ạ?" in msgs[0]["text"]
    payloads = [b["payload"] for m in msgs for b in m.get("buttons", [])]
    assert [p.partition("{")[2] for p in payloads] == ['"procedure":"can_cuoc"}']


async def test_a_paper_named_in_the_question_is_not_asked_about(rasa_stack) -> None:
    # "sổ hộ khẩu" is also how citizens name thường trú; here it is a paper of hộ chiếu.
    reply = await rasa_stack.say_text(_sender(), "làm hộ chiếu có cần mang sổ hộ khẩu không")
    assert reply.startswith("Hồ sơ Cấp hộ chiếu phổ thông")


async def test_a_paper_after_a_copy_is_what_is_copied(rasa_stack) -> None:
    # Not the fee of khai sinh (free): the fee of certifying a copy of the paper.
    reply = await rasa_stack.say_text(_sender(), "công chứng giấy khai sinh hết bao nhiêu")
    assert reply.startswith("Lệ phí Chứng thực bản sao")
    assert "2.000 đ/trang" in reply


async def test_import_export_is_not_the_nhap_khau_of_thuong_tru(rasa_stack) -> None:
    sender = _sender()
    trade = await rasa_stack.say_text(sender, "xuat nhap khau can giay to gi")
    assert trade.startswith("Bạn muốn hỏi giấy tờ cần nộp của thủ tục nào ạ?")
    residence = await rasa_stack.say_text(sender, "làm nhập khẩu cho con ở đâu")
    assert residence.startswith("Nơi nộp hồ sơ Đăng ký thường trú")


@pytest.mark.parametrize("typed", [str.strip, fold])
async def test_a_question_about_something_else_does_not_get_the_last_procedure(
    rasa_stack, typed
) -> None:
    """Worded like a procedure question, about no procedure: not answered with khai sinh
    (the procedure carried over), but told what the assistant does (the mention feature)."""
    sender = _sender()
    docs = await rasa_stack.say_text(sender, typed("làm giấy khai sinh cần những gì"))
    assert "Hồ sơ Đăng ký khai sinh gồm" in docs
    other = await rasa_stack.say_text(sender, typed("chuyển tiền sang Trung Quốc làm thế nào"))
    assert other == OUT_OF_SCOPE
    # Shaped like a follow-up ("mất bao lâu"), about something else (the interaction block).
    short = await rasa_stack.say_text(sender, typed("sửa máy giặt mất bao lâu"))
    assert short == OUT_OF_SCOPE
    # The procedure is still there for the next follow-up.
    fee = await rasa_stack.say_text(sender, typed("còn lệ phí?"))
    assert "Lệ phí Đăng ký khai sinh" in fee


@pytest.mark.parametrize("typed", [str.strip, fold])
async def test_a_follow_up_naming_the_procedure_by_its_verb_only(rasa_stack, typed) -> None:
    """After a procedure, "đăng ký ở đâu" asks about it: before the eighth brief, a bare
    verb with "ở đâu" read as out_of_scope, like "đổi tiền ở đâu" (docs/nlu.md)."""
    sender = _sender()
    benefit = KB.get("tro_cap_that_nghiep").name
    first = await rasa_stack.say_text(sender, typed("bảo hiểm thất nghiệp hưởng thế nào"))
    assert first.startswith(benefit)
    place = await rasa_stack.say_text(sender, typed("thế đăng ký ở đâu"))
    assert place.startswith(f"Nơi nộp hồ sơ {benefit}")
    residence = KB.get("tam_tru").name
    await rasa_stack.say_text(sender, typed("làm tạm trú cần gì"))
    renew = await rasa_stack.say_text(sender, typed("còn gia hạn thì ra chỗ nào"))
    assert renew.startswith(f"Nơi nộp hồ sơ {residence}")
    # The ninth brief: a follow-up naming the citizen's town, or asking for the result.
    town = await rasa_stack.say_text(sender, typed("ở Hạ Long thì làm chỗ nào"))
    assert town.startswith(f"Nơi nộp hồ sơ {residence}")
    when = await rasa_stack.say_text(sender, typed("thế nhận kết quả lúc nào"))
    assert when.startswith(f"Thời gian giải quyết {residence}")
    # The same shapes about everyday things are still no procedure.
    money = await rasa_stack.say_text(sender, typed("đổi tiền lẻ ở đâu"))
    assert money == OUT_OF_SCOPE
    beach = await rasa_stack.say_text(sender, typed("bãi tắm ở Hạ Long chỗ nào đẹp"))
    assert beach == OUT_OF_SCOPE


@pytest.mark.parametrize("typed", [str.strip, fold])
async def test_a_misread_follow_up_right_after_an_answer_is_answered(rasa_stack, typed) -> None:
    """On its own "cấp ở đâu" reads as out_of_scope (0.55, ask_location 0.45); right after
    an answer about căn cước it asks where to apply for it (actions/follow_ups.py). Once
    the conversation has moved on, it is out of scope again."""
    sender = _sender()
    card = KB.get("can_cuoc").name
    docs = await rasa_stack.say_text(sender, typed("làm căn cước cần giấy tờ gì"))
    assert docs.startswith(f"Hồ sơ {card}")
    place = await rasa_stack.say_text(sender, typed("cấp ở đâu"))
    assert place.startswith(f"Nơi nộp hồ sơ {card}")
    fee = await rasa_stack.say_text(sender, typed("còn lệ phí"))
    assert fee.startswith(f"Lệ phí {card}")
    await rasa_stack.say_text(sender, typed("ok cảm ơn nhé"))
    # As typed: without diacritics, "cap o dau" reads as ask_location on its own (0.59).
    assert await rasa_stack.say_text(sender, "cấp ở đâu") == OUT_OF_SCOPE


@pytest.mark.parametrize("typed", [str.strip, fold])
async def test_where_one_lives_and_what_about_follow_the_last_question(rasa_stack, typed) -> None:
    """After an answer, "nhà em ở Cô Tô thì sao" asks the last question again (read on
    its own as ask_documents 0.50); a bare "e đang ở Vân Đồn" (out_of_scope 0.89) or "nha
    em o Ha Long" ("o" as "ờ": affirm 0.47) says where the citizen will submit."""
    sender = _sender()
    birth = KB.get("khai_sinh").name
    where = await rasa_stack.say_text(sender, typed("khai sinh cho bé nộp ở đâu"))
    assert where.startswith(f"Nơi nộp hồ sơ {birth}")
    island = await rasa_stack.say_text(sender, typed("nhà e ở Cô Tô thì sao"))
    assert island.startswith(f"Nơi nộp hồ sơ {birth}")

    permit = KB.get("giay_phep_xay_dung").name
    fee = await rasa_stack.say_text(sender, typed("xin giấy phép xây dựng hết bao nhiêu tiền"))
    assert fee.startswith(f"Lệ phí {permit}")
    # The fee again would repeat it word for word: the entry holds nothing more for that.
    family = await rasa_stack.say_text(sender, typed("nhà có 4 người thì sao"))
    assert family == MSG_NOTHING_MORE.format(name=permit)
    # … and the question waits for editors, with the entry that lacks the answer.
    redis = connect(rasa_stack.redis_url)
    try:
        entries = await read(redis, unanswered_key(rasa_stack.key_prefix))
    finally:
        await redis.close()
    kept = [e for e in entries if e["text"] == typed("nhà có 4 người thì sao")]
    assert [e.get("procedure") for e in kept] == ["giay_phep_xay_dung"]
    for town in ("e đang ở Vân Đồn", "nha em o Ha Long"):
        here = await rasa_stack.say_text(sender, typed(town))
        assert here.startswith(f"Nơi nộp hồ sơ {permit}"), town
    await rasa_stack.say_text(sender, typed("cảm ơn ad"))
    # Once the conversation has moved on, a town is no question of a procedure.
    assert not (await rasa_stack.say_text(sender, typed("e đang ở Vân Đồn"))).startswith("Nơi")


@pytest.mark.parametrize("typed", [str.strip, fold])
async def test_two_questions_in_one_message_get_two_answers(rasa_stack, typed) -> None:
    sender = _sender()
    licence = KB.get("giay_phep_lai_xe").name
    replies = await rasa_stack.say(
        sender, typed("đổi bằng lái ô tô hết bao nhiêu tiền và mất mấy ngày vậy ad")
    )
    assert [r["text"].splitlines()[0] for r in replies] == [
        f"Lệ phí {licence}:",
        f"Thời gian giải quyết {licence}:",
    ]
    assert all(r["text"].splitlines()[-1].startswith("Nguồn: https://") for r in replies)


@pytest.mark.parametrize("typed", [str.strip, fold])
async def test_a_lost_birth_certificate_gets_the_copy_procedure(rasa_stack, typed) -> None:
    sender = _sender()
    copy = KB.get("trich_luc_ho_tich").name
    lost = await rasa_stack.say_text(
        sender, typed("e bị mất giấy khai sinh bản chính thì xin lại như thế nào")
    )
    assert lost.startswith(copy)
    fee = await rasa_stack.say_text(sender, typed("bn tiền 1 bản"))
    assert fee.startswith(f"Lệ phí {copy}")


@pytest.mark.parametrize("typed", [str.strip, fold])
async def test_a_paper_asked_for_after_an_answer_is_one_of_its_papers(rasa_stack, typed) -> None:
    """ "có cần mang căn cước không" after hộ chiếu asks whether hộ chiếu needs it: not
    căn cước's papers. "em cần giấy khai sinh" is the citizen wanting the paper."""
    sender = _sender()
    passport = KB.get("ho_chieu").name
    await rasa_stack.say_text(sender, typed("làm hộ chiếu cần gì"))
    card = await rasa_stack.say_text(sender, typed("có cần mang căn cước không"))
    assert card.startswith(f"Hồ sơ {passport}")
    book = await rasa_stack.say_text(sender, typed("phải mang sổ hộ khẩu hả ad"))
    assert book.startswith(f"Hồ sơ {passport}")
    notarised = await rasa_stack.say_text(sender, typed("giấy tờ có cần công chứng không"))
    assert notarised.startswith(f"Hồ sơ {passport}")
    want = await rasa_stack.say_text(sender, typed("em cần giấy khai sinh"))
    assert want.startswith(f"Hồ sơ {KB.get('khai_sinh').name}")


async def test_what_a_procedure_is_for_is_not_asked_about_and_the_offer_is_answered(
    rasa_stack,
) -> None:
    sender = _sender()
    single = KB.get("xac_nhan_hon_nhan").name
    reply = await rasa_stack.say_text(
        sender, "e muốn xin giấy xác nhận độc thân để đi làm hồ sơ kết hôn"
    )
    assert reply.startswith(single)
    # Two procedures offered, then a new question before a choice: answered for both.
    (question,) = await rasa_stack.say(sender, "công chứng ở đâu")
    assert [b["title"] for b in question["buttons"]] == [
        KB.get("chung_thuc_ban_sao").name,
        KB.get("chung_thuc_chu_ky").name,
    ]
    both = await rasa_stack.say(sender, "mất bao lâu thế")
    assert [m["text"].split(":")[0] for m in both] == [
        f"Thời gian giải quyết {KB.get('chung_thuc_ban_sao').name}",
        f"Thời gian giải quyết {KB.get('chung_thuc_chu_ky').name}",
    ]


async def test_unknown_procedure_is_asked_for_then_answered(rasa_stack) -> None:
    sender = _sender()
    question = await rasa_stack.say_text(sender, "lệ phí bao nhiêu vậy")
    assert "lệ phí của thủ tục nào" in question
    answer = await rasa_stack.say_text(sender, "hộ chiếu")
    assert "Lệ phí Cấp hộ chiếu phổ thông" in answer
    assert "100.000 đ" in answer


async def test_a_name_on_its_own_follows_up_a_question_of_its_own_does_not(rasa_stack) -> None:
    sender = _sender()
    docs = await rasa_stack.say_text(sender, "lam giay khai sinh can gi")
    assert docs.startswith("Hồ sơ Đăng ký khai sinh gồm:")
    follow = await rasa_stack.say_text(sender, "còn hộ chiếu thì sao ạ")
    assert follow.startswith("Hồ sơ Cấp hộ chiếu phổ thông"), follow
    own = await rasa_stack.say_text(sender, "làm hộ chiếu thế nào")
    assert own.startswith("Cấp hộ chiếu phổ thông"), own  # the overview


async def test_ambiguous_name_offers_buttons_and_the_click_answers(rasa_stack) -> None:
    sender = _sender()
    # "công chứng" alone names two procedures: the bot offers both, each answering "where".
    (reply,) = await rasa_stack.say(sender, "công chứng ở đâu")
    payloads = [b["payload"] for b in reply.get("buttons", [])]
    assert '/ask_location{"procedure":"chung_thuc_ban_sao"}' in payloads, reply
    assert '/ask_location{"procedure":"chung_thuc_chu_ky"}' in payloads, reply
    click = await rasa_stack.say_text(sender, '/ask_location{"procedure":"chung_thuc_ban_sao"}')
    assert "Nơi nộp hồ sơ Chứng thực bản sao" in click
    assert "tổ chức hành nghề công chứng" in click


async def test_a_bare_name_of_two_procedures_is_asked_about_once(rasa_stack) -> None:
    sender = _sender()
    replies = await rasa_stack.say(sender, "chung thuc")
    assert len(replies) == 1, replies  # once: it used to be the fallback, ten times over
    payloads = [b["payload"] for b in replies[0].get("buttons", [])]
    assert any('"chung_thuc_ban_sao"' in p for p in payloads), replies
    assert any('"chung_thuc_chu_ky"' in p for p in payloads), replies
    # The conversation goes on normally.
    fee = await rasa_stack.say_text(sender, "lệ phí làm hộ chiếu bao nhiêu")
    assert "Lệ phí Cấp hộ chiếu phổ thông" in fee


async def test_gibberish_gets_the_fallback(rasa_stack) -> None:
    # No known word: the fallback, or the out-of-scope answer when the classifier already
    # reads it so (VocabularyFallback keeps that); never a procedure answer.
    assert await rasa_stack.say_text(_sender(), "xkqw zzpt hjkl") in (DEFAULT, OUT_OF_SCOPE)


async def test_a_procedure_the_knowledge_base_lacks_is_kept_for_editors(rasa_stack) -> None:
    # Not one of the 20: the reply names it, points to the national portal, and the
    # question (phone number masked) waits in kb:unanswered for an editor.
    text = "mik muốn hỏi thủ tục nhận con nuôi, sđt e 0912345678"
    reply = await rasa_stack.say_text(_sender(), text)
    assert reply == MSG_NOT_COVERED.format(name="đăng ký nuôi con nuôi")
    assert "https://dichvucong.gov.vn" in reply
    redis = connect(rasa_stack.redis_url)
    try:
        entries = await read(redis, unanswered_key(rasa_stack.key_prefix))
    finally:
        await redis.close()
    (entry,) = [e for e in entries if "con nuôi" in e["text"]]
    assert entry["intent"] == "out_of_scope" and "0912345678" not in entry["text"]


QUESTIONS = {
    "ask_procedure": "thủ tục {} làm thế nào",
    "ask_documents": "{} cần những giấy tờ gì",
    "ask_fee": "lệ phí {} là bao nhiêu",
    "ask_duration": "{} mất bao lâu thì xong",
    "ask_location": "{} nộp hồ sơ ở đâu",
    "ask_online": "{} có làm online được không",
}


@pytest.mark.parametrize("aspect", sorted(QUESTIONS))
async def test_every_procedure_every_aspect_with_and_without_diacritics(
    rasa_stack, aspect: str
) -> None:
    """Issue 3's "done when": any of the 20 procedures, any aspect, typed either way, gets
    exactly the answer composed from its knowledge-base entry, with its source."""
    wrong = []
    for procedure in KB.procedures.values():
        question = QUESTIONS[aspect].format(procedure.aliases[0])
        expected = compose_answer(procedure, aspect)
        assert "\nNguồn: https://" in expected  # the source of the facts it shows
        for typed in (question, fold(question)):
            reply = await rasa_stack.say_text(_sender(), typed)
            if expected not in reply:
                wrong.append((typed, reply[:120]))
    assert not wrong, wrong


async def test_who_goes_is_answered_after_an_answer_even_read_as_no(rasa_stack) -> None:
    sender = _sender()
    docs = await rasa_stack.say_text(sender, "đăng ký tạm trú cần giấy tờ gì")
    assert docs.startswith("Hồ sơ Đăng ký tạm trú")
    # "k" reads as "không": the classifier takes it for deny.
    who = await rasa_stack.say_text(sender, "chu nha phai ky k")
    assert who == compose_answer(KB.get("tam_tru"), "who_goes")
    # An overview question about who goes gets who goes, not the overview again.
    both = await rasa_stack.say_text(sender, "đăng ký kết hôn thì cả 2 người có phải đi cùng ko")
    assert both == compose_answer(KB.get("ket_hon"), "who_goes")
    assert "không được ủy quyền" in both
    # An entry that cannot say: honest, and no dossier code asked for (this one can read
    # as an unsure status question).
    land = _sender()
    await rasa_stack.say_text(land, "làm sổ đỏ lần đầu có phải nộp tiền sử dụng đất ko")
    proxy = await rasa_stack.say_text(land, "nhờ con trai đi nộp hồ sơ thay đc k")
    assert proxy == compose_answer(KB.get("so_do"), "who_goes")


async def test_a_life_event_names_the_procedure(rasa_stack) -> None:
    sender = _sender()
    place = await rasa_stack.say_text(
        sender, "anh trai em muốn cưới vợ người Trung Quốc thì đăng ký ở đâu"
    )
    assert place == compose_answer(KB.get("ket_hon"), "ask_location")
    time = await rasa_stack.say_text(sender, "mất bao lâu thì xong")
    assert time == compose_answer(KB.get("ket_hon"), "ask_duration")
    baby = await rasa_stack.say_text(
        _sender(), "con em mới đẻ đc 1 tuần, giờ cần làm gì cho cháu ạ"
    )
    assert baby == compose_answer(KB.get("khai_sinh"), "ask_procedure")
    # Everyday talk about the same events stays out of scope; the procedure is offered.
    food = await rasa_stack.say(_sender(), "vợ mới sinh nên ăn gì cho lợi sữa vậy")
    assert [m["text"] for m in food] == [
        OUT_OF_SCOPE,
        MSG_EVENT_OFFER.format(name=KB.get("khai_sinh").name),
    ]


async def test_a_complaint_gets_an_apology_and_a_button_to_an_official(rasa_stack) -> None:
    sender = _sender()
    (reply,) = await rasa_stack.say(sender, "bot ngu thế, hỏi mãi ko hiểu")
    assert reply["text"] == RESPONSES["utter_sorry_offer_official"][0]["text"]
    (button,) = reply["buttons"]
    assert button["title"] == "Gặp cán bộ"
    clicked = await rasa_stack.say_text(sender, button["payload"])
    assert clicked.startswith("Tôi đã ghi nhận yêu cầu gặp cán bộ")


async def test_the_rest_of_a_long_documents_list_is_shown_on_request(rasa_stack) -> None:
    sender = _sender()
    pages = document_pages(KB.get("so_do"))
    assert await rasa_stack.say_text(sender, "lam so do lan dau can giay to gi") == pages[0]
    assert await rasa_stack.say_text(sender, "giấy tờ còn lại") == pages[1]
    done = await rasa_stack.say_text(sender, "còn gì nữa không")
    assert done == ALL_SHOWN.format(name=KB.get("so_do").name)


async def test_a_puzzled_question_mark_gets_what_more_and_a_button_answers(rasa_stack) -> None:
    sender = _sender()
    fee = await rasa_stack.say_text(sender, "le phi doi can cuoc bao nhieu")
    assert fee == compose_answer(KB.get("can_cuoc"), "ask_fee")
    [what_more] = await rasa_stack.say(sender, "?")
    assert what_more["text"] == MSG_WHAT_MORE.format(name=KB.get("can_cuoc").name)
    where = next(b for b in what_more["buttons"] if b["title"] == "Nơi nộp")
    answer = await rasa_stack.say_text(sender, where["payload"])
    assert answer == compose_answer(KB.get("can_cuoc"), "ask_location")


async def test_two_procedures_joined_by_and_each_get_the_answer(rasa_stack) -> None:
    sender = _sender()
    replies = await rasa_stack.say(
        sender, "Mình muốn hỏi thủ tục kết hôn và xác nhận tình trạng hôn nhân cần giấy tờ gì ạ?"
    )
    assert [r["text"] for r in replies] == [
        compose_answer(KB.get("ket_hon"), "ask_documents"),
        compose_answer(KB.get("xac_nhan_hon_nhan"), "ask_documents"),
    ]
    # Then one of them by its place.
    later = await rasa_stack.say_text(sender, "cái sau lệ phí bao nhiêu")
    assert later == compose_answer(KB.get("xac_nhan_hon_nhan"), "ask_fee")
    # "từ … sang …" asks about one of them: which one?
    [which] = await rasa_stack.say(_sender(), "chuyển từ tạm trú sang thường trú cần gì")
    assert {b["payload"] for b in which["buttons"]} >= {
        '/ask_documents{"procedure":"tam_tru"}',
        '/ask_documents{"procedure":"thuong_tru"}',
    }


async def test_a_life_event_told_without_a_question_is_offered_then_asked_about(
    rasa_stack,
) -> None:
    sender = _sender()
    told = await rasa_stack.say(sender, "công ty cắt giảm, em vừa nghỉ việc tuần trước")
    name = KB.get("tro_cap_that_nghiep").name
    assert told[-1]["text"] == MSG_EVENT_OFFER.format(name=name), told
    # "hạn nộp" asks the citizen's deadline, which the entry tells (batch 60).
    when = await rasa_stack.say_text(sender, "hạn nộp là bao lâu vậy")
    assert when == answer_deadline(KB.get("tro_cap_that_nghiep"))
    assert "Nộp hồ sơ trong 03 tháng kể từ ngày chấm dứt HĐLĐ." in when


async def test_a_question_the_entry_cannot_answer_says_so_and_keeps_the_procedure(
    rasa_stack,
) -> None:
    """ "có bị phạt ko" right after an answer (out of scope, 0.95 on the model this was
    written with): no "ngoài phạm vi", but no information on that for this procedure, a
    button per aspect and one to an official; the next question is still about it."""
    sender = _sender()
    fee = await rasa_stack.say_text(sender, "lam giay khai sinh cho con qua han thi phi bn")
    assert fee == compose_answer(KB.get("khai_sinh"), "ask_fee")
    [beyond] = await rasa_stack.say(sender, "có bị phạt ko")
    assert beyond["text"] == MSG_BEYOND_DATA.format(name=KB.get("khai_sinh").name)
    assert [b["title"] for b in beyond["buttons"]][-1] == "Gặp cán bộ"
    where = await rasa_stack.say_text(sender, "nộp ở đâu")
    assert where == compose_answer(KB.get("khai_sinh"), "ask_location")
    # With no answer before it, the same question is out of scope.
    assert await rasa_stack.say_text(_sender(), "có bị phạt ko") == OUT_OF_SCOPE


async def test_a_procedure_told_as_the_situation_is_not_the_one_answered(rasa_stack) -> None:
    """ "có sổ hồng rồi" is owned, "ny a hộ khẩu hải phòng" is where she lives: the other
    procedure, named or discussed before, is the one asked about."""
    moving = await rasa_stack.say_text(
        _sender(),
        "gia đình tôi vừa mua căn chung cư ở phường Hồng Gai, có sổ hồng rồi, giờ muốn "
        "chuyển hộ khẩu từ Uông Bí về đây thì thủ tục thế nào",
    )
    assert moving == compose_answer(KB.get("thuong_tru"), "ask_procedure")
    sender = _sender()
    wedding = await rasa_stack.say_text(
        sender, "a vs ny sắp cưới, cần lm thủ tục đăng ký kết hôn j"
    )
    assert wedding.startswith(KB.get("ket_hon").name)
    where = await rasa_stack.say_text(sender, "ny a hộ khẩu hải phòng thì đk ở đâu")
    assert where == compose_answer(KB.get("ket_hon"), "ask_location")


async def test_yes_after_the_apology_reaches_an_official(rasa_stack) -> None:
    sender = _sender()
    [sorry] = await rasa_stack.say(sender, "hỏi mãi ko đc câu trả lời rõ ràng, bot vô dụng")
    assert [b["payload"] for b in sorry["buttons"]] == ["/request_human"]
    handoff = await rasa_stack.say_text(sender, "uh chuyen di")
    assert handoff == HANDOFF_REPLY
    # The conversation goes on: the next question is answered.
    fee = await rasa_stack.say_text(sender, "lệ phí làm hộ chiếu bao nhiêu")
    assert fee == compose_answer(KB.get("ho_chieu"), "ask_fee")


async def test_a_paper_owned_leaves_the_procedure_written_out_whole(rasa_stack) -> None:
    """Batch 13: "hộ chiếu" here is no entity; "có cccd rồi" is owned; the name written
    out whole is the procedure asked about."""
    answer = await rasa_stack.say_text(
        _sender(), "mình có cccd rồi thì có cần hộ chiếu nữa không, đi thái lan"
    )
    assert answer.startswith("Hồ sơ Cấp hộ chiếu phổ thông ở trong nước gồm:"), answer


async def test_a_button_typed_as_its_number(rasa_stack) -> None:
    """On Zalo buttons are a list; "2" picks the second (read as out of scope)."""
    sender = _sender()
    await rasa_stack.say_text(sender, "le phi doi can cuoc bao nhieu")
    [what_more] = await rasa_stack.say(sender, "?")
    second = what_more["buttons"][1]
    assert second["title"] == "Giấy tờ cần nộp"
    assert await rasa_stack.say_text(sender, "2") == compose_answer(
        KB.get("can_cuoc"), "ask_documents"
    )
    assert await rasa_stack.say_text(sender, "nộp ở đâu") == compose_answer(
        KB.get("can_cuoc"), "ask_location"
    )


async def test_batch_14_what_the_entry_cannot_answer_and_a_landlord_who_is_no_death_notice(
    rasa_stack,
) -> None:
    """From conversation batch 14 (writers who saw no project file)."""
    sender = _sender()
    name = KB.get("tro_cap_that_nghiep").name
    # A benefit amount read as the fee: "no fee" would mislead.
    amount = await rasa_stack.say_text(
        sender, "e mới nghỉ việc công ty, nghe nói đc hưởng thất nghiệp, đc bn tiền vậy"
    )
    assert amount == MSG_BEYOND_DATA.format(name=name)
    # "chưa … thì sao" reads as a status question: no code is asked for.
    where = await rasa_stack.say_text(sender, "nộp hồ sơ ở đâu")
    assert where.startswith(f"Nơi nộp hồ sơ {name}")
    what_if = await rasa_stack.say_text(sender, "cty chưa trả sổ bh thì sao")
    assert what_if == MSG_BEYOND_DATA.format(name=name)

    sender = _sender()
    await rasa_stack.say_text(sender, "em là sv thuê trọ ở Hạ Long, có phải đăng ký tạm trú k")
    online = await rasa_stack.say_text(sender, "chủ trọ bảo tự làm, lm trên mạng đc ko")
    assert online.startswith(f"{KB.get('tam_tru').name}: có thể làm trực tuyến")


async def test_batches_76_to_80_in_person_a_vehicle_put_in_ones_name_and_copies(
    rasa_stack,
) -> None:
    """From conversation batches 76 and 80 (writers who saw no project file)."""
    sender = _sender()
    passport = KB.get("ho_chieu")
    await rasa_stack.say_text(sender, "Mẹ mình 68 tuổi muốn làm hộ chiếu, làm online được ko")
    # No smartphone, then going in person (read as a request for an official): where.
    no_phone = await rasa_stack.say_text(sender, "mẹ mình ko dùng smartphone, ko có vneid")
    assert no_phone == compose_answer(passport, "ask_location")
    in_person = await rasa_stack.say_text(sender, "thôi để chở mẹ ra làm trực tiếp, ở đâu")
    assert in_person == compose_answer(passport, "ask_location")
    assert HANDOFF_REPLY not in in_person

    # A truck bought second-hand (out of scope 0.93): its registration's documents.
    sender = _sender()
    truck = await rasa_stack.say_text(
        sender,
        "e vua mua xe tai 1t25 cu cua nguoi o ha long de cho hai san, gio sang ten the nao, "
        "can giay to gi",
    )
    assert truck.startswith(compose_answer(KB.get("dang_ky_xe"), "ask_documents"))

    # Copies of two papers: the copy's place, not "which one?".
    sender = _sender()
    copies = await rasa_stack.say_text(
        sender, "photo công chứng sổ hộ khẩu với cccd ở đâu nhanh nhất"
    )
    assert copies == compose_answer(KB.get("chung_thuc_ban_sao"), "ask_location")
