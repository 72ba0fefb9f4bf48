"""A message read as out of scope or unclear, right after a procedure answer, taken as a
follow-up on that procedure.

The classifier sees one message at a time. "cấp ở đâu" or "ở Cẩm Phả thì làm đâu" name
no procedure, and on their own they read like everyday questions; right after the bot
answered about căn cước, they ask where to apply for it. So a message is answered as an
aspect of the procedure just discussed when:

- the bot's turn before it answered a procedure question (not a "which one?" question);
- the classifier read it as ``out_of_scope`` or fell back, but not because every word is
  unknown (:mod:`bot.nlu.unknown_words`: keyboard mashing is no question);
- it names no procedure and has at most ``MAX_WORDS`` words: a long message carries its
  own subject ("mở ví momo thì cần những gì ạ");
- the classifier's best aspect intent has at least ``THRESHOLD``.

``THRESHOLD`` and ``MAX_WORDS`` were chosen on the held-out predictions of 5-fold
cross-validation (``docs/nlu.md``, "Follow-ups the classifier reads as out of scope").
Like Rasa's two-stage fallback it second-guesses an unsure reading, but from the
conversation rather than by asking: the answer's first line names the procedure and the
aspect, so a wrong guess is plain to see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.kb import ASPECTS
from bot.nlu.text import fold_words
from bot.nlu.unknown_words import is_unknown_words_fallback

THRESHOLD = 0.3
MAX_WORDS = 7
MISREAD = frozenset({"out_of_scope", "nlu_fallback"})


def follow_up_aspect(message: Mapping[str, Any]) -> str | None:
    """The aspect a misread follow-up asks about, from the parsed ``message`` (Rasa's
    ``latest_message``: text, intent, intent_ranking, entities); None when the message is
    not one (pure: the caller checks that the bot has just answered)."""
    intent = message.get("intent") or {}
    if intent.get("name") not in MISREAD or is_unknown_words_fallback(intent):
        return None
    if any(e.get("entity") == "procedure" for e in message.get("entities") or []):
        return None
    words = fold_words(str(message.get("text") or "")).split()
    if not words or len(words) > MAX_WORDS:
        return None
    for ranked in message.get("intent_ranking") or []:
        if ranked.get("name") in ASPECTS:
            confidence = float(ranked.get("confidence") or 0.0)
            return str(ranked["name"]) if confidence >= THRESHOLD else None
    return None
