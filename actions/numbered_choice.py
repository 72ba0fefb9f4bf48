"""A button picked by its number ("2", "số 2", "chọn cái thứ 2") or by a word of its title
that no other button has ("thường" after "tạm trú or thường trú?"), right after buttons.

Zalo shows a message's buttons as a list, and some citizens answer by typing the place of
the one they want instead of pressing it. Such a message reads as out of scope ("2" 0.9);
right after the bot showed buttons it means that button, and the procedure action answers
its payload (:meth:`actions.procedures.ActionAnswerProcedure.answer_follow_up`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.nlu.text import fold_words

# Folded, the whole message: "2", "số 2", "chọn 2", "cái thứ 2", "mục 2 ạ", "thứ hai".
# A number in words needs a word before it: "ba" alone is "bà", "bố".
_PICK = re.compile(
    r"^(?:(?:chon|lay|xem|bam|ok|vay)\s+)?(?P<lead>(?:(?:so|cai|muc|nut|y|phan)\s+)?"
    r"(?:thu\s+)?)(?P<n>\d|mot|hai|ba|bon|tu|nam|sau)(?:\s+(?:a|ah|nhe|nha|ad|di|luon))?$"
)
MAX_NAMING_WORDS = 2
# Folded: what may surround the word that names a button ("thường ạ", "cái tạm trú nhé").
_NAMING_PARTICLES = frozenset(("a", "ah", "ak", "nhe", "nha", "ad", "cai", "thi", "la", "con"))
_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6}


def button_picked(text: str, buttons: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The button of ``buttons`` that ``text`` picks by its place (1-based), else None
    (pure)."""
    found = _PICK.match(fold_words(text))
    if found is None or not buttons:
        return None
    raw = found.group("n")
    if not raw.isdigit() and not found.group("lead"):
        return None
    number = int(raw) if raw.isdigit() else _WORDS[raw]
    return buttons[number - 1] if 1 <= number <= len(buttons) else None


def button_named(text: str, buttons: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The one button of ``buttons`` whose title holds every word of ``text`` (at most
    ``MAX_NAMING_WORDS``, particles aside) when no other button's does: "thường" after
    "Đăng ký tạm trú…" and "Đăng ký thường trú"; None otherwise (pure)."""
    words = [w for w in fold_words(text).split() if w not in _NAMING_PARTICLES]
    if not words or len(words) > MAX_NAMING_WORDS:
        return None
    found = [b for b in buttons if set(words) <= set(fold_words(str(b.get("title") or "")).split())]
    return found[0] if len(found) == 1 else None


def number_in_correction(
    text: str, buttons: Sequence[Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    """The button of ``buttons`` a correction names by its number ("à nhầm, 1 mới đúng",
    "ko phải, số 2 cơ"): the message's one single-digit number, else None (pure)."""
    digits = [w for w in fold_words(text).split() if len(w) == 1 and w.isdigit()]
    if len(digits) != 1 or not buttons:
        return None
    number = int(digits[0])
    return buttons[number - 1] if 1 <= number <= len(buttons) else None


def payload_intent(payload: str) -> str | None:
    """The intent of a button payload, ``/ask_fee{"procedure":"khai_sinh"}`` → ask_fee."""
    if not payload.startswith("/"):
        return None
    return payload[1:].partition("{")[0] or None
