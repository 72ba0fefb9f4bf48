"""Complaints about the bot itself: "bot ngu thế, hỏi mãi ko hiểu", "trả lời vòng vo quá".

They read as out of scope, and the usual reply (what the bot can do) would only repeat
itself to someone already annoyed. The bot apologises instead and offers an official
(``utter_sorry_offer_official``, with a button that asks for one).
"""

from __future__ import annotations

import re

from bot.nlu.text import fold_words

# Accent-folded. "ngu" alone is also "ngủ" ("bot có ngủ không", "giấy xuất ngũ ko"): only
# beside a word that makes it an insult. "chán quá" alone is boredom, and small talk.
# fmt: off
_PHRASES = (
    "bot ngu", "may ngu", "ngu the", "ngu qua", "ngu vay", "ngu vl", "ngu vcl", "ngu nhu",
    "do hoi", "vo dung", "vo dug", "vo tich su", "vong vo", "tra loi lung tung",
    "noi lung tung", "tra loi linh tinh", "noi linh tinh", "tra loi sai", "noi sai",
    "hoi mai", "noi mai", "ko hieu gi", "khong hieu gi", "k hieu gi", "chang hieu gi",
    "ko hieu y", "khong hieu y", "thoi chan", "bot kem", "tra loi nhu khong",
    "chang giup duoc gi", "ko giup duoc gi", "khong giup duoc gi", "khong tra loi duoc",
    "ko tra loi duoc", "k tra loi duoc", "ko tra loi dc", "k tra loi dc",
)
# fmt: on
_COMPLAINT = re.compile(r"\b(?:" + "|".join(map(re.escape, _PHRASES)) + r")\b")


def is_complaint(text: str) -> bool:
    """True when ``text`` complains about the bot's answers ("bot ngu thế", "trả lời vòng
    vo quá", "hỏi mãi ko hiểu gì"), not about something else ("mất ngủ")."""
    return bool(_COMPLAINT.search(fold_words(text)))
