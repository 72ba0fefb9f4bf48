"""Every training sentence typed with diacritics is learnt once more typed without them.

The features come from the accent-folded view, so most sentences look the same either way.
Not all: some words are mapped only when their accents say which word they are ("mần
răng" is "làm sao", "man rang" could be several words), and underthesea segments text
without diacritics differently, which changes which words stand alone. A third of the
training data is typed without diacritics, but not the same sentences; a copy of each
accented sentence, stripped, teaches the classifier both forms of every one of them.
Chosen on 5-fold cross-validation of the training data (``docs/nlu.md``).

The copies exist only in the training graph: prediction passes messages through
untouched.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.configured import ConfiguredComponent
from bot.nlu.text import fold


def unaccented_copies(examples: Iterable[Message]) -> list[Message]:
    """Accent-stripped copies (``fold``) of the intent examples that have diacritics.

    A copy keeps the intent and the entity annotations (``fold`` keeps one character per
    character, so the offsets hold). A stripped text the data already has, under any
    intent, is not added again: the example written that way decides.
    """
    examples = [m for m in examples if m.get(TEXT) and m.get(INTENT)]
    seen = {m.get(TEXT) for m in examples}
    copies = []
    for example in examples:
        text = example.get(TEXT)
        bare = fold(text)
        if bare == text.lower() or bare in seen:
            continue
        seen.add(bare)
        entities = [dict(e) for e in example.get(ENTITIES) or []]
        data: dict[str, Any] = {TEXT: bare, INTENT: example.get(INTENT)}
        if entities:
            data[ENTITIES] = entities
        copies.append(Message(data=data))
    return copies


# Registered as a tokenizer so that the recipe runs it over the training data before the
# real tokenizer (the recipe only chains tokenizers and featurizers); it is not a
# ``Tokenizer`` subclass and adds no tokens.
@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class UnaccentedCopies(ConfiguredComponent):
    """Adds :func:`unaccented_copies` of the training examples to the training data."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        copies = unaccented_copies(training_data.intent_examples)
        if not copies:
            return training_data
        return training_data.merge(TrainingData(training_examples=copies))

    def process(self, messages: list[Message]) -> list[Message]:
        return messages
