"""The procedure-mention featurizer: one dense feature, from the model's alias table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.mention_featurizer import ProcedureMentionFeaturizer, mention_features
from bot.nlu.tokenizer import VietnameseTokenizer
from bot.settings import PROJECT_ROOT

KB_DIR = PROJECT_ROOT / "nlu_data" / "procedures"


def test_mention_features_shapes_and_values() -> None:
    sequence, sentence = mention_features(True, 4, 0.5)
    assert sequence.shape == (4, 1) and not sequence.any()
    assert sentence.tolist() == [[0.5]]
    assert mention_features(False, 2, 0.5)[1].tolist() == [[0.0]]


@pytest.fixture
def trained(tmp_path: Path) -> tuple[LocalModelStorage, Resource, dict]:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("mentions")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**ProcedureMentionFeaturizer.get_default_config(), "kb_dir": str(KB_DIR)}
    featurizer = ProcedureMentionFeaturizer.create(config, storage, resource, context)
    example = Message(
        data={
            TEXT: "hỏi về cái giấy mừng cưới",
            INTENT: "ask_procedure",
            ENTITIES: [{"entity": "procedure", "start": 10, "end": 25, "value": "ket_hon"}],
        }
    )
    data = TrainingData(training_examples=[example])
    VietnameseTokenizer(VietnameseTokenizer.get_default_config()).process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    # The training example gets its feature too (the classifier learns from it).
    _, sentence = example.get_dense_features(TEXT)
    assert sentence is not None and sentence.features.tolist() == [[0.5]]
    return storage, resource, config


def _named(featurizer: ProcedureMentionFeaturizer, text: str) -> float:
    message = Message(data={TEXT: text})
    VietnameseTokenizer(VietnameseTokenizer.get_default_config()).process([message])
    featurizer.process([message])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence.features.shape == (len(message.get(TOKENS_NAMES[TEXT])), 1)
    return float(np.asarray(sentence.features)[0, 0])


def test_loaded_featurizer_marks_messages_naming_a_procedure(trained) -> None:
    storage, resource, config = trained
    context = ExecutionContext(GraphSchema({}), "test")
    loaded = ProcedureMentionFeaturizer.load(config, storage, resource, context)
    assert _named(loaded, "lam giay khai sinh o dau") == 0.5
    assert _named(loaded, "giấy mừng cưới nộp ở đâu") == 0.5  # learnt from the annotation
    assert _named(loaded, "đổi tiền nhân dân tệ ở đâu") == 0.0
    assert _named(loaded, "còn lệ phí?") == 0.0
    # A name two procedures share is still a procedure name (the dialogue offers both).
    assert _named(loaded, "chung thuc") == 0.5
    # Trade is not the "nhập khẩu" of thường trú (a not-alias of the knowledge base).
    assert _named(loaded, "thuế xuất nhập khẩu nộp ở đâu") == 0.0


def test_a_model_without_its_table_names_nothing(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    config = ProcedureMentionFeaturizer.get_default_config()
    resource = Resource("empty")
    with storage.write_to(resource) as directory:
        (Path(directory) / ProcedureMentionFeaturizer.FILE).write_text("{not json")
    loaded = ProcedureMentionFeaturizer.load(config, storage, resource, context)
    assert _named(loaded, "làm khai sinh ở đâu") == 0.0
