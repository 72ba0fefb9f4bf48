"""Procedures no entry holds (``actions.not_covered``), and the procedure action's reply."""

from __future__ import annotations

import pytest

from actions.not_covered import (
    MSG_NOT_COVERED,
    TAXES,
    corrects_a_record,
    not_covered,
    not_covered_named,
)
from actions.procedures import BUTTONS_OFFICIAL, ActionAnswerProcedure
from bot.kb import KnowledgeBaseStore
from tests.labelled import labelled_examples
from tests.project import KB_DIR
from tests.trackers import Conversation


@pytest.mark.parametrize(
    ("text", "named", "expected"),
    [
        # Batch 26.
        ("còn visa nhật thì bên mình có hướng dẫn không ạ", set(), "thị thực (visa)"),
        ("làm visa hàn quốc ở đâu", set(), "thị thực (visa)"),
        # Batch 34: after thành lập doanh nghiệp, a permit of its own.
        (
            "còn giấy phép kinh doanh lữ hành thì xin ở đâu",
            set(),
            "cấp giấy phép kinh doanh lữ hành",
        ),
        (
            "tên trong giấy khai sinh của con tôi bị sai dấu, giờ muốn sửa thì làm thủ tục gì",
            {"khai_sinh"},
            "cải chính hộ tịch",
        ),
        ("ko phải khai sinh mới đâu, tôi hỏi sửa cái cũ cơ", {"khai_sinh"}, "cải chính hộ tịch"),
        ("ngày sinh trên giấy kết hôn ghi nhầm", {"ket_hon"}, "cải chính hộ tịch"),
        # The copy of the record named ("trích lục khai sinh") is the record too.
        (
            "trích lục khai sinh của tôi ghi sai tên, sửa thế nào",
            {"trich_luc_ho_tich"},
            "cải chính hộ tịch",
        ),
        ("thu tuc nhan con nuoi mat bao lau", set(), "đăng ký nuôi con nuôi"),
        ("xin giấy thông hành sang Trung Quốc", set(), "cấp giấy thông hành"),
        # Batch 29.
        ("e muon doi ten cho con, ten hien tai hoi xau, lam the nao a", set(), "thay đổi hộ tịch"),
        ("cho e hoi thu tuc ly hon nop o dau a", set(), "ly hôn"),
        (
            "thế còn thủ tục giải thể cty bên sở kế hoạch thì hỏi bn được ko",
            set(),
            "giải thể doanh nghiệp",
        ),
        ("có cần xin phòng cháy chữa cháy ko", set(), "phòng cháy, chữa cháy"),
        ("nhà tôi khó khăn lắm, xin trợ cấp hộ nghèo thì làm sao", set(), "công nhận hộ nghèo"),
    ],
)
def test_a_procedure_no_entry_holds(text: str, named: set[str], expected: str) -> None:
    assert not_covered(text, named) == expected


@pytest.mark.parametrize(
    ("text", "named", "why"),
    [
        ("hộ chiếu cũ còn visa mỹ thì có được giữ lại ko", {"ho_chieu"}, "hộ chiếu is asked"),
        ("lý lịch tư pháp số 2 để xin visa", {"ly_lich_tu_phap"}, "lý lịch tư pháp is asked"),
        ("thanh toán qua cổng dịch vụ công bằng thẻ visa được không", set(), "a bank card"),
        ("e nhầm, khai sinh làm ở đâu", {"khai_sinh"}, "a slip, no correction"),
        ("khai sinh thì đợi ở đâu", {"khai_sinh"}, "'đợi' folds like 'đổi'"),
        ("sai tên trong cccd thì đổi ở đâu", {"can_cuoc"}, "căn cước's cấp đổi"),
        ("e ly hôn rồi thì cần thêm gì", set(), "told, not asked about"),
        ("người thuộc hộ nghèo có được miễn không", set(), "an exemption asked"),
        ("đổi tên chủ hộ thì làm sao", set(), "thường trú's change of household head"),
    ],
)
def test_not_a_procedure_no_entry_holds(text: str, named: set[str], why: str) -> None:
    assert not_covered(text, named) is None, why


def test_few_labelled_procedure_questions_read_as_a_correction() -> None:
    """Of the labelled procedure questions, hardly any asks to correct a record."""
    taken = [t for i, t in labelled_examples() if i.startswith("ask_") and corrects_a_record(t)]
    assert len(taken) <= 2, taken


async def test_the_procedure_action_says_so_and_forgets_the_procedure() -> None:
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    await conversation.say("làm khai sinh cho con cần gì", "ask_documents", "khai_sinh")
    text = "tên trong giấy khai sinh của con tôi bị sai dấu, giờ muốn sửa thì làm thủ tục gì"
    msgs, _ = await conversation.say(text, "ask_procedure", "khai_sinh", name="khai sinh")
    assert msgs == [
        {
            **msgs[0],
            "text": MSG_NOT_COVERED.format(name="cải chính hộ tịch"),
            "buttons": BUTTONS_OFFICIAL,
        }
    ]
    assert conversation.slots == {"procedure": None, "last_aspect": None}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # Batch 48: read as khai tử's place ("bố mẹ mất") before; a lawsuit is named first.
        (
            "nha toi co 3 anh em, bo me mat de lai manh dat, gio anh ca doi chiem het, toi "
            "phai kien o dau",
            "khởi kiện (do Tòa án giải quyết)",
        ),
        (
            "hang xom lan dat nha t 2 met, co ai giai quyet k",
            "hòa giải, giải quyết tranh chấp đất đai",
        ),
        ("muốn khởi kiện thì nộp đơn ở đâu", "khởi kiện (do Tòa án giải quyết)"),
        # Batch 55: a homestay's guests, not tạm trú.
        ("Tôi khai báo lưu trú cho khách qua đâu cho nhanh?", "thông báo lưu trú"),
    ],
)
def test_a_dispute_or_a_lawsuit_is_not_covered(text: str, name: str) -> None:
    assert not_covered(text, set()) == name


