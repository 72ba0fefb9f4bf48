"""bot.nlu.keys: Telex marks left unconverted and held keys, on the folded view."""

from __future__ import annotations

import pytest

from bot.nlu.keys import held_keys, strip_keys


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("vaayj", "vay"),  # vậy, input method off
        ("mieenx", "mien"),  # miễn
        ("ruwas", "rua"),  # rứa: "r" before the vowel is the onset, kept
        ("ngayf", "ngay"),  # ngày
        ("chuws", "chu"),  # chứ
        ("truocw", "truoc"),  # trươc, the horn typed at the end
        ("ddaauf", "dau"),  # đầu
        ("nhw", "nhu"),  # a lone "w" is "ư"
        ("trus", "tru"),  # trú
        ("lafm", "lam"),  # làm, the tone typed right after the vowel
        ("giaays", "giay"),  # giấy
        ("caanf", "can"),  # cần
        ("dauu", "dau"),  # a held key
        ("lucc", "luc"),
        ("khai", "khai"),  # nothing to strip
        ("sinh", "sinh"),
        ("xong", "xong"),  # "x" and "s" as onsets stay
        ("strong", "strong"),
    ],
)
def test_strip_keys(typed: str, meant: str) -> None:
    assert strip_keys(typed) == meant


@pytest.mark.parametrize("word", ["đâuu", "h49-1", "50k", ""])
def test_only_plain_ascii_words_are_rewritten(word: str) -> None:
    assert strip_keys(word) == word


def test_a_tone_key_is_only_taken_after_the_last_vowel() -> None:
    assert strip_keys("visa") == "visa"
    assert strip_keys("taxi") == "taxi"
    # Why callers accept the result only when it is a syllable they know:
    assert strip_keys("bus") == "bu"


def test_held_keys_doubles_each_letter_once_and_strip_keys_undoes_it() -> None:
    assert held_keys("sinh") == {"ssinh", "siinh", "sinnh", "sinhh"}
    assert {strip_keys(typo) for typo in held_keys("sinh")} == {"sinh"}
