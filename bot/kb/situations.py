"""Which procedure a life event in the text calls for: "con em mới đẻ được 1 tuần" is khai
sinh, "bà nội e mới mất hôm qua" khai tử, "muốn mở tiệm tạp hóa" hộ kinh doanh.

Citizens often tell what happened rather than name the procedure. Each entry lists such
events under ``situations``, written by editors with diacritics; they are matched
accent-folded, as whole words. They are not aliases: the NLU never sees them as names
(an alias becomes a ``procedure`` entity), and the bot takes them only when the message
names no procedure (:func:`actions.procedures.plan_reply`) or, read as out of scope,
asks something (:mod:`actions.fallback`).

"mất" is also "lose" ("mới mất căn cước", "vừa mất ví", "mới mất việc") and "cost" ("mới
mất 2 triệu"): an event is not taken when a thing or a number follows it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.kb._model import KnowledgeBase, Procedure
from bot.nlu.text import fold_words

# fmt: off
# Words that, right after an event, make it about a thing: "mới mất [căn cước]", "vừa mất
# [ví]", "mới đẻ [trứng]" (folded).
_THINGS = frozenset((
    "cccd", "cmnd", "can", "cuoc", "giay", "vi", "dien", "dt", "dth", "so", "bang", "the",
    "tien", "xe", "ho", "sim", "viec", "hang", "do", "nick", "tai", "khoan", "mang",
    "song", "ngu", "mau", "nuoc", "bao", "trung", "chia", "khoa", "con", "ban", "goc",
    "het", "may", "cai", "nhieu", "phi", "bn", "gplx", "bhyt", "ca", "vet",
))
# fmt: on


@lru_cache(maxsize=8)
def _index(kb: KnowledgeBase) -> tuple[tuple[re.Pattern[str], str], ...]:
    """One pattern per procedure with situations, longest events first."""
    out = []
    for p in kb:
        events = sorted({fold_words(s) for s in p.situations} - {""}, key=len, reverse=True)
        if events:
            pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, events)) + r")\b")
            out.append((pattern, p.id))
    return tuple(out)


def situation_procedures(kb: KnowledgeBase, text: str) -> list[Procedure]:
    """The procedures whose events ``text`` tells, in knowledge-base order (pure)."""
    folded = fold_words(text)
    found = []
    for pattern, procedure_id in _index(kb):
        for match in pattern.finditer(folded):
            following = folded[match.end() :].split(maxsplit=1)[:1]
            if following and (following[0] in _THINGS or following[0][0].isdigit()):
                continue
            found.append(kb.procedures[procedure_id])
            break
    return found
