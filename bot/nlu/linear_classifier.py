"""Intent classifier: a linear SVM on TF-IDF weighted sentence features, calibrated.

On our data (a few thousand short messages, 18 intents, sparse word and character
n-grams of the accent-folded text) a linear SVM is more accurate than DIET and trains in
seconds instead of a minute (measurements: ``docs/nlu.md``). The count features of the
featurizers are weighted first: ``1 + log(count)`` (a word said twice is not twice the
evidence) times the inverse document frequency (a word in every message says little),
the row scaled to unit length, or, with ``block_weights``, each featurizer's block of the
row on its own, times its weight (a message has a few word n-grams and dozens of
character n-grams: scaled together, the words weigh little). Dense sentence features (the
procedure-mention flag of :mod:`bot.nlu.mention_featurizer`) follow as they are: their
featurizer sets their scale.

An SVM's scores are not probabilities, and the ``FallbackClassifier`` threshold needs
confidences that mean something. They come from temperature scaling: scores of held-out
folds of the training data fix one temperature ``T`` so that ``softmax(score / T)``
matches how often the top intent is right. The trained state (IDF weights, the SVM's
weights, ``T``) is kept as plain arrays (``.npz``, no pickle).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.persisted import PersistedStateComponent
from bot.nlu.text import fold_words


@dataclass(frozen=True, kw_only=True)
class LinearModel:
    """Everything prediction needs: plain arrays."""

    classes: np.ndarray  # (k,) intent names
    idf: np.ndarray  # (n_features,)
    coef: np.ndarray  # (k, n_features)
    intercept: np.ndarray  # (k,)
    temperature: float
    interaction: float = 0.0  # see ``combine``
    blocks: np.ndarray | None = None  # see ``weight``
    block_weights: np.ndarray | None = None

    def probabilities(self, counts: sp.spmatrix, dense: np.ndarray | None = None) -> np.ndarray:
        """Calibrated probabilities ``(n, k)`` for raw count features ``(n, len(idf))`` and
        the dense features ``(n, rest)`` that follow them in ``coef``."""
        x = combine(counts, self.idf, dense, self.interaction, self.blocks, self.block_weights)
        scores = x @ self.coef.T + self.intercept
        return softmax(np.asarray(scores) / self.temperature)

    @property
    def n_dense(self) -> int:
        blocks = 2 if self.interaction else 1
        return int(self.coef.shape[1] - blocks * self.idf.shape[0])


def fit_idf(counts: sp.spmatrix) -> np.ndarray:
    """Smoothed inverse document frequency of each feature (as scikit-learn computes it)."""
    n = counts.shape[0]
    df = np.bincount(sp.csr_matrix(counts).indices, minlength=counts.shape[1])
    return np.log((1 + n) / (1 + df)) + 1.0


def weight(
    counts: sp.spmatrix,
    idf: np.ndarray,
    blocks: np.ndarray | None = None,
    block_weights: np.ndarray | None = None,
) -> sp.csr_matrix:
    """Sublinear TF × IDF, each row scaled to unit length.

    With ``blocks`` (the widths of consecutive column blocks, one per featurizer), each
    block of a row is scaled to unit length on its own, times its ``block_weights``.
    """
    x = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    np.log(x.data, out=x.data)
    x.data += 1.0
    x = x @ sp.diags(idf)
    if blocks is None:
        return _unit_rows(x)
    edges = np.concatenate([[0], np.cumsum(blocks)])
    weights = np.ones(len(blocks)) if block_weights is None else block_weights
    parts = [
        w * _unit_rows(x[:, int(a) : int(b)])
        for a, b, w in zip(edges[:-1], edges[1:], weights, strict=True)
    ]
    return sp.csr_matrix(sp.hstack(parts))


def _unit_rows(x: sp.spmatrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x)


def combine(
    counts: sp.spmatrix,
    idf: np.ndarray,
    dense: np.ndarray | None,
    interaction: float = 0.0,
    blocks: np.ndarray | None = None,
    block_weights: np.ndarray | None = None,
) -> sp.csr_matrix:
    """TF-IDF weighted counts, then the dense features as they are (already scaled).

    With ``interaction``, the weighted counts follow once more, times ``interaction``, in
    rows whose first dense feature is set (zeros elsewhere). A linear model then learns
    what an n-gram means when the message names a procedure apart from what it means
    when it does not: "ở đâu" after a procedure's name asks where to file it, after
    anything else it is out of scope.
    """
    x = weight(counts, idf, blocks, block_weights)
    if dense is None or dense.shape[1] == 0:
        return x
    parts = [x, sp.csr_matrix(dense)]
    if interaction:
        gate = np.where(dense[:, 0] != 0, interaction, 0.0)
        parts.append(sp.diags(gate) @ x)
    return sp.csr_matrix(sp.hstack(parts))


def softmax(scores: np.ndarray) -> np.ndarray:
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(scores: np.ndarray, labels: np.ndarray) -> float:
    """The temperature minimising the log-loss of ``softmax(scores / T)`` on held-out scores."""
    from scipy.optimize import minimize_scalar

    rows = np.arange(len(labels))

    def loss(t: float) -> float:
        p = softmax(scores / t)[rows, labels]
        return float(-np.mean(np.log(np.clip(p, 1e-12, None))))

    return float(minimize_scalar(loss, bounds=(0.01, 10.0), method="bounded").x)


def train_linear(
    counts: sp.spmatrix,
    intents: list[str],
    *,
    c: float,
    folds: int,
    seed: int,
    dense: np.ndarray | None = None,
    interaction: float = 0.0,
    groups: list[str] | None = None,
    blocks: np.ndarray | None = None,
    block_weights: np.ndarray | None = None,
) -> LinearModel:
    """Fit IDF, the SVM and its temperature on count (and dense) features and intents
    (``interaction``: see :func:`combine`). Examples of one group (the same sentence
    with and without accents) stay in one calibration fold: held out one, and trained
    on the other, its scores would look surer than a new message's."""
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict
    from sklearn.svm import LinearSVC

    classes, labels = np.unique(np.asarray(intents), return_inverse=True)
    idf = fit_idf(counts)
    if dense is None or dense.shape[1] == 0:
        interaction = 0.0  # nothing to gate on
    x = combine(counts, idf, dense, interaction, blocks, block_weights)
    if len(classes) == 1:  # nothing to choose between
        zeros = np.zeros((1, x.shape[1]))
        return LinearModel(
            classes=classes,
            idf=idf,
            coef=zeros,
            intercept=np.zeros(1),
            temperature=1.0,
            interaction=interaction,
            blocks=blocks,
            block_weights=block_weights,
        )
    svm = LinearSVC(C=c, random_state=seed)
    temperature = 1.0
    # Without groups every example is its own group.
    group_ids = np.unique(groups, return_inverse=True)[1] if groups else np.arange(len(labels))
    # Every training fold needs every class: no more folds than the rarest class has groups.
    smallest = min(len(set(group_ids[labels == k])) for k in range(len(classes)))
    if smallest >= 2:
        cv = StratifiedGroupKFold(n_splits=min(folds, smallest), shuffle=True, random_state=seed)
        held_out = _per_class(
            cross_val_predict(svm, x, labels, groups=group_ids, cv=cv, method="decision_function")
        )
        temperature = fit_temperature(held_out, labels)
    svm.fit(x, labels)
    coef, intercept = svm.coef_, svm.intercept_
    if len(classes) == 2:  # scikit-learn keeps one score (for the second class)
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    return LinearModel(
        classes=classes,
        idf=idf,
        coef=coef,
        intercept=intercept,
        temperature=temperature,
        interaction=interaction,
        blocks=blocks,
        block_weights=block_weights,
    )


