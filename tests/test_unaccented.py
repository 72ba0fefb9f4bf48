"""Training sentences typed with diacritics are also learnt typed without them."""

from __future__ import annotations

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.unaccented import UnaccentedCopies, unaccented_copies


def _example(text: str, intent: str | None, entities: list[dict] | None = None) -> Message:
    data: dict = {TEXT: text}
    if intent:
        data[INTENT] = intent
    if entities:
        data[ENTITIES] = entities
    return Message(data=data)


def test_an_accented_example_gets_a_stripped_copy_with_its_entities() -> None:
    text = "Mần giấy khai tử răng rứa ạ?"
    entity = {"entity": "procedure", "start": 4, "end": 16, "value": "khai_tu"}
    assert text[4:16] == "giấy khai tử"
    (copy,) = unaccented_copies([_example(text, "ask_procedure", [entity])])
    assert copy.get(TEXT) == "man giay khai tu rang rua a?"
    assert copy.get(INTENT) == "ask_procedure"
    # One character per character: the annotation still covers the same words.
    (annotated,) = copy.get(ENTITIES)
    assert copy.get(TEXT)[annotated["start"] : annotated["end"]] == "giay khai tu"
    assert annotated["value"] == "khai_tu"


def test_no_copy_without_diacritics_without_intent_or_already_there() -> None:
    examples = [
        _example("lam khai sinh o dau", "ask_location"),  # nothing to strip
        _example("Chào bạn", None),  # not an intent example
        _example("hồ sơ xong chưa", "check_dossier_status"),
        _example("ho so xong chua", "check_dossier_status"),  # written stripped already
        _example("thôi", "deny"),
        _example("thoi", "goodbye"),  # stripped under another intent: that example decides
        _example("Cảm ơn!", "thank"),
        _example("cảm ơn!", "thank"),  # the same copy once
    ]
    copies = unaccented_copies(examples)
    assert [(c.get(TEXT), c.get(INTENT)) for c in copies] == [("cam on!", "thank")]
    assert not copies[0].get(ENTITIES)


def test_the_component_adds_copies_to_training_data_and_leaves_messages_alone(
    tmp_path,
) -> None:
    component = UnaccentedCopies.create(
        {},
        LocalModelStorage(tmp_path),
        Resource("unaccented"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    data = TrainingData(
        training_examples=[
            _example("làm căn cước ở đâu", "ask_location"),
            _example("lam can cuoc mat bao lau", "ask_duration"),
        ],
        entity_synonyms={"cccd": "can_cuoc"},
        lookup_tables=[{"name": "procedure", "elements": ["căn cước"]}],
    )
    trained_on = component.process_training_data(data)
    assert sorted(m.get(TEXT) for m in trained_on.intent_examples) == [
        "lam can cuoc mat bao lau",
        "lam can cuoc o dau",
        "làm căn cước ở đâu",
    ]
    assert trained_on.entity_synonyms == {"cccd": "can_cuoc"}
    assert trained_on.lookup_tables == data.lookup_tables
    assert len(data.intent_examples) == 2  # the input is not changed

    message = Message(data={TEXT: "làm căn cước ở đâu"})
    assert component.process([message]) == [message]
    assert message.get(TEXT) == "làm căn cước ở đâu"
