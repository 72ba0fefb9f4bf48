"""Feature: how much of the message the in-scope training data never says.

"Lệ phí chuyển mạng giữ số là bao nhiêu", "thay ắc quy ô tô bao nhiêu tiền": an
out-of-scope question worded as an aspect question. Its aspect words ("lệ phí", "bao
nhiêu tiền") are strong n-grams of ``ask_fee``; what it asks about ("chuyển mạng giữ
số", "ắc quy") is in no in-scope example, and an n-gram never seen weighs nothing in a
linear model, so nothing speaks against the aspect. This featurizer adds that fact as one
dense sentence feature: the share of the message's syllables that no in-scope training
example (any intent but ``out_of_scope``) contains, times ``weight``.

On the training data itself every word has been seen, by the example that holds it. So a
training example is measured as if it had been left out: a syllable counts as seen only
when another in-scope example holds it (an example and its accent-stripped copy,
:mod:`bot.nlu.unaccented`, count as one). The classifier thus learns from in-scope
examples with rare words how much an unseen word means, as a new message will show it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.cue_featurizer import CUES, CueTable
from bot.nlu.dense import EachMessageFeaturizer, add_dense
from bot.nlu.persisted import PersistedStateComponent
from bot.nlu.placeholders import PLACEHOLDERS
from bot.nlu.text import fold_words, token_folds


def words(message: Message) -> list[str]:
    """The message's folded syllables that are words: letters, not a placeholder."""
    return [
        s
        for s in token_folds(message.get(TOKENS_NAMES[TEXT]) or [])
        if s.isalpha() and s not in PLACEHOLDERS
    ]


def unseen_share(
    message_words: list[str],
    counts: Mapping[str, int],
    own: Iterable[str] = (),
    smoothing: float = 0.0,
) -> float:
    """Share of ``message_words`` that no in-scope example holds; ``counts``: in how many
    in-scope examples each syllable occurs; ``own``: the syllables of the message's own
    example, discounted once (the message is a training example, measured as if left
    out). 0.0 for a message without words."""
    if not message_words:
        return 0.0
    own = set(own)
    unseen = sum(1 for w in message_words if counts.get(w, 0) - (w in own) <= 0)
    return unseen / (len(message_words) + smoothing)


def in_scope(example: Message, excluded: set[str]) -> bool:
    """Whether ``example`` is a training example of an intent not in ``excluded``."""
    intent = example.get(INTENT)
    return bool(intent) and isinstance(example.get(TEXT), str) and intent not in excluded


def example_groups(examples: Iterable[Message], excluded: Iterable[str]) -> dict[str, set[str]]:
    """The syllables of each in-scope example, by its accent-folded words (an example and
    its stripped copy are one group)."""
    excluded = set(excluded)
    groups: dict[str, set[str]] = defaultdict(set)
    for example in examples:
        if in_scope(example, excluded):
            groups[fold_words(example.get(TEXT))].update(words(example))
    return groups


def document_counts(groups: Mapping[str, set[str]], known: Iterable[str] = ()) -> dict[str, int]:
    """In how many groups (in-scope examples) each syllable occurs; each of ``known``
    once more (words the model has evidence for without an example)."""
    counts: Counter[str] = Counter()
    for group in groups.values():
        counts.update(group)
    counts.update(set(known))
    return dict(counts)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class UnseenWordsFeaturizer(EachMessageFeaturizer, PersistedStateComponent):
    """One dense sentence feature: the share of the message no in-scope example says."""

    FILE = "unseen_words.json"

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"weight": 0.5, "smoothing": 0.0, "excluded_intents": ["out_of_scope"]}

    def restore(self, state: dict[str, int] | None) -> None:
        self.counts: Mapping[str, int] = state or {}

    def train(self, training_data: TrainingData) -> Resource:
        groups = example_groups(training_data.training_examples, self.config["excluded_intents"])
        # The small-talk cues: "yes", "nah" are rare in the data, known to the cue features.
        self.counts = document_counts(groups, CueTable(CUES).vocabulary())
        return self.persist(self.counts)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Unlike a new message, a training example discounts its own syllables.
        excluded = set(self.config["excluded_intents"])
        groups = example_groups(training_data.training_examples, excluded)
        for example in training_data.training_examples:
            text = example.get(TEXT)
            if not isinstance(text, str):
                continue
            own = groups.get(fold_words(text), set()) if in_scope(example, excluded) else set()
            self._add(example, own)
        return training_data

    def _featurize(self, message: Message) -> None:
        if isinstance(message.get(TEXT), str):
            self._add(message, set())

    def _add(self, message: Message, own: set[str]) -> None:
        share = unseen_share(words(message), self.counts, own, float(self.config["smoothing"]))
        tokens = len(message.get(TOKENS_NAMES[TEXT]) or [])
        sentence = np.array([[float(self.config["weight"]) * share]])
        add_dense(message, np.zeros((tokens, 1)), sentence, type(self).__name__)
