"""Several questions in one message, each about a procedure of its own: "làm căn cước cần
gì, còn hộ chiếu thì bao lâu", "bac can hoi 3 viec: 1 lam lai cccd bi gay, 2 doi bang lai
xe may A1 …, 3 chung thuc ban sao so ho khau. Chau tra loi tung viec giup bac" (batch 77).

Such a message named two or three procedures not joined by "và"/"với" (those are
:func:`actions.planning.names_jointly`'s), so the bot asked which one, though the citizen
had said. Here the message is cut into clauses (at a comma, a colon, a semicolon or a
sentence's end); when every clause that names a procedure names exactly one, each a
different one, and each asks something (or the message asks for each to be answered:
"trả lời từng việc"), each clause gets its own answer: the aspect it asks in so many words,
else the overview.
"""

from __future__ import annotations

import re
from typing import Any

from actions.aspect_words import aspects_asked
from actions.planning import DEFAULT_ASPECT, MAX_NAMED_ANSWERED, asks_something
from actions.yes_no import asks_yes_no
from bot.nlu.text import fold_words

_CLAUSE = re.compile(r"[^,;:?.!\n]+")
# "trả lời từng việc", "lần lượt", "cả 3 việc" (folded): each is to be answered.
_EACH = re.compile(
    r"\b(?:tung (?:viec|cai|thu tuc|cau|muc)|lan luot|ca (?:3|ba|hai|2) (?:viec|cau))\b"
)


def asked_one_by_one(text: str, named: list[dict[str, Any]]) -> list[tuple[str, str]] | None:
    """``(procedure id, aspect)`` for each clause of ``text`` that names one of the
    ``procedure`` entities ``named`` (with offsets), in order, when the message asks of
    each on its own; None otherwise (pure)."""
    if any("start" not in e for e in named) or len({e.get("value") for e in named}) < 2:
        return None
    asked: list[tuple[str, str]] = []
    each = bool(_EACH.search(fold_words(text)))
    for clause in _CLAUSE.finditer(text):
        start, end = clause.span()
        values = {str(e["value"]) for e in named if start <= int(e["start"]) < end}
        if not values:
            continue
        words = clause.group()
        if len(values) > 1 or not (each or asks_something(words) or asks_yes_no(words)):
            return None
        found = aspects_asked(words)
        asked.append((values.pop(), found[0] if found else DEFAULT_ASPECT))
    ids = [p for p, _ in asked]
    if not 2 <= len(ids) <= MAX_NAMED_ANSWERED or len(set(ids)) != len(ids):
        return None
    return asked
