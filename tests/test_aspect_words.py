"""The aspects a message asks in so many words (``actions.aspect_words``)."""

from __future__ import annotations

import pytest

from actions.aspect_words import (
    asks_nothing_but_aspects,
    asks_only_an_aspect,
    asks_whether_required,
    aspects_asked,
    cannot_apply_online,
    goes_in_person,
    separate_questions,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lệ phí bao nhiêu và mấy ngày có giấy", ["ask_fee", "ask_duration"]),
        ("le phi bn va may ngay co giay", ["ask_fee", "ask_duration"]),
        ("đổi bằng lái hết bao nhiêu tiền và mất mấy ngày vậy ad", ["ask_fee", "ask_duration"]),
        ("nộp ở đâu, mất bao lâu", ["ask_location", "ask_duration"]),
        ("cần giấy tờ gì? làm online được không", ["ask_documents", "ask_online"]),
        ("mất bao lâu với hết bao nhiêu tiền", ["ask_duration", "ask_fee"]),
        # Batch 26: the same day is the time it takes.
        ("lấy luôn trong ngày dc ko a, có mất phí k", ["ask_duration", "ask_fee"]),
        # Batch 37: "vs" is "với".
        ("giấy tờ cần j vs mất bao lâu", ["ask_documents", "ask_duration"]),
        ("nop o dau vs bao lau thi nhan dc tien", ["ask_location", "ask_duration"]),
    ],
)
def test_two_questions_in_one_message(text: str, expected: list[str]) -> None:
    assert separate_questions(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("làm online có được giảm phí không", "one question: the fee, online"),
        ("tờ khai lấy ở đâu", "one question: a document"),
        ("nộp online thì mấy ngày có kết quả", "one question: the time, online"),
        ("đóng học phí cho con online được không", "'con' is a child, not 'còn'"),
        ("lệ phí bao nhiêu, em ở xã thì có rẻ hơn không", "the second clause asks no aspect"),
        ("lệ phí bao nhiêu, phí có được miễn không", "the same aspect twice"),
    ],
)
def test_one_question(text: str, why: str) -> None:
    assert separate_questions(text) == [], why


def test_aspects_in_the_order_asked() -> None:
    assert aspects_asked("nộp online ở đâu, mất bao lâu") == [
        "ask_online",
        "ask_location",
        "ask_duration",
    ]
    assert aspects_asked("xin chào") == []


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("hồ sơ gồm những gì", True),  # batch 27, after the documents
        ("cần giấy tờ gì", True),
        ("thế còn lệ phí thì sao", True),
        ("nộp ở đâu vậy ạ", True),
        ("thẻ bị mất thì sao", False),
        ("nhà e ở cô tô thì sao", False),
        ("bằng A1 thì có phải thi lại k", False),
    ],
)
def test_a_question_of_aspect_words_alone(text: str, only: bool) -> None:
    assert asks_nothing_but_aspects(text) is only


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cửa hàng tôi có 2 bạn nhân viên ở lại, có phải đăng ký tạm trú cho các bạn k", True),
        ("xây nhà cấp 4 có cần xin giấy phép xây dựng ko", True),
        # Batch 104: entitled at all ("đóng bh đc 3 năm" read the time).
        ("đóng bh đc 3 năm, giờ có đc hưởng thất nghiệp ko ạ", True),
        ("có phải đki biển ko ạ hay đi luôn đc", True),  # batch 105: "đki"
        ("em gai e 10t lam can cuoc dc ko ad, de di may bay", True),  # batch 111: at 10
        ("đang hưởng trợ cấp được 2 tháng, có chỗ làm mới, có phải báo không", True),  # 109
        ("có phải mang căn cước không", False),
        ("đăng ký tạm trú phí bao nhiêu", False),
    ],
)
def test_whether_a_procedure_must_be_done_at_all(text: str, expected: bool) -> None:
    """Batch 62: "có phải đăng ký tạm trú cho các bạn k" got the fee (the classifier's
    guess); the overview says whether and how."""
    assert asks_whether_required(text) is expected


def test_where_a_fee_is_paid_asks_both_and_a_copy_its_fee() -> None:
    """Batch 67: "phi do nop o dau" got the place alone; batch 66: "moi ban bao nhieu"
    after chứng thực got "out of scope"."""
    assert separate_questions("phi do nop o dau") == ["ask_fee", "ask_location"]
    assert separate_questions("lệ phí đóng ở đâu ạ") == ["ask_fee", "ask_location"]
    assert aspects_asked("moi ban bao nhieu") == ["ask_fee"]
    assert aspects_asked("ban bao nhieu tuoi") == []


def test_here_asks_where() -> None:
    """Batch 61: "sua o day dc k" asks whether it can be done here."""
    assert aspects_asked("sua o day dc k") == ["ask_location"]
    assert aspects_asked("làm ở đây được không") == ["ask_location"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Batch 80: whether it can be done in a place named, at the question's end.
        ("nó đang học tiếng ở hà nội thì làm ở hà nội được ko", ["ask_location"]),
        ("nộp tại Uông Bí được không ạ", ["ask_location"]),
        # Batch 76: whether one must go all the way there.
        ("có phải về tận Thái Bình k", ["ask_location"]),
        # At home is online or a visit, not a place to file; other doings are no filing;
        # "lên tận nơi" is going in person (batch 98).
        ("làm ở nhà được không", []),
        ("lam online dc ko hay phai len tan noi", ["ask_online"]),
        ("học ở hà nội được không", []),
    ],
)
def test_whether_it_can_be_done_there(text: str, expected: list[str]) -> None:
    assert aspects_asked(text) == expected


def test_sums_and_yearly_amounts_ask_the_fee() -> None:
    """Batches 77, 78, 80: "tổng bao nhiêu tiền", "bn 1 nam" after an answer."""
    assert asks_only_an_aspect("tổng bao nhiêu tiền") == "ask_fee"
    assert asks_only_an_aspect("bn 1 nam") == "ask_fee"
    assert aspects_asked("đóng bao nhiêu 1 tháng") == ["ask_fee"]
    # Batches 93, 97: "bnh" is "bao nhiêu"; the price of a page.
    assert asks_only_an_aspect("tong bnh 1 nam") == "ask_fee"
    assert asks_only_an_aspect("bao nhieu 1 trang") == "ask_fee"
    # Batch 98: where the registration fee is paid asks the fee and the place.
    assert separate_questions("con truoc ba nop o dau, bn %") == ["ask_fee", "ask_location"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bác cũng không có điện thoại thông minh, chỉ có cái điện thoại bấm số thôi", True),
        ("mẹ mình ko dùng smartphone, ko có vneid", True),
        ("bà không biết dùng máy tính", True),
        ("toi khong biet dung may cai online", True),  # batch 104
        ("ba gia roi mat kem, lam tren dien thoai kho lam", True),  # batch 108
        ("có vneid rồi", False),
        ("điện thoại có vneid không", False),
    ],
)
def test_cannot_apply_online(text: str, expected: bool) -> None:
    """Batch 76: the place to apply in person answers it."""
    assert cannot_apply_online(text) is expected


def test_going_in_person() -> None:
    assert goes_in_person("thôi để chở mẹ ra làm trực tiếp, ở đâu")  # batch 76
    assert goes_in_person("nop truc tiep o dau")
    assert not goes_in_person("muốn gặp trực tiếp cán bộ")
