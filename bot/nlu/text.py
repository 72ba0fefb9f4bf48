"""Pure Vietnamese text helpers shared by the NLU components and the knowledge base."""

from __future__ import annotations

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


def fold(text: str) -> str:
    """Accent-folded lower-case form: ``"Làm Giấy Khai Sinh"`` → ``"lam giay khai sinh"``.

    The result has exactly one character per input character (so offsets are preserved).
    """
    out = []
    for ch in text.translate(_SPECIAL):
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base.lower() if len(base.lower()) == 1 else ch)
    return "".join(out)
