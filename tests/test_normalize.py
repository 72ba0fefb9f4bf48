"""Vietnamese normalisation: NFC, tone placement, lower case, abbreviations, folding."""

from __future__ import annotations

import unicodedata

import pytest

from bot.nlu.normalize import expand, fix_tones, folded, normalize_text, normalize_word
from bot.nlu.text import fold, fold_words, typed_words


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("hoà", "hòa"),
        ("hòa", "hòa"),
        ("Hoá", "Hóa"),
        ("thuý", "thúy"),
        ("khoẻ", "khỏe"),
        ("HOÀ", "HÒA"),
        ("quả", "quả"),
        ("giá", "giá"),
        ("gì", "gì"),
        ("người", "người"),
        ("thuở", "thuở"),
        ("quyển", "quyển"),
        ("khuỷu", "khuỷu"),
        ("huỳnh", "huỳnh"),
        ("toán", "toán"),
        ("ngoài", "ngoài"),
        ("Ðà", "Đà"),
    ],
)
def test_one_tone_placement(given: str, expected: str) -> None:
    assert fix_tones(given) == expected


def test_nfc_from_decomposed_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Làm giấy khai sinh")
    assert fix_tones(decomposed) == "Làm giấy khai sinh"
    assert unicodedata.is_normalized("NFC", fix_tones(decomposed))


def test_text_without_letters_is_unchanged() -> None:
    assert fix_tones("000.00.12.H49-251002-0015 😀") == "000.00.12.H49-251002-0015 😀"


@pytest.mark.parametrize(
    ("word", "expanded"),
    [
        ("cccd", "căn cước công dân"),
        ("kd", "kinh doanh"),  # "dky ho kd bao lau" (batch 35)
        ("cmnd", "chứng minh nhân dân"),
        ("gplx", "giấy phép lái xe"),
        ("bhyt", "bảo hiểm y tế"),
        ("bhxh", "bảo hiểm xã hội"),
        ("sđt", "số điện thoại"),
        ("sdt", "số điện thoại"),
        ("ko", "không"),
        ("k", "không"),
        ("hok", "không"),
        ("khong", "không"),
        ("dc", "được"),
        ("đc", "được"),
        ("đk", "đăng ký"),
        ("mk", "mình"),
        ("j", "gì"),
        ("ntn", "như thế nào"),
        ("bn", "bao nhiêu"),
        ("vs", "với"),
        ("cty", "công ty"),
        ("h", "giờ"),
        ("v", "vậy"),
        ("mún", "muốn"),
        ("mun", "mun"),  # also "mụn": left alone
        ("nhiu", "nhiêu"),
        ("hem", "không"),
        # The southern v written "dz": no Vietnamese word starts with "dz".
        ("dzợ", "vợ"),
        ("dzô", "vô"),
        ("dzới", "với"),
        ("dzậy", "vậy"),
        ("dz", "dz"),
        ("tnhh", "trách nhiệm hữu hạn"),
        ("khai", "khai"),
    ],
)
def test_abbreviations(word: str, expanded: str) -> None:
    assert expand(word) == expanded


@pytest.mark.parametrize(
    ("word", "expanded"),
    [
        ("thankss", "cảm ơn"),  # a held key
        ("thakn", "cảm ơn"),  # two keys swapped
        ("khnog", "không"),
        ("khongf", "không"),  # a Telex tone key
        ("okeee", "ok"),
        ("hokk", "không"),  # repaired to an entry of three letters
        ("bhytt", "bảo hiểm y tế"),
        ("cccdd", "căn cước công dân"),  # "cccd" doubles a letter of its own
        ("ccccd", "căn cước công dân"),
    ],
)
def test_abbreviations_typed_with_a_keyboard_slip(word: str, expanded: str) -> None:
    assert expand(word) == expanded


@pytest.mark.parametrize(
    "word",
    [
        "thanh",  # a word, not a slip of "thank"
        "khung",
        "nhung",
        "dcc",  # three letters: too short to repair ("dc" is an entry)
        "vss",
        "yess",  # its repair is no entry
    ],
)
def test_words_that_are_no_slipped_abbreviation_stay(word: str) -> None:
    assert expand(word) == word


def test_normalize_word_lowercases_before_expanding() -> None:
    assert normalize_word("CCCD") == "căn cước công dân"
    assert normalize_word("Thuý") == "thúy"


def test_normalize_text() -> None:
    assert normalize_text("Làm  CCCD ko đc à") == "làm căn cước công dân không được à"


def test_accented_and_plain_meet() -> None:
    assert folded("Làm giấy khai sinh") == folded("lam giay khai sinh") == "lam giay khai sinh"
    assert folded("làm cccd không được") == folded("lam CCCD ko dc")
    assert folded("Đăng ký hoà giải") == folded("dang ky hoa giai")


def test_fold_preserves_length() -> None:
    text = "Đăng Ký Khai Sinh ở Hạ Long 😀"
    assert len(fold(text)) == len(text)
    assert fold(text) == "dang ky khai sinh o ha long 😀"


def test_typed_words_keep_marks_and_fold_words_drop_them() -> None:
    decomposed = "So\u0302\u0301 Đo\u0309, ok?"  # "Số Đỏ" typed with combining marks
    assert typed_words(decomposed) == ["số", "đỏ", "ok"]
    assert fold_words(decomposed) == "so do ok"
    assert typed_words("") == []


def test_regional_words_only_when_alone() -> None:
    from bot.nlu.normalize import normalize_piece

    assert normalize_piece("mô") == "đâu"
    assert normalize_piece("chi") == "gì"
    assert normalize_piece("chi phí") == "chi phí"
    assert normalize_piece("Hông") == "không"


def test_hong_after_ket_is_hon_and_elsewhere_khong() -> None:
    from bot.nlu.normalize import normalize_piece

    assert normalize_text("đăng ký kết hông cần gì") == "đăng ký kết hôn cần gì"
    assert normalize_piece("Kết Hông") == "kết hôn"
    assert normalize_text("có được hông") == "có được không"
    assert normalize_text("nhà có sổ hông") == "nhà có sổ không"
    assert normalize_word("hông") == "không"  # alone, a word has no syllable before it


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("bhxh tn", "bảo hiểm xã hội tự nguyện"),
        ("xpxd", "xin phép xây dựng"),
        ("lm hc", "làm hộ chiếu"),
        ("can kham sk k", "can kham sức khỏe không"),
        ("thủ tục hc", "thủ tục hc"),  # "hc" alone is also "hành chính"
        ("tn cho tôi", "tn cho tôi"),
        ("vua mua oto moi", "vua mua ô tô moi"),  # batch 53
    ],
)
def test_batch_51_abbreviations(typed: str, normal: str) -> None:
    assert normalize_text(typed) == normal
