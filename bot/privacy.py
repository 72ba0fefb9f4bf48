"""Masking of personal data (phone numbers, ID numbers, names, dossier codes).

Pure functions, used by the log pipeline (every string value of every log event goes
through :func:`mask_text`) and by anything that shows data to someone not entitled to it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.nlu.text import fold

# Vietnamese mobile/landline numbers: 0xxxxxxxxx or +84xxxxxxxxx, with optional separators.
_PHONE_RE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
# CCCD (12 digits), CMND (9 digits), other long digit runs that identify a person.
_ID_RE = re.compile(r"(?<![\d.])\d{9}(?:\d{3})?(?![\d.])")
# Dossier codes: ...H49-YYMMDD-NNNN (old and new national formats).
_DOSSIER_RE = re.compile(
    r"(?i)\b((?:[0-9a-z]{2,3}\.){0,3}H\d{2}(?:\.\d{1,3}){0,2})[\s\-]*(\d{6})[\s\-]*(\d{4,})\b"
)


def has_phone_number(text: str) -> bool:
    """True when ``text`` holds a Vietnamese phone number ("sđt e 0912 345 678")."""
    return _PHONE_RE.search(text) is not None


def without_phone_numbers(text: str) -> str:
    """``text`` with every phone number blanked out."""
    return _PHONE_RE.sub(" ", text)


def has_id_number(text: str) -> bool:
    """True when ``text`` holds a CCCD (12 digits) or CMND (9 digits) number."""
    return _ID_RE.search(_PHONE_RE.sub(" ", text)) is not None


def mask_phone(value: str) -> str:
    """``0912345678`` → ``091*****78``: keeps the network prefix and the last two digits."""
    digits = re.sub(r"\D", "", value)
    if len(digits) < 6:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 5) + digits[-2:]


def mask_id_number(value: str) -> str:
    """``001099012345`` → ``********2345``."""
    digits = re.sub(r"\D", "", value)
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def mask_name(value: str) -> str:
    """``Nguyễn Văn An`` → ``N*** V** A*``: initials only, as public look-ups show."""
    parts = [p for p in value.split() if p]
    return " ".join(p[0] + "*" * (len(p) - 1) for p in parts)


def mask_dossier_code(value: str) -> str:
    """``000.00.12.H49-251002-0015`` → ``000.00.12.H49-25****-**15``."""
    m = _DOSSIER_RE.search(value)
    if not m:
        return value[:3] + "*" * max(len(value) - 3, 0)
    agency, date, seq = m.groups()
    return f"{agency.upper()}-{date[:2]}****-{'*' * (len(seq) - 2)}{seq[-2:]}"


# The commonest Vietnamese family names (nine in ten people carry one of them), spelt with
# their accents; "Đăng", "Hạ", "Từ" are not among them, so "Đăng ký", "Hạ Long" stay.
_SURNAMES = frozenset(
    (
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đinh",
        "Đào",
        "Đoàn",
        "Trịnh",
        "Trương",
        "Lâm",
        "Mai",
        "Cao",
        "Hà",
        "Lưu",
        "Tạ",
        "Tô",
        "Châu",
        "Quách",
        "Lương",
        "Kiều",
        "Vương",
        "Triệu",
        "Chu",
        "Phùng",
        "Tôn",
        "Lại",
        "Nông",
        "Hứa",
        "Diệp",
        "Lục",
        "Khúc",
        "Mạc",
        "Nghiêm",
        "Thân",
    )
)
_FOLDED_SURNAMES = frozenset(fold(n) for n in _SURNAMES)
# Places that begin like a name.
_PLACES = frozenset(
    ("Hà Nội", "Hà Nam", "Hà Giang", "Hà Tĩnh", "Cao Bằng", "Lâm Đồng", "Hồ Chí", "Châu Á")
)
_WORD_RE = re.compile(r"[^\W\d_]+")
_CUE_REACH = 24  # characters: the longest cue ("họ và tên") and its punctuation
# "tên là …", "họ và tên: …", "tôi tên …": what follows is a name, however it is typed.
_NAME_CUE_RE = re.compile(
    r"(?i)\b(?:họ và tên|họ tên|tên tôi là|tên em là|tên là|tôi tên|em tên|"
    r"con tên|cháu tên|ho va ten|ho ten|ten toi la|ten em la|ten la|toi ten|em ten|con ten|"
    r"chau ten)\s*:?\s*$"
)


def _name_spans(text: str) -> list[tuple[int, int]]:
    """Spans of personal names in free text (see :func:`_name_length`)."""
    words = list(_WORD_RE.finditer(text))
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        n = _name_length(text, words, i)
        if n:
            spans.append((words[i].start(), words[i + n - 1].end()))
        i += max(n, 1)
    return spans


def _name_length(text: str, words: list[re.Match[str]], i: int) -> int:
    """How many words from ``words[i]`` make a personal name (0: none): a family name and
    the capitalised words after it ("Trần Thị Bích"); a family name, "văn" or "thị" and a
    word however typed ("nguyen van an"); a family name and up to two words right after
    "tên là", "họ tên"… ("tên là nguyễn an"). Only words separated by spaces."""
    first = words[i].group(0)
    if first not in _SURNAMES and _folded(first) not in _FOLDED_SURNAMES:
        return 0  # most words: decided without looking further
    run = 1
    while run < 4 and i + run < len(words) and _adjacent(text, words[i + run - 1], words[i + run]):
        run += 1
    following = [w.group(0) for w in words[i + 1 : i + run]]
    if first in _SURNAMES:
        capitalised = 0
        for word in following:
            if not word[0].isupper():
                break
            capitalised += 1
        if capitalised and f"{first} {following[0]}" not in _PLACES:
            return 1 + capitalised
    if len(following) >= 2 and _folded(following[0]) in ("van", "thi"):
        return 3 + (len(following) >= 3 and following[2][0].isupper())
    # Only the few characters before the word can hold the cue: a long text stays linear.
    start = words[i].start()
    if following and _NAME_CUE_RE.search(text[max(start - _CUE_REACH, 0) : start]):
        return 1 + min(len(following), 2)
    return 0


@lru_cache(maxsize=8192)  # log values repeat the same few hundred words
def _folded(word: str) -> str:
    return fold(word)


def _adjacent(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    """Two words of one name: nothing but spaces between them."""
    return text[a.end() : b.start()].isspace()


def mask_names(text: str) -> str:
    """Every personal name found in free text masked to its initials (:func:`mask_name`)."""
    out, last = [], 0
    for start, end in _name_spans(text):
        out += [text[last:start], mask_name(text[start:end])]
        last = end
    return "".join(out) + text[last:]


def mask_text(text: str) -> str:
    """Masks every phone number, ID number, dossier code and personal name found in free
    text."""
    text = _DOSSIER_RE.sub(lambda m: mask_dossier_code(m.group(0)), text)
    text = _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)
    return mask_names(_ID_RE.sub(lambda m: mask_id_number(m.group(0)), text))
