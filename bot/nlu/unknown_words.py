"""What makes a message one of unknown words, and how its fallback is marked.

:class:`bot.nlu.vocabulary_fallback.VocabularyFallback` turns a message none of whose
syllables the training data holds into ``nlu_fallback`` at full confidence; Rasa's
``FallbackClassifier`` gives its threshold instead (0.45 in ``config.yml``). The action
server tells the two apart by that confidence without loading Rasa's NLU
(:mod:`actions.follow_ups`: keyboard mashing is never a follow-up question).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.nlu.placeholders import PLACEHOLDERS

UNKNOWN_WORDS_CONFIDENCE = 1.0


def is_unknown(words: list[str], vocabulary: set[str]) -> bool:
    """True when there are words and none is known (numbers and codes count as known:
    the tokenizer's placeholders for them, and any word still holding a digit)."""
    if not words:
        return False
    return not any(
        w in vocabulary or w in PLACEHOLDERS or any(c.isdigit() for c in w) for w in words
    )


def is_unknown_words_fallback(intent: Mapping[str, Any]) -> bool:
    """True for the ``nlu_fallback`` that :class:`VocabularyFallback` predicts."""
    return (
        intent.get("name") == "nlu_fallback"
        and float(intent.get("confidence") or 0.0) >= UNKNOWN_WORDS_CONFIDENCE
    )
