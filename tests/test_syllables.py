"""bot.nlu.syllables: what can be spelt as a Vietnamese syllable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from bot.nlu.syllables import LONGEST_SYLLABLE, is_syllable
from bot.nlu.text import fold
from bot.settings import PROJECT_ROOT


@pytest.mark.parametrize(
    "folded",
    [
        "a",
        "o",
        "dung",
        "nguyen",
        "nghieng",
        "khuyu",
        "quynh",
        "giay",
        "gi",
        "thuong",
        "ruou",
        "oan",
        "hoach",
        "uyen",
        "yeu",
        "xoong",
        "khoeo",
        "truong",
        "chanh",
        "ech",
        "boong",
    ],
)
def test_vietnamese_syllables_pass(folded: str) -> None:
    assert is_syllable(folded)


@pytest.mark.parametrize(
    "folded",
    # typos: swapped, dropped, doubled letters; abbreviations; foreign words; Telex marks
    [
        "dugn",
        "thakn",
        "khongg",
        "dog",
        "thag",
        "khng",
        "nd",
        "cccd",
        "online",
        "ok",
        "zalo",
        "vaayj",
        "sihn",
        "xyz",
        "",
    ],
)
def test_what_cannot_be_a_syllable_fails(folded: str) -> None:
    assert not is_syllable(folded)


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def test_every_word_of_the_knowledge_base_is_a_syllable() -> None:
    # Edited text, typed with diacritics: every word with a vowel (abbreviations such as
    # "NĐ", "HĐND" have none) must pass, or the spell checker would "repair" real words.
    words = {
        w
        for path in sorted((PROJECT_ROOT / "nlu_data" / "procedures").glob("*.yml"))
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
        for w in re.findall(r"[^\W\d_]+", text.lower())
        if not w.isascii() and re.search(r"[aeiouy]", fold(w))
    }
    assert len(words) > 500
    assert sorted(w for w in words if not is_syllable(fold(w))) == []


def test_no_syllable_is_longer_than_longest_syllable() -> None:
    longest_onset, longest_rhyme = "ngh", "uyen"
    assert is_syllable("nghieng") and len("nghieng") == LONGEST_SYLLABLE
    assert len(longest_onset + longest_rhyme) == LONGEST_SYLLABLE
    for longest in ("nghieng", "nghuyen", "nghoang", "nghuong"):
        assert is_syllable(longest)
        for letter in "abcdefghijklmnopqrstuvwxyz":  # one letter more, before or after
            assert not is_syllable(letter + longest) and not is_syllable(longest + letter)
