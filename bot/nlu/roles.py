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

A name after "để" (what for) when another name comes before it is the purpose, not the
procedure asked about: "xin giấy xác nhận độc thân để đi làm hồ sơ *kết hôn*", "làm giấy
chứng tử cho mẹ để còn *sang tên sổ đỏ*".

A paper named right after a copy of papers is what is copied, and the copy is the
procedure asked about: "chứng thực bản sao *sổ đỏ*", "trích lục *giấy kết hôn*", "công
chứng *giấy khai sinh*" (there "công chứng", a name of two procedures, is the copy's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.nlu.procedures import SEVERAL_PROCEDURES, ProcedureMatch, Syllable, syllables
from bot.nlu.text import fold, fold_words

# "cần", "mang", "mang theo", "kèm", "xuất trình", "nơi"; "mất" and "bản chính" for a lost
# paper ("làm mất giấy đăng ký kết hôn, giờ xin trích lục").
_REFERENCE_CUES = frozenset({"cần", "mang", "theo", "kèm", "trình", "nơi", "mất", "chính"})
# "để": what the procedure before it is for.
_PURPOSE = frozenset({"để"})
# The paper's noun between the cue and the name: "cần sổ hộ khẩu", "cần giấy khai sinh".
_PAPER_NOUNS = frozenset({"sổ", "giấy", "bản", "thẻ"})
# Names that start with doing something are what the citizen wants done (folded).
# So do the copying verbs: "cần sao y 20 bản giấy đkkd" wants copies made (batch 62).
_DOING = tuple(
    f"{w} "
    for w in (
        "lam", "dang ky", "xin", "cap", "doi", "gia han", "nop", "sao y", "photo",
    )
)  # fmt: skip


# Procedures that copy a paper, and the names of several procedures that do when a paper
# follows them (folded): "công chứng" is a copy's or a signature's, but a paper's is a copy's.
_COPIES = frozenset({"trich_luc_ho_tich", "chung_thuc_ban_sao"})
_COPY_NAMES = {"chung thuc": "chung_thuc_ban_sao", "cong chung": "chung_thuc_ban_sao"}
# What may stand between the copy and the paper: "bản sao giấy", "bản chính"; and, in a
# list of papers to copy, the joining words and the papers no procedure is ("chứng thực
# bản sao bằng đại học, căn cước với giấy khai sinh", "công chứng bằng đại học vs cccd").
# "photo": "công chứng photo sổ đỏ, giấy khai sinh … với cccd" (batch 68).
_COPY_BETWEEN = frozenset({"bản", "sao", "giấy", "chính", "của", "photo", "copy"})
_COPY_LIST = frozenset({
    "với", "và", "cả", "hoặc", "hay", "bằng", "đại", "học", "tốt", "nghiệp", "cấp", "bạ",
    "chứng", "chỉ", "văn", "cao", "đẳng",
})  # fmt: skip


_JOINING = frozenset({"voi", "va", "vs", "hoac", "hay", "ca"})
MAX_UNNAMED_PAPER_SYLLABLES = 4

_FOLDED = {
    words: frozenset(fold(w) for w in words)
    for words in (_REFERENCE_CUES, _PAPER_NOUNS, _COPY_BETWEEN, _COPY_LIST, _PURPOSE)
}
_SENTENCE_END = frozenset(".?!\n")


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


def _for_purpose(
    syl: Sequence[Syllable], match: ProcedureMatch, matches: Sequence[ProcedureMatch]
) -> bool:
    """True when "để" stands between another name and ``match``."""
    first = min(m.end for m in matches)
    return first <= match.start and any(
        first <= s.start and s.end <= match.start and _is(s, _PURPOSE) for s in syl
    )


def _copy_of(match: ProcedureMatch) -> str | None:
    """The copy procedure ``match`` names, if a paper after it would be what it copies."""
    if match.procedure in _COPIES:
        return match.procedure
    if match.procedure == SEVERAL_PROCEDURES:
        return _COPY_NAMES.get(fold(match.alias))
    return None


