"""Pure Vietnamese text helpers shared by the NLU components and the knowledge base."""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
_WORD = re.compile(r"\w+")


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
