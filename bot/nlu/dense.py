"""What the dense featurizers of this pipeline share: one message at a time, one sentence row."""

from __future__ import annotations

import numpy as np
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


def add_dense(message: Message, sequence: np.ndarray, sentence: np.ndarray, origin: str) -> None:
    """Attach a featurizer's sequence features (one row per token) and its sentence row."""
    message.add_features(Features(sequence, FEATURE_TYPE_SEQUENCE, TEXT, origin))
    message.add_features(Features(sentence, FEATURE_TYPE_SENTENCE, TEXT, origin))


class EachMessageFeaturizer:
    """Mixin: ``process`` and ``process_training_data`` call ``_featurize`` on each message."""

    def _featurize(self, message: Message) -> None:
        raise NotImplementedError

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._featurize(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._featurize(message)
        return messages
