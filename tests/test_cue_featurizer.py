"""The small-talk cue featurizer: the share of a message each small-talk intent's cues cover."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.cue_featurizer import CUES, CueTable, SmallTalkCueFeaturizer
from bot.nlu.tokenizer import VietnameseTokenizer

TABLE = CueTable(CUES)


def _features(text: str, weight: float = 1.0) -> dict[str, float]:
    message = Message(data={TEXT: text})
    VietnameseTokenizer(VietnameseTokenizer.get_default_config()).process([message])
    SmallTalkCueFeaturizer({"weight": weight}).process([message])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence.features.shape == (len(message.get(TOKENS_NAMES[TEXT])), len(TABLE.intents))
    assert not sequence.features.any()
    return dict(zip(TABLE.intents, sentence.features.reshape(-1).tolist(), strict=True))


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ok ạ", "affirm"),
        ("oki nhé ad", "affirm"),
        ("Vâng", "affirm"),
        ("k đc", "deny"),  # normalised: "không được"
        ("khong phai", "deny"),
        ("thanks ad nhiều", "thank"),
        ("cam on ban", "thank"),
        ("bái bai", "goodbye"),
        ("tạm biệt nhé", "goodbye"),
        ("👋", "greet"),
        ("xin chào ạ", "greet"),
    ],
)
def test_a_message_that_is_only_a_cue_is_covered_by_its_intent(text: str, intent: str) -> None:
    features = _features(text)
    assert features[intent] == 1.0
    assert all(v < 1.0 for k, v in features.items() if k != intent)


def test_chao_is_a_cue_of_both_greeting_and_goodbye() -> None:
    features = _features("chào ad")
    assert features["greet"] == features["goodbye"] == 1.0


def test_a_question_with_a_cue_word_is_covered_only_in_part() -> None:
    features = _features("dạ em cần chuẩn bị giấy gì")  # "em" is a form of address
    assert 0 < features["affirm"] < 0.3
    assert features["deny"] == features["thank"] == 0.0


def test_weight_scales_and_unknown_emoji_or_words_are_not_cues() -> None:
    assert _features("ok", weight=0.5)["affirm"] == 0.5
    assert not any(_features("🙄").values())
    assert not any(_features("đổi tiền ở đâu").values())


def test_particles_alone_cover_nothing() -> None:
    assert TABLE.coverage([("à", "a"), ("nhé", "nhe")], []).tolist() == [0.0] * len(TABLE.intents)
    assert np.array_equal(TABLE.coverage([], []), np.zeros(len(TABLE.intents)))


def test_the_longest_cue_of_any_intent_wins() -> None:
    features = _features("không đồng ý")
    assert features["deny"] == 1.0 and features["affirm"] == 0.0


def test_cues_and_particles_are_normalised_and_keep_their_diacritics() -> None:
    assert _features("thank you")["thank"] == 1.0  # "thanks" is normalised to "cảm ơn"
    assert _features("oke")["affirm"] == 1.0
    # "lắm" is a particle, "làm" (to do) is not: "được làm" is not all affirm.
    assert _features("được lắm")["affirm"] == 1.0
    assert _features("được làm")["affirm"] == 0.5