def _per_class(scores: np.ndarray) -> np.ndarray:
    """Scores with one column per class (two classes come as one signed column)."""
    return np.column_stack([-scores, scores]) if scores.ndim == 1 else scores


def ranking(model: LinearModel, probabilities: np.ndarray, length: int) -> list[dict[str, Any]]:
    """Rasa's ``intent_ranking`` for one row of probabilities, best first."""
    order = np.argsort(-probabilities, kind="stable")[: length or None]
    return [
        {INTENT_NAME_KEY: str(model.classes[i]), PREDICTED_CONFIDENCE_KEY: float(probabilities[i])}
        for i in order
    ]


def sentence_counts(messages: list[Message], n_features: int | None = None) -> sp.csr_matrix:
    """The featurizers' sentence-level sparse features of ``messages``, one row each."""
    rows = []
    for message in messages:
        _, sentence = message.get_sparse_features(TEXT)
        if sentence is None:
            rows.append(sp.csr_matrix((1, n_features or 0)))
        else:
            rows.append(sp.csr_matrix(sentence.features))
    return sp.csr_matrix(sp.vstack(rows)) if rows else sp.csr_matrix((0, n_features or 0))


def _optional(data: Any, key: str) -> np.ndarray | None:
    """An array saved by ``write_state`` that may be absent (older models) or empty (None)."""
    return data[key] if key in data and data[key].size else None


