"""Codes, phone numbers and bare numbers stand as one placeholder word each in the features.

The digits of "000.00.12.H49-251002-0015" or "0912 345 678" say nothing about what the
citizen wants, but as character n-grams they are many features that differ in every
message, so "theo dõi hồ sơ <a code never seen>" could drift away from the examples it
resembles. The tokenizer therefore gives such words one fixed normalised form: a dossier
code (found by :func:`bot.dossier_codes.find_codes`, even when underthesea cut it into
several words) becomes one word ``DOSSIER_CODE``, a phone number ``PHONE``, and any other
word made of digits and punctuation only ``NUMBER``. Offsets still point at what was typed;
the entity extractors read the original text, so the values are untouched.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from bot.dossier_codes import find_codes
from bot.nlu.segment import Piece, make_piece

# Placeholder words: letters only (the count vectorizers keep them whole) and unlike any
# Vietnamese syllable, with or without accents.
DOSSIER_CODE = "zzmahoso"
PHONE = "zzsodienthoai"
NUMBER = "zzso"
PLACEHOLDERS = frozenset({DOSSIER_CODE, PHONE, NUMBER})

# 10-digit numbers starting 0 (or +84 / 84 with 9 digits), spaces/dots/dashes allowed
# between groups: "0912 345 678", "+84 912.345.678".
_PHONE_RE = re.compile(r"(?<![\w+])(?:\+?84|0)(?:[\s.-]?\d){9}(?![\w])")
_NUMBERISH = re.compile(r"^[\d\W_]*\d[\d\W_]*$")
# Units glued to an amount ("50k", "2tr"): underthesea splits them off, and a lone "k"
# would otherwise be read as the teencode for "không".
_UNITS = frozenset({"k", "đ", "d", "tr", "ty", "tỷ", "vnd", "vnđ", "nghìn", "ngàn", "triệu"})


def find_phones(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, value)`` of phone numbers in ``text``; value is ``0`` + 9 digits."""
    out = []
    for m in _PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        national = "0" + digits[2:] if digits.startswith("84") else digits
        if len(national) == 10:
            out.append((m.start(), m.end(), national))
    return out


def mask_numbers(text: str, pieces: list[Piece]) -> list[Piece]:
    """``pieces`` (a segmentation of ``text``) with codes, phones and numbers as placeholders.

    Pieces overlapping one dossier code or phone number merge into a single piece spanning
    them all; the result stays sorted and non-overlapping.
    """
    spans = [(c.start, c.end, DOSSIER_CODE) for c in find_codes(text)]
    spans += [
        (s, e, PHONE)
        for s, e, _ in find_phones(text)
        if not any(s < ce and cs < e for cs, ce, _ in spans)
    ]
    out: list[Piece] = []
    last_span = -1
    for piece in _cut_at_spans(text, pieces, spans):
        at = next((i for i, (s, e, _) in enumerate(spans) if piece.start < e and s < piece.end), -1)
        glued = bool(out) and out[-1].norm == NUMBER and out[-1].end == piece.start
        if at < 0 and glued and piece.surface.lower() in _UNITS:
            out[-1] = _placeholder(text, out[-1].start, piece.end, NUMBER)
        elif at < 0:
            numeric = _NUMBERISH.match(piece.surface)
            out.append(replace(piece, norm=NUMBER, folded=NUMBER) if numeric else piece)
        elif at == last_span:  # another piece of the same code: extend the placeholder
            out[-1] = _placeholder(text, out[-1].start, piece.end, spans[at][2])
        else:
            out.append(_placeholder(text, piece.start, piece.end, spans[at][2]))
        last_span = at
    return out


def _cut_at_spans(text: str, pieces: list[Piece], spans: list[tuple[int, int, str]]) -> list[Piece]:
    """``pieces`` with the words glued to a code or phone number cut off as pieces of their own.

    underthesea sometimes joins the word after a code to it ("H49-251230-0510 tra"): that
    word would vanish into the placeholder.
    """
    out: list[Piece] = []
    for piece in pieces:
        cuts = sorted(
            {piece.start, piece.end}
            | {b for s, e, _ in spans for b in (s, e) if piece.start < b < piece.end}
        )
        if len(cuts) == 2:
            out.append(piece)
            continue
        for a, b in pairwise(cuts):
            if any(s <= a and b <= e for s, e, _ in spans):
                out.append(make_piece(a, text[a:b]))  # mask_numbers makes it the placeholder
                continue
            out.extend(
                make_piece(a + m.start(), m.group(0)) for m in re.finditer(r"\S+", text[a:b])
            )
    return out


def _placeholder(text: str, start: int, end: int, word: str) -> Piece:
    return Piece(start=start, end=end, surface=text[start:end], norm=word, folded=word)
