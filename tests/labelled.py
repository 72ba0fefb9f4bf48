"""Every labelled NLU example, training data and test split, for checks that word rules
leave everyday messages alone."""

from __future__ import annotations

from functools import cache

from rasa.shared.nlu.training_data.loading import load_data

from bot.settings import PROJECT_ROOT

LABELLED_DIRS = ("nlu_data/nlu", "tests/nlu")


@cache
def labelled_examples() -> tuple[tuple[str, str], ...]:
    """``(intent, text)`` of every example in ``LABELLED_DIRS``."""
    return tuple(
        (str(m.get("intent")), str(m.get("text")))
        for path in LABELLED_DIRS
        for m in load_data(str(PROJECT_ROOT / path)).intent_examples
    )