def sparse_widths(messages: list[Message]) -> np.ndarray:
    """The width of each sparse featurizer's sentence features, in the order combined."""
    for message in messages:
        widths = [
            f.features.shape[1]
            for f in message.features
            if f.attribute == TEXT and f.is_sparse() and f.type == FEATURE_TYPE_SENTENCE
        ]
        if widths:
            return np.array(widths, dtype=np.int64)
    return np.zeros(0, dtype=np.int64)


def sentence_dense(messages: list[Message], n_features: int | None = None) -> np.ndarray:
    """The dense featurizers' sentence-level features of ``messages``, one row each (a
    message without them gets zeros, so a row never shifts the columns)."""
    rows = []
    for message in messages:
        _, sentence = message.get_dense_features(TEXT)
        rows.append(None if sentence is None else np.asarray(sentence.features).reshape(-1))
    if n_features is None:
        n_features = max((len(r) for r in rows if r is not None), default=0)
    filled = [np.zeros(n_features) if r is None else r for r in rows]
    return np.array(filled, dtype=np.float64).reshape(len(rows), n_features)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(PersistedStateComponent, IntentClassifier):
    """Linear SVM intent classifier over the sentence features, calibrated."""

    FILE = "linear_intents.npz"

    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "C": 1.0,
            "interaction": 0.0,
            "calibration_folds": 5,
            "random_seed": 2025,
            "ranking_length": 10,
            # Each featurizer's n-grams scaled to unit length on their own, times these
            # weights (one per sparse featurizer); empty: one scale for all of them.
            "block_weights": [],
        }

    def restore(self, state: LinearModel | None) -> None:
        self.model = state

    @staticmethod
    def read_state(path: Path) -> LinearModel:
        with np.load(path, allow_pickle=False) as data:
            return LinearModel(
                classes=data["classes"],
                idf=data["idf"],
                coef=data["coef"],
                intercept=data["intercept"],
                temperature=float(data["temperature"]),
                interaction=float(data["interaction"]),
                blocks=_optional(data, "blocks"),
                block_weights=_optional(data, "block_weights"),
            )

    @staticmethod
    def write_state(path: Path, state: LinearModel) -> None:
        # np.savez adds ".npz" to a name without it: write through an open file instead.
        with path.open("wb") as f:
            np.savez(
                f,
                classes=state.classes,
                idf=state.idf,
                coef=state.coef,
                intercept=state.intercept,
                temperature=np.float64(state.temperature),
                interaction=np.float64(state.interaction),
                # None is saved as an empty array (a model without blocks).
                blocks=np.zeros(0) if state.blocks is None else state.blocks,
                block_weights=np.zeros(0) if state.block_weights is None else state.block_weights,
            )

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        if not examples:
            return self._resource
        self.model = train_linear(
            sentence_counts(examples),
            [m.get(INTENT) for m in examples],
            c=float(self.config["C"]),
            folds=int(self.config["calibration_folds"]),
            seed=int(self.config["random_seed"]),
            dense=sentence_dense(examples),
            interaction=float(self.config["interaction"]),
            groups=[fold_words(m.get(TEXT)) for m in examples],
            **self._blocks(examples),
        )
        return self.persist(self.model)

    def _blocks(self, examples: list[Message]) -> dict[str, np.ndarray | None]:
        weights = [float(w) for w in self.config["block_weights"] or []]
        if not weights:
            return {"blocks": None, "block_weights": None}
        widths = sparse_widths(examples)
        if len(widths) != len(weights):
            raise ValueError(
                f"block_weights has {len(weights)} weights for {len(widths)} sparse featurizers"
            )
        return {"blocks": widths, "block_weights": np.array(weights)}

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None or not messages:
            return messages
        probabilities = self.model.probabilities(
            sentence_counts(messages, self.model.idf.shape[0]),
            sentence_dense(messages, self.model.n_dense),
        )
        for message, row in zip(messages, probabilities, strict=True):
            ranked = ranking(self.model, row, int(self.config["ranking_length"]))
            message.set(INTENT, ranked[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranked, add_to_output=True)
        return messages
