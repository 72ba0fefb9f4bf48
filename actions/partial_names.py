"""A procedure answered earlier, named again by part of its name: "còn sang tên thì thời
gian bao lâu ạ" after sổ đỏ ("sang tên sổ đỏ"), then khai tử and trích lục; "đổi bằng mất
bn lâu" right after đăng ký xe and GPLX were answered together.

"sang tên" alone names no procedure (it is the start of "sang tên sổ đỏ" and of "sang tên
xe"), so the message was read as about the procedure discussed last (trích lục). When the
citizen goes back ("còn …", "thế còn …", "vậy còn …") and the words they use open an
alias of exactly one procedure the bot answered in its recent turns, and not of the one
discussed, that procedure is meant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from actions.ordinals import procedures_answered
from bot.kb import KnowledgeBase
from bot.nlu.text import fold_words

# How going back to an earlier procedure opens (folded).
_BACK = ("con ", "the con ", "vay con ", "z con ", "con cai ")
MIN_WORDS = 2  # "sang tên", not "sang"
MAX_HOLDERS = 2  # procedures whose aliases those words open: "sang tên" (sổ đỏ, xe)
MAX_BACK_WORDS = 6  # "thế còn lý lịch thì sao ạ"


def procedure_named_partly(
    kb: KnowledgeBase, text: str, recent: Sequence[Sequence[str]], *, current: str | None
) -> str | None:
    """The procedure answered in the bot's ``recent`` turns (texts per turn, most recent
    first) whose alias ``text`` opens after "còn" (or at once, right after a turn that
    answered several), when it is the only one and not ``current``; None otherwise
    (pure)."""
    folded = fold_words(text)
    opening = next((o for o in _BACK if folded.startswith(o)), None)
    if opening is None and recent and len(procedures_answered(kb, recent[0])) > 1:
        # "đổi bằng mất bn lâu" right after đăng ký xe and GPLX were answered together.
        opening = ""
    if opening is None:
        return None
    first = tuple(folded[len(opening) :].split()[:MIN_WORDS])
    openings = _openings(kb, MIN_WORDS)
    if sum(first in held for held in openings.values()) > MAX_HOLDERS:
        return None  # "đăng ký", "cấp lại" open the aliases of many procedures
    if current is not None and first in openings.get(current, ()):
        return None
    answered = [p for texts in recent for p in procedures_answered(kb, texts)]
    found = {pid for pid in answered if first in openings.get(pid, ())}
    return found.pop() if len(found) == 1 else None


# "Giấy xác nhận đó …" (batch 70): a paper pointed at by the opening of its name.
_POINTED = re.compile(r"\b(\w+ \w+ \w+) (?:do|day|nay|kia|ay)\b")
POINTED_WORDS = 3


def named_by_its_opening(kb: KnowledgeBase, text: str) -> str | None:
    """The one procedure whose alias opens with the three words ``text`` points at with
    "đó", "đấy", "này" ("Giấy xác nhận đó mất mấy ngày", after kết hôn's documents named
    it: xác nhận tình trạng hôn nhân); None when none or several (pure)."""
    openings = _openings(kb, POINTED_WORDS)
    for words in _POINTED.findall(fold_words(text)):
        key = tuple(words.split())
        found = [pid for pid, held in openings.items() if key in held]
        if len(found) == 1:
            return found[0]
    return None


@lru_cache(maxsize=8)
def _openings(kb: KnowledgeBase, n: int) -> dict[str, frozenset[tuple[str, ...]]]:
    """For each procedure of ``kb``, the first ``n`` words (folded) of its aliases longer
    than that."""
    out: dict[str, frozenset[tuple[str, ...]]] = {}
    for p in kb:
        alias_words = (fold_words(alias).split() for alias in p.aliases)
        out[p.id] = frozenset(tuple(w[:n]) for w in alias_words if len(w) > n)
    return out


def goes_back_to(
    kb: KnowledgeBase, text: str, recent: Sequence[Sequence[str]], *, current: str | None
) -> bool:
    """True when ``text`` is nothing but going back to an earlier procedure by part of its
    name ("còn lý lịch", "thế còn sang tên ạ"; :func:`procedure_named_partly`), at most
    ``MAX_BACK_WORDS`` words: a follow-up whatever it was read as (pure)."""
    if len(fold_words(text).split()) > MAX_BACK_WORDS:
        return False
    return procedure_named_partly(kb, text, recent, current=current) is not None
