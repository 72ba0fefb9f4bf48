"""Dossier codes (mã hồ sơ) of the one-stop system: finding and normalising them.

Two national formats are accepted (see shared/reference/onestop-notes.md):

* TT 01/2018/TT-VPCP: ``V1V2V3.Z1Z2.Y1Y2.H49-YYMMDD-XXXX``, e.g. ``000.00.12.H49-251002-0015``
* TT 04/2025/TT-VPCP: ``H49.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX``, e.g. ``H49.22-260115-010023``

Citizens type them in lower case, with spaces around the dashes, with a dot missing
("h4922-260120-000415"), with dots replaced by spaces, with spaces instead of dashes
("H40.22 241115 0012"), with the last dash left out ("000.00.12.H40-2412030005": the
date is always six digits) or with the letter O for a zero in the date or the number
("H49.22-25O612-0003"); :func:`find_codes` accepts all of that and returns the
canonical upper-case form together with offsets into the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EXAMPLE_CODE = "000.00.12.H49-251002-0015"

_SEP = r"(?:[\s]*[-–—_][\s]*|[\s]+)"
_CODE_RE = re.compile(
    r"(?<![0-9A-Za-z])"
    r"(?P<agency>"
    r"(?:(?=[0-9A-Za-z]{0,2}\d)[0-9A-Za-z]{2,3}[\s.]{0,2}){0,3}"  # V1V2V3.Z1Z2.Y1Y2. (dots may be missing)
    r"[Hh][\s]?\d{2}"  # province code, e.g. H49
    # new format: H49.22 / H49.22.05; one group may come without its dot ("h4922").
    r"(?:(?:[\s]?\.[\s]?\d{1,3}){1,2}|[\s]?\d{1,3})?"
    # The letter O typed for a zero in the digits ("25O612") is read as the zero.
    r")" + _SEP + r"(?P<date>[\dOo]{6})" + _SEP + r"?(?P<seq>[\dOo]{4,8})"
    r"(?![0-9A-Za-z])"
)
_LETTER_O = str.maketrans("Oo", "00")
# Something that looks like an attempt at a code (used to give a helpful format hint).
_CODE_WORD = re.compile(r"[\w.\-–]*\d[\w.\-–]*|[-–]")
_ATTEMPT_RE = re.compile(r"(?i)(h\s?\d{2}|\d{6}\s*[-–]\s*\d{2,}|\d{3}\.\d{2}\.\d{2})")


@dataclass(frozen=True, slots=True)
class CodeMatch:
    start: int
    end: int
    text: str
    code: str


def _canonical_agency(raw: str) -> str | None:
    compact = re.sub(r"\s+", "", raw).upper()
    # The province part starts at the last "H" followed by two digits.
    m = re.search(r"H\d{2}(?:(?:\.\d{1,3}){1,2}|\d{1,3})?$", compact)
    if not m:
        return None
    h_at = m.start()
    province = m.group(0)
    if len(province) > 3 and province[3] != ".":  # "H4922": the province is always H + 2 digits
        province = f"{province[:3]}.{province[3:]}"
    prefix = compact[:h_at].strip(".")
    if not prefix:
        return province
    groups = [g for g in prefix.split(".") if g]
    joined = "".join(groups)
    if len(groups) == 3 and [len(g) for g in groups] in ([3, 2, 2], [2, 2, 2]):
        return ".".join(groups) + "." + province
    if len(joined) == 7:  # dots missing: 0000012 → 000.00.12
        return f"{joined[:3]}.{joined[3:5]}.{joined[5:]}.{province}"
    if len(joined) == 6:
        return f"{joined[:2]}.{joined[2:4]}.{joined[4:]}.{province}"
    return None


def find_codes(text: str) -> list[CodeMatch]:
    """All dossier codes in ``text``, canonicalised, with offsets into ``text``."""
    found: list[CodeMatch] = []
    for m in _CODE_RE.finditer(text):
        agency = _canonical_agency(m.group("agency"))
        if agency is None:
            continue
        # Trim leading spaces the agency group may have swallowed.
        start = m.start()
        while start < m.end() and text[start].isspace():
            start += 1
        digits = f"{m.group('date')}-{m.group('seq')}".translate(_LETTER_O)
        code = f"{agency}-{digits}"
        found.append(CodeMatch(start=start, end=m.end(), text=text[start : m.end()], code=code))
    return found


def normalize_code(text: str) -> str | None:
    """The canonical code if ``text`` contains exactly one recognisable code, else None."""
    matches = find_codes(text)
    return matches[0].code if len(matches) == 1 else None


def attempted_code(text: str) -> str | None:
    """The words of ``text`` that seem to be a mistyped dossier code, for the reply to
    quote: "G22.QN-240611-0045" in "G22.QN-240611-0045 đây ạ"; None when none does."""
    match = _ATTEMPT_RE.search(text)
    if match is None:
        return None
    words = [w.span() for w in re.finditer(r"\S+", text)]
    inside = [i for i, (s, e) in enumerate(words) if s < match.end() and e > match.start()]
    first, last = inside[0], inside[-1]
    # Neighbouring words with a digit, or a lone dash, belong to it ("H49 - 251002 - 15").
    while first > 0 and _CODE_WORD.fullmatch(text[slice(*words[first - 1])]):
        first -= 1
    while last + 1 < len(words) and _CODE_WORD.fullmatch(text[slice(*words[last + 1])]):
        last += 1
    return text[words[first][0] : words[last][1]].strip(".,;:!?")
