"""Word segmentation with offsets into the original text.

underthesea ``word_tokenize`` groups syllables into words ("khai sinh"), but it also
rewrites what it returns ("hoá"→"hóa", "Ð"→"Đ", combining accents composed, spaces added
next to zero-width characters). :func:`align_words` maps its words back onto the original
text by comparing a comparison key (accents, case, spaces and invisible characters
removed), so every span slices the original surface and nothing ever raises.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.nlu.normalize import in_context, normalize_piece
from bot.nlu.text import fold

# Longest message segmented at once; longer text is segmented chunk by chunk (underthesea
# is linear, but one pathological paste should not hold a worker for long).
MAX_CHUNK = 2_000
_WORDISH = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Piece:
    """One word of a message: ``text[start:end]`` is its original surface."""

    start: int
    end: int
    surface: str
    norm: str  # NFC, one tone placement, lower case, abbreviations expanded (syllables " ")
    folded: str  # ``norm`` without accents


def make_piece(start: int, surface: str) -> Piece:
    """The piece for ``surface`` typed at offset ``start``: normalised and accent-folded."""
    norm = normalize_piece(surface)
    return Piece(
        start=start, end=start + len(surface), surface=surface, norm=norm, folded=fold(norm)
    )


@lru_cache(maxsize=4096)
def _key(ch: str) -> str:
    """Comparison key of one character: no accents, no case, no spaces or invisibles."""
    if ch.isspace():
        return ""
    cat = unicodedata.category(ch)
    if cat.startswith("M") or cat in ("Cf", "Cc"):
        return ""
    base = "".join(
        c for c in unicodedata.normalize("NFD", ch) if not unicodedata.category(c).startswith("M")
    )
    return fold(base).lower() if base else ""


def _is_joiner(ch: str) -> bool:
    """Characters that belong to the preceding token though they have no key."""
    cat = unicodedata.category(ch)
    # Marks, zero-width joiner, variation selector, emoji skin tones.
    return cat.startswith("M") or ch in "\u200d\ufe0f" or "\U0001f3fb" <= ch <= "\U0001f3ff"


def align_words(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` in ``text`` of ``words`` (a segmentation of ``text``).

    Words found in order get their span; a word that cannot be found (rewritten beyond
    recognition) is skipped, and any visible text left uncovered becomes whitespace-split
    spans of its own, so the spans always cover every visible character of ``text``.
    Spans never overlap, are sorted, and never contain leading/trailing whitespace.
    """
    keys: list[str] = []
    owner: list[int] = []
    for i, ch in enumerate(text):
        for k in _key(ch):
            keys.append(k)
            owner.append(i)
    haystack = "".join(keys)

    spans: list[tuple[int, int]] = []
    pos = 0
    last_end = 0
    for word in words:
        needle = "".join(_key(c) for c in word)
        if not needle:
            continue
        at = haystack.find(needle, pos)
        if at < 0:
            continue
        start = owner[at]
        end = owner[at + len(needle) - 1] + 1
        if start < last_end:  # a character split between two keys: never overlap
            start = last_end
        while start < end and text[start].isspace():
            start += 1
        if start >= end:
            continue
        while end < len(text) and _is_joiner(text[end]):
            end += 1
        spans.append((start, end))
        pos = at + len(needle)
        last_end = end
    return _fill_gaps(text, spans)


def _fill_gaps(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    cursor = 0
    for start, end in [*spans, (len(text), len(text))]:
        if start > cursor:
            for m in re.finditer(r"\S+", text[cursor:start]):
                piece = m.group(0)
                if any(_key(c) for c in piece):
                    out.append((cursor + m.start(), cursor + m.end()))
        if end > start:
            out.append((start, end))
        cursor = max(cursor, end)
    return out


def _split_mixed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a span at whitespace where it mixes words with symbols ("chào 👋")."""
    chunk = text[start:end]
    parts = [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", chunk)]
    if len(parts) <= 1 or all(_WORDISH.search(text[s:e]) for s, e in parts):
        return [(start, end)]
    out: list[tuple[int, int]] = []
    group: tuple[int, int] | None = None
    for s, e in parts:
        if _WORDISH.search(text[s:e]):
            group = (group[0], e) if group else (s, e)
            continue
        if group:
            out.append(group)
            group = None
        out.append((s, e))
    if group:
        out.append(group)
    return out


def _chunks(text: str) -> list[tuple[int, str]]:
    """Split very long text at whitespace into chunks of at most ~MAX_CHUNK characters."""
    if len(text) <= MAX_CHUNK:
        return [(0, text)]
    out = []
    start = 0
    while start < len(text):
        end = min(start + MAX_CHUNK, len(text))
        if end < len(text):
            space = text.rfind(" ", start + MAX_CHUNK // 2, end)
            end = space if space > start else end
        out.append((start, text[start:end]))
        start = end
    return out


def _default_segmenter(text: str) -> list[str]:
    from underthesea import word_tokenize  # imported lazily: it loads a CRF model

    return word_tokenize(text)


def segment(text: str, segmenter: Callable[[str], list[str]] | None = None) -> list[Piece]:
    """Words of ``text`` with offsets, normalised and accent-folded forms.

    ``segmenter`` defaults to underthesea ``word_tokenize``; if it raises, the text falls
    back to whitespace splitting (a message is never lost to a segmenter bug).
    """
    seg = segmenter or _default_segmenter
    pieces: list[Piece] = []
    for offset, chunk in _chunks(text):
        if not chunk.strip():
            continue
        try:
            words = seg(chunk)
        except Exception:  # any segmenter failure degrades to whitespace
            words = []
        for s, e in align_words(chunk, words):
            for s2, e2 in _split_mixed(chunk, s, e):
                pieces.append(make_piece(offset + s2, chunk[s2:e2]))
    return read_in_context(pieces)


def read_in_context(pieces: list[Piece]) -> list[Piece]:
    """``pieces`` with a one-syllable word read by the syllable before it
    (:func:`bot.nlu.normalize.in_context`: "kết hông" is "kết hôn")."""
    out: list[Piece] = []
    for piece in pieces:
        norm = in_context(out[-1].norm if out else None, piece.surface, piece.norm)
        if norm != piece.norm:
            piece = replace(piece, norm=norm, folded=fold(norm))
        out.append(piece)
    return out
