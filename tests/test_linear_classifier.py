"""The linear intent classifier: its weighting, its calibration, and the Rasa component."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfTransformer

from bot.nlu.linear_classifier import (
    LinearIntentClassifier,
    fit_idf,
    fit_temperature,
    sentence_dense,
    softmax,
    sparse_widths,
    train_linear,
    weight,
)
from bot.nlu.tokenizer import VietnameseTokenizer


def test_weighting_is_scikit_learns_sublinear_tfidf() -> None:
    rng = np.random.default_rng(0)
    counts = sp.csr_matrix(rng.poisson(0.4, size=(40, 25)).astype(np.int64))
    ours = weight(counts, fit_idf(counts))
    theirs = TfidfTransformer(sublinear_tf=True).fit(counts).transform(counts)
    assert np.allclose(ours.toarray(), theirs.toarray())
    # An empty row (a message with no known feature) stays zero, not NaN.
    assert not np.isnan(weight(sp.csr_matrix((1, 25)), fit_idf(counts)).toarray()).any()


def test_blocks_are_scaled_each_on_its_own() -> None:
    # Two words and eight character n-grams: scaled together, the n-grams have twice the
    # words' length; scaled as blocks, each block has the length of its weight.
    counts = sp.csr_matrix([[1, 1] + [1] * 8, [0, 1] + [0, 1] * 4, [1, 0] + [1, 0] * 4])
    idf = fit_idf(counts)
    together = weight(counts, idf).toarray()
    assert np.isclose(np.linalg.norm(together[0, 2:]), 2 * np.linalg.norm(together[0, :2]))
    blocks = weight(counts, idf, np.array([2, 8]), np.array([0.6, 0.8])).toarray()
    assert np.allclose(np.linalg.norm(blocks[:, :2], axis=1), 0.6)
    assert np.allclose(np.linalg.norm(blocks[:, 2:], axis=1), 0.8)
    # Within a block the weighting is the same TF-IDF, only the scale differs.
    alone = weight(counts[:, :2], idf[:2]).toarray()
    assert np.allclose(blocks[:, :2], 0.6 * alone)
    # One block is the whole row, scaled to its weight.
    one = weight(counts, idf, np.array([10]), np.array([0.5])).toarray()
    assert np.allclose(one, 0.5 * together)
    # A message with nothing in a block keeps zeros there, not NaN.
    empty = weight(sp.csr_matrix([[1, 0] + [0] * 8]), idf, np.array([2, 8]), np.array([1, 1]))
    assert np.allclose(empty.toarray(), [[1.0] + [0.0] * 9])


def test_temperature_makes_confident_scores_mean_what_they_say() -> None:
    labels = np.array([0, 1] * 50)
    # Scores that always rank the right class first by a wide margin: sharpen (T < 1).
    sure = np.column_stack([np.where(labels == 0, 1.0, -1.0), np.where(labels == 1, 1.0, -1.0)])
    assert fit_temperature(sure, labels) < 0.5
    # Scores that are right only half the time: soften until they say "don't know".
    coin = np.column_stack([np.ones(100), -np.ones(100)])
    t = fit_temperature(coin, labels)
    assert softmax(coin / t)[0].max() < 0.6


def test_train_linear_separates_intents_and_ranks_them() -> None:
    # Feature 0 = "fee" words, feature 1 = "where" words, feature 2 = noise in both.
    rows = [[2, 0, 1]] * 10 + [[1, 0, 0]] * 10 + [[0, 2, 1]] * 10 + [[0, 1, 0]] * 10
    intents = ["ask_fee"] * 20 + ["ask_location"] * 20
    model = train_linear(sp.csr_matrix(rows), intents, c=1.0, folds=5, seed=1)
    p = model.probabilities(sp.csr_matrix([[3, 0, 0], [0, 1, 1], [0, 0, 1]]))
    assert list(model.classes[p.argmax(axis=1)][:2]) == ["ask_fee", "ask_location"]
    assert np.allclose(p.sum(axis=1), 1.0)
    assert p[0].max() > 0.8 and p[2].max() < p[0].max()  # noise alone: less sure


def test_dense_features_decide_what_the_counts_cannot() -> None:
    # The same words ("where"), told apart only by the dense feature ("names a procedure").
    counts = sp.csr_matrix([[0, 1, 1]] * 20 + [[1, 1, 0]] * 20)
    named = np.array([[0.5]] * 10 + [[0.0]] * 10 + [[0.5]] * 10 + [[0.0]] * 10)
    intents = (["ask_location"] * 10 + ["out_of_scope"] * 10) * 2
    model = train_linear(counts, intents, c=1.0, folds=5, seed=1, dense=named)
    assert model.n_dense == 1
    p = model.probabilities(sp.csr_matrix([[0, 1, 1], [0, 1, 1]]), np.array([[0.5], [0.0]]))
    assert list(model.classes[p.argmax(axis=1)]) == ["ask_location", "out_of_scope"]
    # Without dense features the counts alone cannot choose: a coin toss.
    plain = train_linear(counts, intents, c=1.0, folds=5, seed=1)
    assert plain.n_dense == 0
    assert plain.probabilities(sp.csr_matrix([[0, 1, 1]])).max() < 0.6


# Two words, each in 20 messages; half of each word's messages name a procedure.
TWO_WORDS = sp.csr_matrix([[1, 0]] * 20 + [[0, 1]] * 20)
HALF_NAMED = np.array(([[0.5]] * 10 + [[0.0]] * 10) * 2)


def test_interaction_lets_a_word_mean_one_thing_with_a_procedure_and_another_without() -> None:
    # Word 0 asks about a procedure only when one is named; word 1 only when none is
    # (an XOR of word and flag): one weight per word plus one for the flag cannot fit it.
    counts, named = TWO_WORDS, HALF_NAMED
    intents = (["ask_location"] * 10 + ["out_of_scope"] * 10) + (
        ["out_of_scope"] * 10 + ["ask_location"] * 10
    )
    probe = sp.csr_matrix([[1, 0], [1, 0], [0, 1], [0, 1]]), np.array([[0.5], [0], [0.5], [0]])
    expected = ["ask_location", "out_of_scope", "out_of_scope", "ask_location"]

    gated = train_linear(counts, intents, c=1.0, folds=5, seed=1, dense=named, interaction=1.0)
    assert gated.n_dense == 1
    assert list(gated.classes[gated.probabilities(*probe).argmax(axis=1)]) == expected
    additive = train_linear(counts, intents, c=1.0, folds=5, seed=1, dense=named)
    assert list(additive.classes[additive.probabilities(*probe).argmax(axis=1)]) != expected


def test_saved_state_keeps_the_interaction(tmp_path: Path) -> None:
    counts, named = TWO_WORDS, HALF_NAMED
    intents = ["ask_location"] * 10 + ["out_of_scope"] * 20 + ["ask_location"] * 10
    model = train_linear(counts, intents, c=1.0, folds=5, seed=1, dense=named, interaction=0.7)
    LinearIntentClassifier.write_state(tmp_path / "m.npz", model)
    loaded = LinearIntentClassifier.read_state(tmp_path / "m.npz")
    assert loaded.interaction == 0.7 and loaded.n_dense == 1
    probe = sp.csr_matrix([[1, 0], [0, 1]]), np.array([[0.5], [0.0]])
    assert np.allclose(loaded.probabilities(*probe), model.probabilities(*probe))


def test_saved_state_keeps_the_blocks(tmp_path: Path) -> None:
    counts = sp.csr_matrix([[2, 0, 1, 1], [0, 1, 0, 1]] * 10)
    intents = ["ask_fee", "ask_location"] * 10
    model = train_linear(
        counts,
        intents,
        c=1.0,
        folds=5,
        seed=1,
        blocks=np.array([2, 2]),
        block_weights=np.array([0.6, 0.8]),
    )
    LinearIntentClassifier.write_state(tmp_path / "m.npz", model)
    loaded = LinearIntentClassifier.read_state(tmp_path / "m.npz")
    assert loaded.blocks.tolist() == [2, 2] and loaded.block_weights.tolist() == [0.6, 0.8]
    probe = sp.csr_matrix([[1, 0, 0, 1], [0, 1, 1, 0]])
    assert np.allclose(loaded.probabilities(probe), model.probabilities(probe))
    # A model saved without blocks loads as one.
    plain = train_linear(counts, intents, c=1.0, folds=5, seed=1)
    LinearIntentClassifier.write_state(tmp_path / "p.npz", plain)
    assert LinearIntentClassifier.read_state(tmp_path / "p.npz").blocks is None


def test_a_single_intent_is_always_predicted() -> None:
    model = train_linear(sp.csr_matrix([[1, 0], [0, 1]]), ["greet", "greet"], c=1, folds=5, seed=1)
    assert model.probabilities(sp.csr_matrix([[0, 0]])).tolist() == [[1.0]]


@pytest.fixture
def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def test_component_trains_persists_loads_and_predicts(
    tmp_path: Path, context: ExecutionContext
) -> None:
    storage = LocalModelStorage(tmp_path)
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    cvf_config = {**CountVectorsFeaturizer.get_default_config(), "use_lemma": True}
    featurizer = CountVectorsFeaturizer.create(cvf_config, storage, Resource("cvf"), context)
    char_config = {**cvf_config, "analyzer": "char_wb", "min_ngram": 2, "max_ngram": 4}
    chars = CountVectorsFeaturizer.create(char_config, storage, Resource("chars"), context)
    texts = {
        "ask_fee": [
            "lệ phí bao nhiêu",
            "mất bao nhiêu tiền",
            "phí làm hết bao nhiêu",
            "tốn tiền ko",
        ],
        "ask_location": ["nộp ở đâu", "làm ở đâu vậy", "đến chỗ nào nộp", "ở đâu làm được"],
        "greet": ["xin chào", "chào ad", "chào bạn nhé", "alo xin chào"],
    }
    train = [Message(data={TEXT: t, INTENT: i}) for i, ts in texts.items() for t in ts]
    data = TrainingData(training_examples=train)
    tokenizer.process_training_data(data)
    for component in (featurizer, chars):
        component.train(data)
        component.process_training_data(data)
    assert sparse_widths(train).tolist() == [
        len(featurizer.vectorizers[TEXT].vocabulary_),
        len(chars.vectorizers[TEXT].vocabulary_),
    ]
    config = {"block_weights": [0.7, 0.7]}
    resource = Resource("linear")
    LinearIntentClassifier.create(config, storage, resource, context).train(data)
    with pytest.raises(ValueError, match="1 weights for 2 sparse featurizers"):
        LinearIntentClassifier.create({"block_weights": [1]}, storage, resource, context).train(
            data
        )

    loaded = LinearIntentClassifier.load(config, storage, resource, context)
    assert loaded.model.blocks.tolist() == sparse_widths(train).tolist()
    messages = [Message(data={TEXT: t}) for t in ("le phi bao nhieu vay", "nop o dau", "chao")]
    tokenizer.process(messages)
    featurizer.process(messages)
    chars.process(messages)
    loaded.process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == ["ask_fee", "ask_location", "greet"]
    ranking = messages[0].get(INTENT_RANKING_KEY)
    assert ranking[0]["name"] == "ask_fee" and len(ranking) == 3
    assert ranking[0]["confidence"] >= ranking[1]["confidence"] >= ranking[2]["confidence"]


def test_sentence_dense_rows_line_up_with_or_without_features() -> None:
    with_flag = Message(data={TEXT: "làm khai sinh ở đâu"})
    with_flag.add_features(
        Features(np.array([[0.5]]), FEATURE_TYPE_SENTENCE, TEXT, "ProcedureMentionFeaturizer")
    )
    without = Message(data={TEXT: "xin chào"})
    assert sentence_dense([with_flag, without]).tolist() == [[0.5], [0.0]]
    assert sentence_dense([without], 1).tolist() == [[0.0]]
    assert sentence_dense([]).shape == (0, 0)
