"""Masking of personal data (phone numbers, ID numbers, names, dossier codes).

Pure functions, used by the log pipeline (every string value of every log event goes
through :func:`mask_text`) and by anything that shows data to someone not entitled to it.
"""

from __future__ import annotations

import re

# Vietnamese mobile/landline numbers: 0xxxxxxxxx or +84xxxxxxxxx, with optional separators.
_PHONE_RE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
# CCCD (12 digits), CMND (9 digits), other long digit runs that identify a person.
_ID_RE = re.compile(r"(?<![\d.])\d{9}(?:\d{3})?(?![\d.])")
# Dossier codes: ...H49-YYMMDD-NNNN (old and new national formats).
_DOSSIER_RE = re.compile(
    r"(?i)\b((?:[0-9a-z]{2,3}\.){0,3}H\d{2}(?:\.\d{1,3}){0,2})[\s\-]*(\d{6})[\s\-]*(\d{4,})\b"
)


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


def mask_text(text: str) -> str:
    """Masks every phone number, ID number and dossier code found in free text."""
    text = _DOSSIER_RE.sub(lambda m: mask_dossier_code(m.group(0)), text)
    text = _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)
    return _ID_RE.sub(lambda m: mask_id_number(m.group(0)), text)
