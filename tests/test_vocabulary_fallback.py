"""The vocabulary fallback: gibberish becomes nlu_fallback, real questions do not."""

from __future__ import annotations

from pathlib import Path

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.placeholders import DOSSIER_CODE, NUMBER
from bot.nlu.tokenizer import VietnameseTokenizer
from bot.nlu.unknown_words import is_unknown, is_unknown_words_fallback
from bot.nlu.vocabulary_fallback import VocabularyFallback


def test_is_unknown() -> None:
    vocab = {"khai", "sinh", "le", "phi"}
    assert is_unknown(["asdkjh", "qwpoe"], vocab)
    assert not is_unknown(["le", "phi", "xyz"], vocab)
    assert not is_unknown(["h49", "2510"], vocab)  # codes and numbers are not gibberish
    assert not is_unknown([NUMBER, DOSSIER_CODE], vocab)  # nor their placeholder words
    assert not is_unknown([], vocab)  # nothing to judge


def _messages(texts: list[str], intent: str | None = None) -> list[Message]:
    return [Message(data={TEXT: t, **({INTENT: intent} if intent else {})}) for t in texts]


def test_component_trains_persists_and_falls_back(tmp_path: Path) -> None:
    tokenizer = VietnameseTokenizer.create(
        VietnameseTokenizer.get_default_config(),
        None,
        None,
        None,  # type: ignore[arg-type]
    )
    training = TrainingData(_messages(["làm giấy khai sinh cần gì", "lệ phí bao nhiêu"], "ask"))
    tokenizer.process_training_data(training)
    storage = LocalModelStorage(tmp_path)
    resource = Resource("vocabulary_fallback")
    context = ExecutionContext(graph_schema=None, model_id="t")  # type: ignore[arg-type]
    VocabularyFallback.create({}, storage, resource, context).train(training)
    component = VocabularyFallback.load({}, storage, resource, context)

    # "oki" and "👌" are in no training example but are small-talk cues: known.
    messages = _messages(["asdkjh qwpoe zzxq", "lam giay khai sinh", "qwpoe", "oki", "👌"])
    for m in messages:
        m.set(INTENT, {"name": "ask", "confidence": 0.97})
    messages[2].set(ENTITIES, [{"entity": "dossier_code", "value": "X", "start": 0, "end": 5}])
    tokenizer.process(messages)
    component.process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == ["nlu_fallback", *["ask"] * 4]
    # Marked so that the action server can tell it from the FallbackClassifier's.
    assert [is_unknown_words_fallback(m.get(INTENT)) for m in messages] == [True, *[False] * 4]
    assert not is_unknown_words_fallback({"name": "nlu_fallback", "confidence": 0.45})

    # Read as out of scope by the classifier, gibberish stays out of scope.
    kept = _messages(["asdkjh qwpoe zzxq", "lol"])
    for m in kept:
        m.set(INTENT, {"name": "out_of_scope", "confidence": 0.9})
    tokenizer.process(kept)
    component.process(kept)
    assert [m.get(INTENT)["name"] for m in kept] == ["out_of_scope", "out_of_scope"]
    # ... unless the project keeps no intent.
    strict = VocabularyFallback.load({"keep": []}, storage, resource, context)
    strict.process(kept)
    assert [m.get(INTENT)["name"] for m in kept] == ["nlu_fallback", "nlu_fallback"]
