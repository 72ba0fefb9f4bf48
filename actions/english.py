"""A message in English: "hello, do you speak english? my girlfriend is from Quang Ninh
and we want to register our marriage" (batch 107).

The assistant answers in Vietnamese only; its knowledge base and classifier are
Vietnamese. Rather than "việc này nằm ngoài phạm vi", a writer in English is told so in
English and Vietnamese, with the button to reach an official.
"""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_replies import BUTTONS_OFFICIAL
from bot.logs import get_logger

log = get_logger(__name__)

MSG_ENGLISH = (
    "Sorry, I can only answer in Vietnamese. To get help in English, please press «Gặp cán "
    "bộ» to reach an official, or visit the one-stop desk of your commune. (Xin lỗi, tôi chỉ "
    "hỗ trợ bằng tiếng Việt.)"
)

# Common English words; a message mostly of these, in plain ASCII, is English. Words that
# are also Vietnamese typed without marks ("an", "ban", "to", "do", "me") are left out.
# fmt: off
_ENGLISH = frozenset((
    "hello", "hi", "the", "is", "are", "you", "your", "speak", "english", "my", "we", "want",
    "what", "where", "how", "can", "i", "need", "from", "and", "our", "register", "marriage",
    "papers", "documents", "office", "book", "online", "please", "help", "with", "for",
    "of", "it", "this", "that", "there", "does", "which", "when", "wife", "husband",
    "girlfriend", "boyfriend", "visa", "passport", "country", "get", "have", "has", "would",
    "like", "know", "anyone", "somebody", "thanks", "thank", "am", "was", "be", "in", "at",
    "if", "or", "not", "no", "yes", "will", "should", "must", "who", "why", "about",
))
# fmt: on
_WORD = re.compile(r"[a-z']+")
MIN_WORDS = 4
MIN_SHARE = 0.6


def writes_in_english(text: str) -> bool:
    """True when ``text`` is written in English: plain ASCII, at least ``MIN_WORDS``
    words, most of them common English words (pure)."""
    if not text.isascii():
        return False
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return False
    return sum(w in _ENGLISH for w in words) / len(words) >= MIN_SHARE


def answer_in_english(dispatcher: CollectingDispatcher, text: str) -> bool:
    """Send :data:`MSG_ENGLISH` with the official button when ``text`` is English; True
    when it did."""
    if not writes_in_english(text):
        return False
    log.info("kb.english.answered")
    dispatcher.utter_message(text=MSG_ENGLISH, buttons=BUTTONS_OFFICIAL)
    return True
