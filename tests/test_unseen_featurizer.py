"""The share of a message that no in-scope training example says (unseen_featurizer.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.tokenizer import VietnameseTokenizer
from bot.nlu.unaccented import unaccented_copies
from bot.nlu.unseen_featurizer import (
    UnseenWordsFeaturizer,
    document_counts,
    example_groups,
    unseen_share,
)


def test_share_of_words_no_example_holds() -> None:
    counts = {"le": 3, "phi": 3, "bao": 5, "nhieu": 5}
    assert unseen_share(["le", "phi", "bao", "nhieu"], counts) == 0.0
    assert unseen_share(["chuyen", "mang", "bao", "nhieu"], counts) == 0.5
    assert unseen_share([], counts) == 0.0


def test_a_training_example_is_measured_as_if_left_out() -> None:
    counts = {"khai": 1, "sinh": 1, "lam": 2}
    # "khai sinh" occurs only in the example itself: unseen once it is left out.
    assert unseen_share(["lam", "khai", "sinh"], counts, own={"lam", "khai", "sinh"}) == 2 / 3
    assert unseen_share(["lam", "khai", "sinh"], counts) == 0.0


def test_smoothing_weighs_one_unseen_word_of_a_short_message_less() -> None:
    assert unseen_share(["lun"], {}, smoothing=2.0) == pytest.approx(1 / 3)
    assert unseen_share(["lun"], {}) == 1.0


def _tokenized(*examples: tuple[str, str]) -> list[Message]:
    messages = [Message(data={TEXT: text, INTENT: intent}) for text, intent in examples]
    VietnameseTokenizer(VietnameseTokenizer.get_default_config()).process(messages)
    return messages


def test_out_of_scope_words_are_not_in_scope_vocabulary() -> None:
    examples = _tokenized(
        ("lệ phí khai sinh bao nhiêu", "ask_fee"),
        ("chuyển mạng giữ số bao nhiêu", "out_of_scope"),
    )
    counts = document_counts(example_groups(examples, ["out_of_scope"]))
    assert counts["bao"] == 1 and counts["khai"] == 1
    assert "mang" not in counts and "chuyen" not in counts


def test_an_example_and_its_stripped_copy_are_one_example() -> None:
    examples = _tokenized(("làm khai sinh cần gì", "ask_documents"))
    examples += _tokenized(*((c.get(TEXT), c.get(INTENT)) for c in unaccented_copies(examples)))
    assert [m.get(TEXT) for m in examples] == ["làm khai sinh cần gì", "lam khai sinh can gi"]
    groups = example_groups(examples, ["out_of_scope"])
    assert len(groups) == 1
    assert document_counts(groups)["khai"] == 1


def _share(message: Message) -> float:
    [feature] = [
        f
        for f in message.features
        if f.origin == "UnseenWordsFeaturizer" and f.type == FEATURE_TYPE_SENTENCE
    ]
    return float(feature.features[0, 0])


def test_component_trains_persists_loads_and_features(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("unseen")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {"weight": 0.5}
    train = _tokenized(
        ("lệ phí khai sinh bao nhiêu", "ask_fee"),
        ("lệ phí tạm trú bao nhiêu", "ask_fee"),
        ("thay ắc quy bao nhiêu tiền", "out_of_scope"),
    )
    data = TrainingData(training_examples=train)
    UnseenWordsFeaturizer.create(config, storage, resource, context).train(data)
    loaded = UnseenWordsFeaturizer.load(config, storage, resource, context)

    loaded.process_training_data(data)
    # Left out, the first example's "khai sinh" is in no other in-scope example: 2 of 6.
    assert _share(train[0]) == pytest.approx(0.5 * 2 / 6)
    # An out-of-scope example is measured against the in-scope examples as they are.
    assert _share(train[2]) == pytest.approx(0.5 * 4 / 6)

    [new, small_talk] = _tokenized(("lệ phí chuyển mạng bao nhiêu", ""), ("yes", ""))
    loaded.process([new, small_talk])
    assert _share(new) == pytest.approx(0.5 * 2 / 6)
    # A small-talk cue counts as known though no example holds it.
    assert _share(small_talk) == 0.0
