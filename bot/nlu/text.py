"""Pure Vietnamese text helpers shared by the NLU components and the knowledge base."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

_SPECIAL = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
_WORD = re.compile(r"\w+")
# Where a clause of a message ends: a comma, a semicolon, a sentence's end, a new line.
CLAUSE_END = re.compile(r"[,.;!?\n]")


def fold(text: str) -> str:
    """Accent-folded lower-case form: ``"Làm Giấy Khai Sinh"`` → ``"lam giay khai sinh"``.

    The result has exactly one character per input character (so offsets are preserved).
    """
    out = []
    for ch in text.translate(_SPECIAL):
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base.lower() if len(base.lower()) == 1 else ch)
    return "".join(out)


def fold_words(text: str) -> str:
    """The folded words of ``text`` joined by single spaces, punctuation dropped:
    ``"Chào bạn!"`` → ``"chao ban"`` (a comparison key; offsets are not kept)."""
    return " ".join(_WORD.findall(fold(text)))


def typed_words(text: str) -> list[str]:
    """The words of ``text`` as typed, marks kept: NFC, lower case, punctuation dropped
    (``"Số Đỏ!"`` → ``["số", "đỏ"]``); the unfolded twin of :func:`fold_words`."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def fold_words_but(text: str, typed_otherwise: frozenset[str]) -> str:
    """:func:`fold_words` of ``text``, with the words typed as one of ``typed_otherwise``
    (with their marks) blanked as "_": a word that folds like a cue but was typed as
    another word ("bồ" is no "bỏ", "ngủ" no "ngu") does not match the cue."""
    return " ".join("_" if w in typed_otherwise else fold(w) for w in typed_words(text))


def token_syllables(written: str, folded: str) -> list[tuple[str, str]]:
    """A token's syllables as (typed, folded) pairs: ``written`` is the token's text with
    syllables joined by "_" ("khai_sihn"), ``folded`` its lemma ("khai sihn"). A token
    whose two views do not line up (a placeholder) pairs each folded syllable with itself.
    """
    typed, plain = written.split("_"), folded.split()
    if len(typed) != len(plain):
        typed = plain
    return list(zip(typed, plain, strict=True))


def token_folds(tokens: Iterable[Any]) -> list[str]:
    """Accent-folded syllables of Rasa tokens (their lemma when set, else their text)."""
    out: list[str] = []
    for token in tokens:
        raw = getattr(token, "lemma", None) or getattr(token, "text", "")
        out.extend(s for s in fold(str(raw)).replace("_", " ").split() if s)
    return out