@pytest.mark.parametrize("text", ["cho tôi góp ý kiến", "kiện hàng bị thất lạc", "lan can nhà"])
def test_kien_alone_is_no_lawsuit(text: str) -> None:
    assert not_covered(text, set()) is None


@pytest.mark.parametrize(
    ("text", "named", "expected"),
    [
        # Batch 62: named with the registration, a change to it is no registration.
        (
            "ra tet e muon nghi ban 3 thang thi co can bao cho ai k, ho kd",
            {"ho_kinh_doanh"},
            "tạm ngừng kinh doanh",
        ),
        ("cho e hoi tam ngung kinh doanh", set(), "tạm ngừng kinh doanh"),
        (
            "muốn đổi địa chỉ kinh doanh của hkd",
            {"ho_kinh_doanh"},
            "thay đổi nội dung đăng ký kinh doanh",
        ),
        ("đăng ký hộ kinh doanh cần gì", {"ho_kinh_doanh"}, None),
        # Batch 66: changing land use before building.
        ("lam cai chuyen muc dich do o dau", set(), "chuyển mục đích sử dụng đất"),
        # No business in it: an address is anything's.
        ("toi muon doi dia chi nhan thong bao", set(), None),
        ("đổi địa chỉ trên căn cước", {"can_cuoc"}, None),
    ],
)
def test_changes_to_a_business(text: str, named: set[str], expected: str | None) -> None:
    assert not_covered(text, named) == expected


async def test_an_aspect_asked_right_after_is_of_the_procedure_not_covered() -> None:
    """Batch 62: "bao truoc bao nhieu ngay" right after "no entry holds tạm ngừng kinh
    doanh" got khai tử's time (the closest entry)."""
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    text = "ra tet e muon nghi ban 3 thang thi co can bao cho ai k, ho kd"
    first, _ = await conversation.say(text, "ask_documents", "ho_kinh_doanh", name="ho kd")
    said = MSG_NOT_COVERED.format(name="tạm ngừng kinh doanh")
    assert [m["text"] for m in first] == [said]
    assert not_covered_named(said) == "tạm ngừng kinh doanh"
    again, _ = await conversation.say("bao truoc bao nhieu ngay", "ask_duration")
    assert [m["text"] for m in again] == [said]
    # A procedure named next is answered as usual.
    named, _ = await conversation.say("con khai sinh thi sao", "ask_duration", "khai_sinh")
    assert named[0]["text"].startswith("Thời gian giải quyết Đăng ký khai sinh")


@pytest.mark.parametrize(
    ("text", "named", "expected"),
    [
        # Batches 76, 80: a dead father's residence struck off is a procedure of its own.
        ("làm xong rồi thì có phải đi cắt khẩu cho bố nữa ko hay nó tự xóa", set(), True),
        ("còn phải xóa thường trú cho ông không hay tự động", {"thuong_tru"}, True),
        # Batch 84: khai tử named as what came before.
        (
            "Sau khi khai tử có phải làm thủ tục xóa thường trú riêng không",
            {"khai_tu", "thuong_tru"},
            True,
        ),
        # Batches 77, 81, 83: moving house, which thường trú's registration answers.
        ("có cần xóa hộ khẩu ở quê trước k", set(), False),
        ("có phải về nam định xóa hộ khẩu cũ ko", set(), False),
        ("có phải cắt khẩu ở nơi cũ trước không", {"thuong_tru"}, False),
    ],
)
def test_a_residence_struck_off(text: str, named: set[str], expected: bool) -> None:
    assert (not_covered(text, named) == "xóa đăng ký thường trú") is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("đăng ký xong có phải đóng thuế không", True),  # batch 76, hộ kinh doanh
        ("năm nay thuế khoán cửa hàng hải sản nhà em tăng gấp đôi", True),  # batch 81
        ("quyet toan thue tncn online lam the nao", True),
        ("thuê nhà thì sao", False),  # rent: folded alike, typed otherwise
        ("tam tru can hop dong thue nha co cong chung ko", False),  # "hợp đồng thuê"
        ("thue phi ai chiu, het bao nhieu tien", False),  # the fee answers it
    ],
)
def test_taxes(text: str, expected: bool) -> None:
    assert (not_covered(text, set()) == TAXES) is expected


def test_no_labelled_procedure_question_is_about_taxes() -> None:
    taken = [
        (intent, t)
        for intent, t in labelled_examples()
        if intent != "out_of_scope" and not_covered(t, set()) == TAXES
    ]
    assert taken == []
