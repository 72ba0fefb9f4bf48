"""Which of several procedures named in one message is the one asked about.

Citizens name papers that are themselves procedures of the knowledge base when they ask
about another one: "làm hộ chiếu có cần mang sổ hộ khẩu không" (hộ chiếu asked about,
hộ khẩu a paper), "đăng ký kết hôn có cần giấy xác nhận độc thân không", "làm khai sinh ở
nơi tạm trú được không". Such a name follows a word that asks for a paper or a place
("cần", "mang", "kèm", "xuất trình", "nơi", "mất"), possibly with the paper's noun in between
("cần *sổ* hộ khẩu"). The training data marks exactly these as unannotated (about forty
examples); without this rule the bot asked "which procedure?" for every one of them.

The rule only ever narrows a message naming two or more procedures, and keeps them all
when it would leave none, so a single name is never dropped ("em cần giấy khai sinh").
A name starting with a verb of doing ("cần *làm* căn cước") is always asked about.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.nlu.procedures import ProcedureMatch, Syllable, syllables
from bot.nlu.text import fold

# "cần", "mang", "mang theo", "kèm", "xuất trình", "nơi"; "mất" and "bản chính" for a lost
# paper ("làm mất giấy đăng ký kết hôn, giờ xin trích lục").
_REFERENCE_CUES = frozenset({"cần", "mang", "theo", "kèm", "trình", "nơi", "mất", "chính"})
# The paper's noun between the cue and the name: "cần sổ hộ khẩu", "cần giấy khai sinh".
_PAPER_NOUNS = frozenset({"sổ", "giấy", "bản", "thẻ"})
# Names that start with doing something are what the citizen wants done (folded).
_DOING = tuple(f"{w} " for w in ("lam", "dang ky", "xin", "cap", "doi", "gia han", "nop"))


_FOLDED = {words: frozenset(fold(w) for w in words) for words in (_REFERENCE_CUES, _PAPER_NOUNS)}


def _is(syllable: Syllable, words: frozenset[str]) -> bool:
    """Typed with accents, the accents must agree ("nội" is not "nơi", "cân" not "cần");
    typed without, the folded word is enough."""
    if syllable.norm != syllable.folded:
        return syllable.norm in words
    return syllable.folded in _FOLDED[words]


def _is_reference(before: Sequence[Syllable], alias: str) -> bool:
    if f"{alias} ".startswith(_DOING):
        return False
    words = list(before[-2:])
    if words and _is(words[-1], _PAPER_NOUNS):
        words.pop()
    return bool(words) and _is(words[-1], _REFERENCE_CUES)


def asked_about(text: str, matches: Sequence[ProcedureMatch]) -> list[ProcedureMatch]:
    """``matches`` (from :meth:`ProcedureMatcher.find` on ``text``) without the names that
    are papers or places of another procedure named in the same message."""
    if len({m.procedure for m in matches}) < 2:
        return list(matches)
    syl = syllables(text)
    kept = [m for m in matches if not _is_reference([s for s in syl if s.end <= m.start], m.alias)]
    return kept or list(matches)
