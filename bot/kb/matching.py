"""Which procedures a free text (or an entity value) most likely means.

Pure functions over a :class:`KnowledgeBase`, accent-folded with :func:`bot.nlu.text.fold`:
a whole alias found in the text wins (the longest one when aliases nest, "trích lục khai
sinh" over "khai sinh"); otherwise token overlap weighted by rarity, difflib similarity
for typos, and an alias inside a word typed without spaces ("lamcancuocmatbaonhieu"),
one letter off or two swapped too ("lamcancoucmatbaolau"). The
knowledge base's not-aliases are masked first ("xuất nhập khẩu" is not the "nhập khẩu" of
thường trú), and so are words typed with accent marks that no spelling of the alias they
fold into has ("chủ trọ bảo tự làm" is not "báo tử"; "bao tu", typed without marks, may
be). Used to resolve entity values and to offer choices when the bot must ask.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from bot.kb._model import KnowledgeBase, Procedure
from bot.nlu.syllables import LONGEST_SYLLABLE
from bot.nlu.text import fold, fold_words, typed_words

# A folded word longer than any Vietnamese syllable was typed without spaces, unless it is
# foreign; an alias of at least _MIN_SQUASHED letters inside it ("cancuoc") is offered as
# a choice, never taken for sure (it may straddle two words).
_MIN_SQUASHED = 6
_SQUASHED_SCORE = 0.7
_SQUASHED_TYPO_SCORE = 0.6
# The difflib similarity from which a window of the text is an alias with typos.
_TYPO_RATIO = 0.8
_WORD = re.compile(r"\w+")
# "kí"/"ký", "lí"/"lý": one word spelled either way.
_SAME_LETTER = str.maketrans({"y": "i"})


@dataclass(frozen=True, kw_only=True)
class Match:
    procedure: Procedure
    score: float
    alias: str  # the folded alias (or name) that matched best


def _phrases(p: Procedure) -> list[str]:
    raw = [p.name, p.id.replace("_", " "), *p.aliases, *p.ambiguous_aliases]
    return sorted({n for n in (fold_words(r) for r in raw) if n})


def _replace(text: str, phrase: str, by: str) -> str:
    return f" {text} ".replace(f" {phrase} ", f" {by} ").strip()


def _blocked(kb: KnowledgeBase, phrases: dict[str, list[str]]) -> list[tuple[str, str]]:
    """``(not-alias, the same with its procedure's aliases masked)``: "xe nhap khau" →
    "xe #", so the other words ("xe") still count. Longest first."""
    out = {}
    for p in kb:
        for phrase in filter(None, (fold_words(b) for b in p.not_aliases)):
            masked = phrase
            for alias in sorted(phrases[p.id], key=len, reverse=True):
                masked = _replace(masked, alias, "#")
            out[phrase] = masked
    return sorted(out.items(), key=lambda item: len(item[0]), reverse=True)


def _marks(word: str) -> list[tuple[str, frozenset[str]]]:
    """Each letter of ``word`` (lower case) with the accent marks on it: "hộ" → [("h",
    {}), ("o", {circumflex, dot below})]; "đ" counts as "d" with a mark."""
    out = []
    for ch in word.lower():
        if ch == "đ":
            out.append(("d", frozenset({"đ"})))
            continue
        base, *marks = unicodedata.normalize("NFD", ch)
        out.append((base.translate(_SAME_LETTER), frozenset(marks)))
    return out


def _fits(typed: str, spelled: str) -> bool:
    """Whether ``typed`` can be ``spelled`` written with fewer marks: every mark typed is
    on the same letter of the spelling ("ho", "hô" and "hộ" fit "hộ"; "bảo" is not
    "báo")."""
    a, b = _marks(typed), _marks(spelled)
    return len(a) == len(b) and all(x == y and m <= n for (x, m), (y, n) in zip(a, b, strict=True))


def _clashes(run: list[str], form: list[str]) -> bool:
    """Whether the words ``run`` typed are not the alias spelled ``form``: every word
    typed with marks has marks the spelling lacks ("bảo tự" is not "báo tử"). One word
    that fits is enough to keep it, so a slip of one tone ("số đỏ") still names sổ đỏ."""
    marked = [(t, f) for t, f in zip(run, form, strict=True) if fold(t) != t]
    return bool(marked) and not any(_fits(t, f) for t, f in marked)


def _accented_spellings(kb: KnowledgeBase) -> dict[str, list[list[str]]]:
    """The words of every alias (and name) written with marks, by its folded form."""
    out: dict[str, list[list[str]]] = {}
    for p in kb:
        for raw in (p.name, *p.aliases, *p.ambiguous_aliases):
            words = typed_words(raw)
            if words and " ".join(words) != fold_words(raw):
                out.setdefault(fold_words(raw), []).append(words)
    return out


def _mask_clashes(text: str, spellings: dict[str, list[list[str]]]) -> str:
    """The folded words of ``text`` (:func:`fold_words`), with "#" for each run of words
    that folds into an alias but clashes with every spelling of it (:func:`_clashes`)."""
    typed = typed_words(text)
    folded = _WORD.findall(fold(unicodedata.normalize("NFC", text)))
    if len(typed) != len(folded) or typed == folded:  # no marks typed: nothing can clash
        return " ".join(folded)
    out = list(folded)
    joined = f" {' '.join(folded)} "
    for alias, forms in spellings.items():
        if f" {alias} " not in joined:
            continue
        size = len(alias.split())
        for i in range(len(folded) - size + 1):
            if " ".join(folded[i : i + size]) != alias:
                continue
            run = typed[i : i + size]
            if not any(len(form) == size and _clashes(run, form) is False for form in forms):
                out[i : i + size] = ["#"] * size
    return " ".join(out)


@lru_cache(maxsize=8)
def _index(
    kb: KnowledgeBase,
) -> tuple[
    dict[str, list[str]],
    dict[str, float],
    list[tuple[str, str]],
    frozenset[str],
    dict[str, list[list[str]]],
]:
    """Each procedure's phrases, the words' IDF, the masked not-aliases, and the phrases
    long enough to be looked for inside a word typed without spaces, spaces removed, and
    the spellings with marks of the aliases (:func:`_mask_clashes`)."""
    phrases = {p.id: _phrases(p) for p in kb}
    df: Counter[str] = Counter()
    for items in phrases.values():
        df.update({t for phrase in items for t in phrase.split()})
    n = max(len(phrases), 1)
    idf = {t: math.log(1 + n / c) for t, c in df.items()}
    squashed = frozenset(
        q
        for items in phrases.values()
        for ph in items
        if len(q := ph.replace(" ", "")) >= _MIN_SQUASHED
    )
    return phrases, idf, _blocked(kb, phrases), squashed, _accented_spellings(kb)


def _mask(norm: str, blocked: list[tuple[str, str]]) -> str:
    """``norm`` with the alias inside each not-alias masked ("xuất nhập khẩu" → "xuat #")."""
    for phrase, masked in blocked:
        norm = _replace(norm, phrase, masked)
    return norm


def _contains(text: str, phrase: str) -> bool:
    return f" {phrase} " in f" {text} "


def _window_ratio(tokens: list[str], phrase: str, *, floor: float = _TYPO_RATIO) -> float:
    """The best difflib similarity of ``phrase`` to a window of as many tokens, or 0 when
    none reaches ``floor`` (below it a typo does not count). Windows whose cheap upper
    bounds stay under the floor are skipped: most of the time of a message that names
    no procedure went to full ratios of ~600 aliases that could not count."""
    size = len(phrase.split())
    if not tokens:
        return 0.0
    matcher = difflib.SequenceMatcher(None, "", phrase)  # caches the phrase's index
    best = 0.0
    for i in range(max(len(tokens) - size + 1, 1)):
        matcher.set_seq1(" ".join(tokens[i : i + size]))
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        best = max(best, matcher.ratio())
    return best if best >= floor else 0.0


def edits_into(phrase: str, run: str) -> int:
    """The fewest one-letter edits (a letter added, dropped or changed, or two neighbours
    swapped) that make ``phrase`` a part of ``run``: Sellers' approximate matching, where
    the part may start anywhere."""
    # prev2/prev/cur: rows i-2, i-1 and i of the table of phrase[:i] against run[:j]
    prev2: list[int] = []
    prev = [0] * (len(run) + 1)
    for i in range(1, len(phrase) + 1):
        cur = [i] + [0] * len(run)
        for j in range(1, len(run) + 1):
            same = phrase[i - 1] == run[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (not same))
            if (
                i > 1
                and j > 1
                and phrase[i - 1] == run[j - 2]
                and phrase[i - 2] == run[j - 1]
                and not same
            ):
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return min(prev)


def _inside_a_run(runs: list[tuple[str, bool]], phrase: str) -> float:
    """``_SQUASHED_SCORE`` if ``phrase`` without spaces is inside a run, the lower
    ``_SQUASHED_TYPO_SCORE`` if it is there but for one edit (:func:`edits_into`) and
    no name is inside that run as typed; else 0."""
    squashed = phrase.replace(" ", "")
    if len(squashed) < _MIN_SQUASHED:
        return 0.0
    if any(squashed in run for run, _ in runs):
        return _SQUASHED_SCORE
    # One edit leaves the head or the tail as typed (they do not touch, so a swap cannot
    # straddle them): a cheap filter before the table.
    k = min(3, (len(squashed) - 1) // 2)
    head, tail = squashed[:k], squashed[-k:]
    for run, named in runs:
        if not named and (head in run or tail in run) and edits_into(squashed, run) <= 1:
            return _SQUASHED_TYPO_SCORE
    return 0.0


def _overlap(tokens: set[str], phrase: str, idf: dict[str, float]) -> float:
    words = phrase.split()
    total = sum(idf.get(w, 1.0) for w in words)
    found = sum(idf.get(w, 1.0) for w in words if w in tokens)
    return found / total if total else 0.0


def closest_procedures(
    kb: KnowledgeBase, text: str, *, limit: int = 3, min_score: float = 0.5
) -> list[Match]:
    """The procedures ``text`` most likely refers to, best first (score in 0..1)."""
    phrases, idf, blocked, squashed, spellings = _index(kb)
    norm = _mask(_mask_clashes(text, spellings), blocked)
    if not norm.strip("# "):
        return []
    tokens = norm.split()
    token_set = set(tokens)
    # Each run, and whether some name is inside it as typed (then its typos are no names).
    runs = [(t, any(q in t for q in squashed)) for t in tokens if len(t) > LONGEST_SYLLABLE]

    contained = [(pid, ph) for pid, items in phrases.items() for ph in items if _contains(norm, ph)]
    # A contained alias that is part of a longer contained alias of another procedure loses.
    winners = {
        (pid, ph)
        for pid, ph in contained
        if not any(o_pid != pid and ph != o_ph and ph in o_ph for o_pid, o_ph in contained)
    }

    matches = []
    for pid, items in phrases.items():
        best, best_alias = 0.0, ""
        for ph in items:
            if (pid, ph) in winners:
                score = 1.0
            elif _contains(norm, ph):
                score = 0.8
            else:
                score = max(
                    0.9 * _window_ratio(tokens, ph),
                    0.85 * _overlap(token_set, ph, idf),
                    _inside_a_run(runs, ph),
                )
            if score > best:
                best, best_alias = score, ph
        if best >= min_score:
            matches.append(
                Match(procedure=kb.procedures[pid], score=round(best, 3), alias=best_alias)
            )
    matches.sort(key=lambda m: (-m.score, m.procedure.name))
    return matches[:limit]


def resolve_procedure(kb: KnowledgeBase, value: str) -> list[Procedure]:
    """The procedures an entity value names: an id, an alias, or an ambiguous alias.

    One procedure means resolved; several mean ambiguous (ask); none means unknown.
    """
    if value in kb:
        return [kb.procedures[value]]
    norm = fold_words(value)
    if not norm:
        return []
    exact = [p for p in kb if norm in {fold_words(a) for a in (*p.aliases, p.name, p.id)}]
    if exact:
        return exact
    ambiguous = [p for p in kb if norm in {fold_words(a) for a in p.ambiguous_aliases}]
    if ambiguous:
        return sorted(ambiguous, key=lambda p: p.name)
    close = closest_procedures(kb, value, limit=3, min_score=0.8)
    if close and close[0].score == 1.0:
        return [m.procedure for m in close if m.score == 1.0]
    return []


def confident_match(kb: KnowledgeBase, text: str) -> Procedure | None:
    """The one procedure whose alias appears whole in ``text``, if exactly one does."""
    top = [m for m in closest_procedures(kb, text, limit=5) if m.score == 1.0]
    return top[0].procedure if len(top) == 1 else None
