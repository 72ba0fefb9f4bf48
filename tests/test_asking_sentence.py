"""Of the procedures a long message names, the one its question names
(``actions.asking_sentence``)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions.asking_sentence import asking_text, named_where_asked
from actions.procedures import ActionAnswerProcedure
from bot.kb import KnowledgeBaseStore
from tests.project import KB_DIR
from tests.trackers import Conversation


def _named(text: str, names: dict[str, str]) -> list[dict[str, Any]]:
    """``procedure`` entities for ``names`` (their text in ``text`` → their id)."""
    out = []
    for name, value in names.items():
        start = text.index(name)
        out.append(
            {"entity": "procedure", "value": value, "start": start, "end": start + len(name)}
        )
    return sorted(out, key=lambda e: e["start"])


STORY = (
    "Em đã ly hôn năm 2019 ở tòa án, giờ em muốn đăng ký kết hôn với người mới ở Hải Phòng. "
    "Em cần xin giấy xác nhận tình trạng hôn nhân ở đâu, có cần mang bản án ly hôn không ạ"
)


@pytest.mark.parametrize(
    ("text", "names", "asked"),
    [
        # Batch 34: the story tells one procedure, the question names another.
        (
            STORY,
            {"đăng ký kết hôn": "ket_hon", "xác nhận tình trạng hôn nhân": "xac_nhan_hon_nhan"},
            ["xac_nhan_hon_nhan"],
        ),
        (
            "Chồng em người Trung Quốc, bọn em đăng ký kết hôn ở Móng Cái rồi. Giờ em sinh con "
            "thì làm khai sinh cho con ở đâu, con mang quốc tịch gì ạ",
            {"đăng ký kết hôn": "ket_hon", "khai sinh": "khai_sinh"},
            ["khai_sinh"],
        ),
        # "không ạ hay": an either-or question asks too.
        (
            "Ngày xưa mẹ khai sinh ở xã Đông Xá. Giờ nhà em ở Móng Cái thì có xin trích lục ở "
            "Móng Cái được không ạ hay phải về Vân Đồn",
            {"khai sinh": "khai_sinh", "trích lục": "trich_luc_ho_tich"},
            ["trich_luc_ho_tich"],
        ),
    ],
)
def test_the_procedure_the_question_names(
    text: str, names: dict[str, str], asked: list[str]
) -> None:
    narrowed = named_where_asked(text, _named(text, names))
    assert narrowed is not None
    assert [e["value"] for e in narrowed] == asked


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # One sentence: nothing to tell apart.
        (
            "làm khai sinh với đăng ký thường trú ở đâu",
            {"khai sinh": "khai_sinh", "thường trú": "thuong_tru"},
        ),
        # Every sentence asks.
        (
            "Làm hộ chiếu ở đâu? Còn căn cước thì mất bao lâu?",
            {"hộ chiếu": "ho_chieu", "căn cước": "can_cuoc"},
        ),
        # The question names both.
        (
            "Em mới sinh con. Khai sinh và thường trú cho bé làm ở đâu",
            {"Khai sinh": "khai_sinh", "thường trú": "thuong_tru"},
        ),
        # The question names none: which one is still asked.
        (
            "Em cần lý lịch tư pháp. Hộ khẩu mới chuyển. Làm ở đâu ạ",
            {"lý lịch tư pháp": "ly_lich_tu_phap", "Hộ khẩu": "thuong_tru"},
        ),
    ],
)
def test_nothing_to_narrow(text: str, names: dict[str, str]) -> None:
    assert named_where_asked(text, _named(text, names)) is None


def test_a_button_has_no_offsets() -> None:
    named = [
        {"entity": "procedure", "value": "ket_hon"},
        {"entity": "procedure", "value": "khai_sinh"},
    ]
    assert named_where_asked("Kết hôn rồi. Khai sinh ở đâu?", named) is None


async def test_the_action_answers_the_procedure_asked_about() -> None:
    """Batch 34: the message got "which one: kết hôn or xác nhận tình trạng hôn nhân?"."""
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    msgs, events = await conversation.say(
        STORY,
        "ask_documents",
        named={"đăng ký kết hôn": "ket_hon", "xác nhận tình trạng hôn nhân": "xac_nhan_hon_nhan"},
    )
    assert msgs[0]["text"].startswith("Nơi nộp hồ sơ Cấp Giấy xác nhận tình trạng hôn nhân")
    assert SlotSet("procedure", "xac_nhan_hon_nhan") in events


def test_the_asking_sentences_of_a_story() -> None:
    """Batch 61: "… 2 ben gia dinh dong y cho cuoi thang 3. … z tui e dk ket hon o ha long
    dc ko hay phai ve que" got who goes ("đồng ý" read as consent asked about); only the
    asking sentence asks."""
    story = (
        "yeu nhau 3 nam r 2 ben gia dinh dong y cho cuoi thang 3. nma ny e tung lay chong 1 "
        "lan r ly hon nam ngoai. z tui e dk ket hon o ha long dc ko hay phai ve que"
    )
    assert asking_text(story).strip() == "z tui e dk ket hon o ha long dc ko hay phai ve que"
    # One sentence, or every sentence asking: the whole text.
    for text in ("bố mẹ có phải đi cùng không", "phí bao nhiêu? nộp ở đâu?"):
        assert asking_text(text) == text