def _a_list_of_papers(between: Sequence[Syllable]) -> bool:
    """Whether ``between`` (the syllables between a copy and a paper) lists papers: the
    copy's and list words, counts ("20 bản"), and, when a joining word is among them, up
    to ``MAX_UNNAMED_PAPER_SYLLABLES`` of a paper no procedure is ("sao y 20 bản giấy
    đkkd với 10 bản cccd", batch 62)."""
    # A paper's noun too: "photo công chứng sổ hộ khẩu với cccd" (batch 80).
    others = [
        s
        for s in between
        if not (
            _is(s, _COPY_BETWEEN)
            or _is(s, _COPY_LIST)
            or _is(s, _PAPER_NOUNS)
            or s.folded.isdigit()
        )
    ]
    if not others:
        return True
    joined = any(s.folded in _JOINING for s in between)
    return joined and len(others) <= MAX_UNNAMED_PAPER_SYLLABLES


def _without_copied(
    text: str, syl: Sequence[Syllable], matches: Sequence[ProcedureMatch]
) -> list[ProcedureMatch]:
    """``matches`` with each paper that a copy right before it copies taken into the
    copy's mention; a name of several procedures that copies becomes the copy's name."""
    out: list[ProcedureMatch] = []
    for m in sorted(matches, key=lambda m: m.start):
        copy = _copy_of(out[-1]) if out else None
        # A paper several procedures are named by is copied too ("sao y 20 bản giấy đkkd");
        # a name of several copies ("công chứng") is not a paper.
        if copy and (m.procedure != SEVERAL_PROCEDURES or _copy_of(m) is None):
            between = [s for s in syl if out[-1].end <= s.start and s.end <= m.start]
            # "giấy đăng ký kinh doanh" is a paper, though its name opens with doing.
            paper = bool(between) and _is(between[-1], _PAPER_NOUNS)
            listed = (
                (paper or not f"{m.alias} ".startswith(_DOING))
                and not _SENTENCE_END & set(text[out[-1].end : m.start])
                and _a_list_of_papers(between)
            )
            if listed or all(_is(s, _COPY_BETWEEN) for s in between):
                start = out[-1].start
                out[-1] = replace(out[-1], procedure=copy, end=m.end, text=text[start : m.end])
                continue
        out.append(m)
    return out


# Copying verbs that may open a list of papers the copy named after it copies (folded).
_COPYING = frozenset({"photo", "copy", "coppy"})
MAX_BEFORE_COPIED = 3  # syllables between the verb and the first paper: "photo cái sổ đỏ"


def _copied_before_the_copy(
    syl: Sequence[Syllable], matches: Sequence[ProcedureMatch]
) -> list[ProcedureMatch] | None:
    """For papers after a copying verb and the copy named last ("photo cái sổ đỏ với cái
    giấy khai sinh … rồi đem đi công chứng", batch 76): the copy alone, as asked about;
    None for any other message."""
    *papers, last = sorted(matches, key=lambda m: m.start)
    copy = _copy_of(last)
    if copy is None or not papers or any(_copy_of(m) for m in papers):
        return None
    before = [s for s in syl if s.end <= papers[0].start][-MAX_BEFORE_COPIED:]
    if not any(s.folded in _COPYING for s in before):
        return None
    return [replace(last, procedure=copy)]


def names_a_paper(text: str, start: int, end: int) -> bool:
    """True when the name at ``text[start:end]`` follows a word that asks for a paper or
    a place ("có cần mang *căn cước* không"): on its own it is no procedure asked about
    when another one is being discussed (``actions.procedures``)."""
    before = [s for s in syllables(text) if s.end <= start]
    return _is_reference(before, fold_words(text[start:end]))


def asked_about(text: str, matches: Sequence[ProcedureMatch]) -> list[ProcedureMatch]:
    """``matches`` (from :meth:`ProcedureMatcher.find` on ``text``, names of several
    procedures included or not) without the names of several procedures and without the
    names that are papers or places of another procedure named in the same message."""
    if len(matches) < 2:
        return [m for m in matches if m.procedure != SEVERAL_PROCEDURES]
    syl = syllables(text)
    copied = _copied_before_the_copy(syl, matches)
    if copied is not None:
        return copied
    matches = [m for m in _without_copied(text, syl, matches) if m.procedure != SEVERAL_PROCEDURES]
    if len({m.procedure for m in matches}) < 2:
        return matches
    kept = [m for m in matches if not _is_reference([s for s in syl if s.end <= m.start], m.alias)]
    if len({m.procedure for m in kept}) > 1:
        kept = [m for m in kept if not _for_purpose(syl, m, kept)] or kept
    return kept or list(matches)
