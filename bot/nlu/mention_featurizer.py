"""Feature: does the message name a procedure of the knowledge base?

Out-of-scope questions are worded like procedure questions: "đổi tiền ở đâu", "vay tín
chấp cần mang gì", "lắp internet mất mấy ngày". Their strongest n-grams ("ở đâu", "cần
mang gì", "mất mấy ngày") belong to the aspect intents, and a linear model over n-grams
cannot weigh "asks where" differently when nothing it asks about is a procedure. This
featurizer adds that fact as one dense sentence feature: ``weight`` when the alias table
(:mod:`bot.nlu.alias_table`) finds a procedure in the message, or a name several share
("chứng thực", which the dialogue asks about with buttons), else 0.
Follow-ups without a name ("còn lệ phí?") stay aspect questions: the training data
teaches them, short, without the feature. On 5-fold cross-validation of the training
data it removed 15 % of intent errors, most of them out-of-scope questions read as
aspect questions (``docs/nlu.md``).

The classifier (:mod:`bot.nlu.linear_classifier`) appends dense features as they are,
after TF-IDF weighting of the counts, so ``weight`` is their scale beside a unit-length
row of n-grams.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.alias_table import AliasTableComponent
from bot.nlu.dense import EachMessageFeaturizer, add_dense


def mention_features(named: bool, tokens: int, weight: float) -> tuple[np.ndarray, np.ndarray]:
    """Sequence features (zeros, one row per token) and the sentence feature."""
    return np.zeros((tokens, 1)), np.array([[weight if named else 0.0]])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class ProcedureMentionFeaturizer(EachMessageFeaturizer, AliasTableComponent):
    """One dense sentence feature: the message names a knowledge-base procedure."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**AliasTableComponent.get_default_config(), "weight": 0.5}

    def _featurize(self, message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str):
            return
        sequence, sentence = mention_features(
            bool(text) and self.names_any(text),
            len(message.get(TOKENS_NAMES[TEXT]) or []),
            float(self.config["weight"]),
        )
        add_dense(message, sequence, sentence, type(self).__name__)
