"""Masking of personal data in free text and in structured log events."""

from __future__ import annotations

import json

import pytest

from bot.logs import configure_logging, get_logger
from bot.privacy import mask_dossier_code, mask_id_number, mask_name, mask_phone, mask_text


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("0912345678", "091*****78"),
        ("+84 912 345 678", "849******78"),
        ("091.234.5678", "091*****78"),
    ],
)
def test_mask_phone(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


def test_mask_id_number_keeps_last_four() -> None:
    assert mask_id_number("001099012345") == "********2345"


def test_mask_name_keeps_initials() -> None:
    assert mask_name("Nguyễn Văn An") == "N***** V** A*"


def test_mask_dossier_code() -> None:
    assert mask_dossier_code("000.00.12.H49-251002-0015") == "000.00.12.H49-25****-**15"


def test_mask_text_masks_everything_personal() -> None:
    text = "Tôi sđt 0912345678, cccd 001099012345, mã hồ sơ 000.00.12.h49-251002-0015"
    masked = mask_text(text)
    for secret in ("0912345678", "001099012345", "251002-0015"):
        assert secret not in masked
    assert "091*****78" in masked and "********2345" in masked


def test_mask_text_leaves_ordinary_text_alone() -> None:
    text = "Làm giấy khai sinh mất 3 ngày, lệ phí 8.000 đồng"
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        # A family name and the capitalised words after it.
        ("em là Trần Thị Bích muốn hỏi ly hôn", "em là T*** T** B*** muốn hỏi ly hôn"),
        ("họ và tên: Phạm Minh Tuấn", "họ và tên: P*** M*** T***"),
        ("bố tôi là Lê Lợi", "bố tôi là L* L**"),
        # A family name, "văn" or "thị" and a word, however typed.
        ("nguyen van an o ha long", "n***** v** a* o ha long"),
        ("cap lai cccd cho me la tran thi Hoa", "cap lai cccd cho me la t*** t** H**"),
        # Right after "tên là", "tôi tên"…: a family name and up to two words.
        ("ten la nguyen an", "ten la n***** a*"),
        ("tôi tên Hoàng Nam", "tôi tên H**** N**"),
    ],
)
def test_mask_text_masks_names(raw: str, masked: str) -> None:
    assert mask_text(raw) == masked


@pytest.mark.parametrize(
    "text",
    [
        "Đăng ký khai sinh ở Hạ Long",  # "Đăng", "Hạ" are no family names
        "chuyển hộ khẩu từ Hà Nội về Cao Bằng",  # places that begin like a name
        "tên hồ sơ là gì",  # "hồ" after "tên", but not after "tên là"
        "Mai tôi lên Uông Bí nộp hồ sơ",  # a family name before a lower-case word
        "Nguyễn",  # a family name alone says nothing of whom
        "hoi van de gi",  # "hỏi vấn đề gì": "văn" after no family name
    ],
)
def test_mask_text_leaves_places_and_words_alone(text: str) -> None:
    assert mask_text(text) == text


def test_log_events_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(level="INFO", json=True)
    get_logger("t").info(
        "test.event.ok",
        text="gọi 0987654321 nhé",
        applicant="Trần Thị Bình",
        code="H49.22-260115-010023",
    )
    line = capsys.readouterr().err.strip().splitlines()[-1]
    event = json.loads(line)
    assert event["event"] == "test.event.ok"
    assert "0987654321" not in line and "Trần Thị Bình" not in line and "010023" not in line
    assert event["applicant"] == "T*** T** B***"
