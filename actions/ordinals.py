""" "cái sau", "cái đầu", "cái kia": one of the procedures answered together just before.

A message naming two or three procedures jointly gets an answer for each
(:func:`actions.procedures.names_jointly`); the next message may point at one of them by
its place: "cái sau lệ phí bao nhiêu", "còn cái đầu thì sao", "cái thứ hai nộp ở đâu".
The procedures answered are read back from the texts the bot sent in its last few turns
(each answer is composed from its entry, so it is known exactly), so no slot keeps them:
"cái đầu thì sao" still works after "cái sau lệ phí bao nhiêu" was answered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from bot.kb import ASPECTS, KnowledgeBase, compose_answer
from bot.kb.answers import WHO_GOES
from bot.nlu.text import fold_words

# Folded: "cái/thủ tục/loại" then the place; "cái kia", "cái còn lại": the other one than
# the procedure discussed.
OTHER = 99
_PLACES: tuple[tuple[str, int], ...] = (
    (r"(?:dau|dau tien|thu nhat|thu 1|1|truoc|tren)", 0),
    (r"(?:thu hai|thu 2|2)", 1),
    (r"(?:thu ba|thu 3|3)", 2),
    (r"(?:sau|cuoi|sau cung|duoi)", -1),
    (r"(?:kia|con lai)", OTHER),
)
_PATTERNS = tuple(
    (re.compile(r"\b(?:cai|thu tuc|loai|vu) " + words + r"\b"), place) for words, place in _PLACES
)


def place_referred(text: str) -> int | None:
    """The place ``text`` points at ("cái sau" -1, "cái đầu" 0, "cái thứ hai" 1, "cái
    kia" :data:`OTHER`), else None (pure)."""
    folded = fold_words(text)
    for pattern, place in _PATTERNS:
        if pattern.search(folded):
            return place
    return None


def without_place(text: str) -> str:
    """``text`` folded, the place it points at removed: "còn cái đầu thì sao" → "con thi
    sao" (its "đầu" is no "ở đâu")."""
    folded = fold_words(text)
    for pattern, _ in _PATTERNS:
        folded = pattern.sub(" ", folded)
    return " ".join(folded.split())


@lru_cache(maxsize=8)
def _answers(kb: KnowledgeBase) -> dict[str, str]:
    """Every answer the bot can compose from ``kb``, to the procedure it is about
    (composed once per knowledge base, not on every message that says "cái …")."""
    return {compose_answer(p, a): p.id for p in kb for a in (*ASPECTS, WHO_GOES)}


def procedures_answered(kb: KnowledgeBase, texts: Sequence[str]) -> list[str]:
    """The procedures whose answers are among ``texts``, in the order sent, once each."""
    answers = _answers(kb)
    found = (answers.get(text) for text in texts)
    return list(dict.fromkeys(p for p in found if p is not None))


def procedure_referred(
    kb: KnowledgeBase, text: str, recent: Sequence[Sequence[str]], *, current: str | None
) -> str | None:
    """The procedure ``text`` points at by its place among those answered together in
    the latest of the bot's ``recent`` turns (texts per turn, most recent first) that
    answered two or more; "cái kia" is the one of them that is not ``current``, the
    procedure discussed, or, with no such turn, the latest procedure answered before it
    ("thủ tục kia" after khai sinh, then tạm trú: khai sinh); "cái đầu" with no such
    turn is the earliest of two or more answered one at a time. None when it points at
    none."""
    place = place_referred(text)
    if place is None:
        return None
    for texts in recent:
        answered = procedures_answered(kb, texts)
        if len(answered) < 2:
            continue
        if place == OTHER:
            others = [p for p in answered if p != current]
            return others[0] if len(others) == 1 else None
        return answered[place] if place < len(answered) else None
    if place == OTHER:
        before = (p for texts in recent for p in procedures_answered(kb, texts) if p != current)
        return next(before, None)
    if place == 0:
        # "quay lại cái đầu tiên" after answers one at a time: the earliest of them.
        seen = [p for texts in reversed(recent) for p in procedures_answered(kb, texts)]
        earliest = list(dict.fromkeys(seen))
        return earliest[0] if len(earliest) >= 2 else None
    return None


def offered_referred(
    text: str, offered: Sequence[str], *, current: str | None = None
) -> str | None:
    """The procedure ``text`` points at by its place among those a "which one?" just
    ``offered`` as buttons ("cái đầu làm ở đâu" after hộ chiếu or lý lịch tư pháp?: hộ
    chiếu); "cái kia" is the one of them that is not ``current``, the one discussed since
    ("còn cái kia mất bao lâu" after hộ chiếu was answered: lý lịch tư pháp; pure)."""
    place = place_referred(text)
    if place is None or not offered:
        return None
    if place == OTHER:
        others = [p for p in offered if p != current]
        return others[0] if current in offered and len(others) == 1 else None
    return offered[place] if -len(offered) <= place < len(offered) else None


_WHICH = re.compile(r"\b(?:cai nao|thu tuc nao|loai nao)\b")


def asked_which_of_them(kb: KnowledgeBase, text: str, recent: Sequence[Sequence[str]]) -> list[str]:
    """The procedures answered together in the latest of the bot's ``recent`` turns that
    answered two or more, when ``text`` asks which of them ("e đang thuê trọ thì làm cái
    nào"): the bot asks back with them as buttons rather than pick one. Else empty."""
    if not _WHICH.search(fold_words(text)) or place_referred(text) is not None:
        return []
    for texts in recent:
        answered = procedures_answered(kb, texts)
        if len(answered) >= 2:
            return answered
    return []
