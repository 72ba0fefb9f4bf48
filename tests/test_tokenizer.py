"""The Vietnamese tokenizer: offsets into the original text whatever underthesea rewrites."""

from __future__ import annotations

import random

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.segment import align_words, segment
from bot.nlu.tokenizer import VietnameseTokenizer


@pytest.fixture(scope="module")
def tokenizer() -> VietnameseTokenizer:
    return VietnameseTokenizer(VietnameseTokenizer.get_default_config())


def _tokens(tokenizer: VietnameseTokenizer, text: str):
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    return message.get(TOKENS_NAMES[TEXT]) or []


def _assert_offsets(text: str, tokens) -> None:
    last_end = 0
    for t in tokens:
        assert 0 <= t.start < t.end <= len(text)
        assert t.start >= last_end, "tokens overlap or are out of order"
        assert text[t.start : t.end] == t.data.get("surface", text[t.start : t.end])
        assert text[t.start : t.end] == text[t.start : t.end].strip()
        last_end = t.end


def test_words_are_segmented_with_offsets(tokenizer: VietnameseTokenizer) -> None:
    text = "Cho em hỏi thủ tục làm giấy khai sinh"
    tokens = _tokens(tokenizer, text)
    _assert_offsets(text, tokens)
    surfaces = [text[t.start : t.end] for t in tokens]
    assert "khai sinh" in surfaces
    assert "thủ tục" in surfaces
    ks = tokens[surfaces.index("khai sinh")]
    assert ks.text == "khai_sinh" and ks.lemma == "khai sinh"


@pytest.mark.parametrize(
    ("text", "surface", "norm"),
    [
        ("hoá đơn", "hoá", "hóa"),  # underthesea rewrites to "hóa"
        ("Ðà Nẵng đẹp", "Ðà Nẵng", "đà_nẵng"),  # eth → Đ
        ("thuý khoẻ", "thuý", "thúy"),
        ("a\u0301 combining", "a\u0301", "á"),  # combining accent composed
        ("xin chào\u200bbạn", "chào", "chào"),  # zero-width space: underthesea adds a space
    ],
)
def test_rewritten_words_keep_original_offsets(
    tokenizer: VietnameseTokenizer, text: str, surface: str, norm: str
) -> None:
    tokens = _tokens(tokenizer, text)
    _assert_offsets(text, tokens)
    by_surface = {text[t.start : t.end]: t for t in tokens}
    assert surface in by_surface
    assert by_surface[surface].text == norm


def test_empty_and_blank_text(tokenizer: VietnameseTokenizer) -> None:
    assert _tokens(tokenizer, "") == []
    tokens = _tokens(tokenizer, "   ")
    assert len(tokens) == 1 and tokens[0].start == 0


def test_emoji(tokenizer: VietnameseTokenizer) -> None:
    text = "😀😀 xin chào 👋🏽 bạn ❤️"
    tokens = _tokens(tokenizer, text)
    _assert_offsets(text, tokens)
    surfaces = [text[t.start : t.end] for t in tokens]
    assert "chào" in surfaces  # not glued to the emoji as underthesea does
    assert "👋🏽" in surfaces  # skin tone stays with its emoji
    assert "bạn" in surfaces


def test_ten_thousand_characters(tokenizer: VietnameseTokenizer) -> None:
    text = ("làm căn cước công dân mất bao lâu ạ 😀 " * 300)[:10_000]
    tokens = _tokens(tokenizer, text)
    _assert_offsets(text, tokens)
    assert len(tokens) > 1_000
    covered = "".join("".join(text[t.start : t.end].split()) for t in tokens)
    assert covered == "".join(text.split())  # nothing visible lost, nothing invented


def test_mixed_vietnamese_english_and_codes(tokenizer: VietnameseTokenizer) -> None:
    text = "I want passport hộ chiếu pls!!! mã 000.00.12.H49-251002-0015, sđt 0912.345.678"
    tokens = _tokens(tokenizer, text)
    _assert_offsets(text, tokens)
    views = {text[t.start : t.end]: (t.text, t.lemma) for t in tokens}
    assert views["hộ chiếu"] == ("hộ_chiếu", "ho chieu")
    assert views["sđt"] == ("số_điện_thoại", "so dien thoai")
    assert views["passport"][0] == "passport"


def test_abbreviations_and_folded_view(tokenizer: VietnameseTokenizer) -> None:
    accented = _tokens(tokenizer, "làm CCCD không được")
    plain = _tokens(tokenizer, "lam cccd ko dc")
    assert " ".join(t.lemma for t in accented) == " ".join(t.lemma for t in plain)


def test_segmenter_failure_falls_back_to_whitespace() -> None:
    def broken(_: str) -> list[str]:
        raise RuntimeError("boom")

    pieces = segment("làm giấy khai sinh", segmenter=broken)
    assert [p.surface for p in pieces] == ["làm", "giấy", "khai", "sinh"]


def test_align_words_skips_unfindable_and_fills_gaps() -> None:
    text = "abc xyz def"
    spans = align_words(text, ["abc", "???", "def"])
    assert [text[s:e] for s, e in spans] == ["abc", "xyz", "def"]


def test_align_words_ignores_case_accents_and_spaces() -> None:
    text = "HOÀ  bình"
    spans = align_words(text, ["hòa bình"])
    assert [text[s:e] for s, e in spans] == ["HOÀ  bình"]


_ALPHABET = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy AĂÂĐÊÔƠƯ àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợ"
    "ùúủũụừứửữựỳýỷỹỵ0123456789.,!?-_/()'\"\t\n\u0300\u0301\u0303\u0309\u0323\u200b\u00a0"
    "ÐðİıßﬁẞΩж中😀👋🏽❤️\ufe0f\u200d"
)


@pytest.mark.parametrize("seed", range(5))
def test_random_strings_never_fail(tokenizer: VietnameseTokenizer, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(60):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 80)))
        tokens = _tokens(tokenizer, text)
        if text.strip():
            assert tokens
        for t in tokens:
            assert 0 <= t.start <= t.end <= len(text)
        visible = [t for t in tokens if text[t.start : t.end].strip()]
        _assert_offsets(text, visible)


def test_a_word_is_read_by_the_syllable_before_it() -> None:
    # underthesea puts "đăng ký kết" in one word and "hông" in the next: the context
    # crosses the word boundary, and the offsets stay those of what was typed.
    text = "đăng ký kết hông cần gì, được hông"
    pieces = segment(text)
    hong = [p for p in pieces if p.surface == "hông"]
    assert [(p.norm, p.folded) for p in hong] == [("hôn", "hon"), ("không", "khong")]
    assert [text[p.start : p.end] for p in hong] == ["hông", "hông"]
