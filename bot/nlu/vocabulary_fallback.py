"""Fallback for messages made only of words the model has never seen.

An intent classifier always picks some intent, and for keyboard mashing ("asdkjh qwpoe")
it often picks one with high confidence, so a confidence threshold alone does not catch it. This
component remembers the accent-folded syllables of the training data; a message none of
whose syllables is known, and in which no entity was found, becomes ``nlu_fallback`` (the
bot then says what it can do, and the miss is logged for editors). Syllables with digits
count as known: they are codes, dates or numbers, not gibberish (the tokenizer gives most
of them a placeholder word, :mod:`bot.nlu.placeholders`, which counts as known too).

A message the classifier already reads as one of ``keep`` (``out_of_scope``) keeps it:
"asdfghjkl", "lol", "🙄" are things the assistant does not cover, the answer says what it
does, and the fallback is there to stop a confidently wrong *in-scope* answer. On
cross-validation of the training data, 14 of the 23 messages this component turned into
``nlu_fallback`` were out_of_scope and read so by the classifier (docs/nlu.md).

The small-talk cues of :mod:`bot.nlu.cue_featurizer` count as known: "oki" or "👌" in
no training example is no gibberish, and the classifier has evidence for it.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.cue_featurizer import CUES, CueTable
from bot.nlu.persisted import PersistedStateComponent
from bot.nlu.text import token_folds
from bot.nlu.unknown_words import UNKNOWN_WORDS_CONFIDENCE, is_unknown


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class VocabularyFallback(PersistedStateComponent):
    """Predicts ``nlu_fallback`` for messages with no known word and no entity, unless the
    classifier's intent is one of ``keep``."""

    FILE = "vocabulary.json"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"keep": ["out_of_scope"]}

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    def restore(self, state: list[str] | None) -> None:
        self.vocabulary = set(state or ())

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary = CueTable(CUES).vocabulary()
        for example in training_data.training_examples:
            vocabulary.update(token_folds(example.get(TOKENS_NAMES[TEXT]) or []))
        self.vocabulary = vocabulary
        return self.persist(sorted(vocabulary))

    def process(self, messages: list[Message]) -> list[Message]:
        keep = set(self.config["keep"])
        for message in messages:
            if message.get(ENTITIES) or (message.get(INTENT) or {}).get(INTENT_NAME_KEY) in keep:
                continue
            if not is_unknown(token_folds(message.get(TOKENS_NAMES[TEXT]) or []), self.vocabulary):
                continue
            fallback = {
                INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                PREDICTED_CONFIDENCE_KEY: UNKNOWN_WORDS_CONFIDENCE,
            }
            message.data[INTENT] = fallback
            message.data.setdefault(INTENT_RANKING_KEY, [])
            message.data[INTENT_RANKING_KEY].insert(0, dict(fallback))
        return messages
