"""A procedure answered earlier, named again by part of its name: "còn sang tên thì thời
gian bao lâu ạ" after sổ đỏ ("sang tên sổ đỏ"), then khai tử and trích lục.

"sang tên" alone names no procedure (it is the start of "sang tên sổ đỏ" and of "sang tên
xe"), so the message was read as about the procedure discussed last (trích lục). When the
citizen goes back ("còn …", "thế còn …", "vậy còn …") and the words they use open an
alias of exactly one procedure the bot answered in its recent turns, and not of the one
discussed, that procedure is meant.
"""

from __future__ import annotations

from collections.abc import Sequence

from actions.ordinals import procedures_answered
from bot.kb import KnowledgeBase
from bot.nlu.text import fold_words

# How going back to an earlier procedure opens (folded).
_BACK = ("con ", "the con ", "vay con ", "z con ", "con cai ")
MIN_WORDS = 2  # "sang tên", not "sang"
MAX_HOLDERS = 2  # procedures whose aliases those words open: "sang tên" (sổ đỏ, xe)


def procedure_named_partly(
    kb: KnowledgeBase, text: str, recent: Sequence[Sequence[str]], *, current: str | None
) -> str | None:
    """The procedure answered in the bot's ``recent`` turns (texts per turn, most recent
    first) whose alias ``text`` opens after "còn", when it is the only one and not
    ``current``; None otherwise (pure)."""
    folded = fold_words(text)
    opening = next((o for o in _BACK if folded.startswith(o)), None)
    if opening is None:
        return None
    words = folded[len(opening) :].split()
    if len(_holders(kb, tuple(words[:MIN_WORDS]))) > MAX_HOLDERS:
        return None  # "đăng ký", "cấp lại" open the aliases of many procedures
    answered = [p for texts in recent for p in procedures_answered(kb, texts)]
    found = {pid for pid in dict.fromkeys(answered) if _opens_an_alias(kb, pid, words)}
    if current is not None and _opens_an_alias(kb, current, words):
        return None
    return found.pop() if len(found) == 1 else None


def _holders(kb: KnowledgeBase, opening: tuple[str, ...]) -> set[str]:
    """The procedures of ``kb`` with an alias that ``opening`` opens."""
    return {p.id for p in kb if _opens_an_alias(kb, p.id, list(opening))}


def _opens_an_alias(kb: KnowledgeBase, procedure: str, words: list[str]) -> bool:
    """Whether ``words`` start with the first ``MIN_WORDS`` or more words of an alias of
    ``procedure`` that is longer than them (a part of it, not the whole name)."""
    entry = kb.get(procedure)
    if entry is None:
        return False
    for alias in entry.aliases:
        alias_words = fold_words(alias).split()
        if len(alias_words) <= MIN_WORDS:
            continue
        if words[:MIN_WORDS] == alias_words[:MIN_WORDS]:
            return True
    return False
