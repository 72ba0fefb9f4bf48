"""Features: how much of a short message is a small-talk cue ("ok ạ", "thanks ad", "👋").

Small talk is one or two words, and citizens have many of them: "ừ", "ukm", "oki", "yes",
"tks", "camon", "bái bai", an emoji. A held-out "oki" or "👌" shares no n-gram with the
training data's "ok" or "👍", so a model of n-grams has nothing to go on, however many
examples it saw. This featurizer adds what a Vietnamese reader knows: lists of how each
small-talk intent is said (:data:`CUES`, written with diacritics; the accent-folded form
is derived). For each of those intents one dense sentence feature: the share of the
message's words (politeness particles and forms of address aside: "ạ", "nhé", "ad",
"bạn") that its cues cover, times ``weight``. "ok ạ" is all affirm; "dạ em cần giấy gì"
has an affirm cue in one word of four, and the classifier learns how little that means.

Words are the tokens' folded syllables after normalisation and typo repair ("đc" is
"được", "camon" stays "camon": listed), so a cue is listed once, without its
abbreviations. Emoji count as words of their own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.configured import ConfiguredComponent
from bot.nlu.dense import EachMessageFeaturizer, add_dense
from bot.nlu.normalize import normalize_text
from bot.nlu.text import fold, token_syllables

# How citizens say each small-talk intent in a chat, with diacritics where Vietnamese has
# them, separated by "|". Only what means that intent on its own: "chào" opens and closes
# a conversation, so it is a cue of both greet and goodbye and the other words decide.
CUES: dict[str, str] = {
    "greet": (
        "chào | xin chào | chào buổi sáng | chào buổi chiều | chào buổi tối | hi | "
        "hello | helo | hế lô | hê lô | hey | alo | a lô | ê | 👋"
    ),
    "goodbye": (
        "chào | tạm biệt | bye | bye bye | bai | bái bai | bb | goodbye | good bye | "
        "see you | hẹn gặp lại | ngủ ngon | chúc ngủ ngon | good night | gút bai | đi "
        "đây | out đây"
    ),
    "thank": (
        "cảm ơn | cám ơn | camon | cảm ơn nhiều | thank | thanks | thank you | thanks "
        "you | tks | thks | thx | tku | ty | tk | ths | biết ơn | đa tạ | 🙏 | ❤ | 💕 | "
        "😘 | 🥰"
    ),
    "affirm": (
        "có | vâng | dạ | dạ vâng | dạ có | ừ | ờ | ừm | ừ m | uh | uhm | um | ok | "
        "oke | okê | okay | oki | okie | okela | yes | yep | yeah | đúng | đúng rồi | "
        "chuẩn | được | được đấy | được luôn | đồng ý | chắc chắn | tất nhiên | phải "
        "| phải rồi | uk | ukm | ừa | ừ đúng | chính xác | 👍 | 👌 | ✅"
    ),
    "deny": (
        "không | no | nope | nah | không phải | chưa | sai | sai rồi | nhầm | nhầm "
        "rồi | không cần | không đúng | không được | không đồng ý | thôi | khỏi | "
        "thôi khỏi | khỏi cần | đâu có | làm gì có | hông | hem | không có | 👎 | ❌"
    ),
}
# Politeness particles and forms of address: they neither make a message small talk nor
# stop it from being small talk ("ok ạ", "cảm ơn ad nhé").
PARTICLES = (
    "ạ | à | a | ah | ạh | nhé | nha | nhá | nhe | ơi | ad | admin | bot | bạn | em | "
    "anh | chị | chú | bác | mình | tôi | nhiều | lắm | quá | rồi | luôn | vậy | thế "
    "| nhen | hen"
)


def _is_emoji(ch: str) -> bool:
    return unicodedata.category(ch) == "So"


def _split(listing: str) -> list[str]:
    return [item.strip() for item in listing.split("|") if item.strip()]


def _plain(word: str) -> bool:
    return fold(word) == word


class CueTable:
    """The cues of each intent as word tuples (normalised, and folded), and the particles.

    A typed word meets a cue word when both are the same with their diacritics, or when
    the typed word has none and meets it folded: "o" may be "ờ", "ở" is not.
    """

    def __init__(self, cues: Mapping[str, str], particles: str = PARTICLES) -> None:
        self.intents = tuple(sorted(cues))
        self.emoji: dict[str, set[str]] = {}
        # Cues by their first folded syllable: a message looks up only those that may start
        # at each of its words.
        self._by_first: dict[str, list[tuple[str, tuple[str, ...], tuple[str, ...]]]] = {}
        for intent in self.intents:
            for cue in _split(cues[intent]):
                if len(cue) == 1 and _is_emoji(cue):
                    self.emoji.setdefault(intent, set()).add(cue)
                    continue
                # Normalised as messages are: "thanks" is "cảm ơn", "oke" is "ok".
                written = tuple(normalize_text(cue).split())
                folded = tuple(fold(w) for w in written)
                self._by_first.setdefault(folded[0], []).append((intent, written, folded))
        # Particles meet words as cues do: "lắm" is one, "làm" is not, "lam" may be.
        self.particles = frozenset(normalize_text(p) for p in _split(particles))
        self._plain_particles = frozenset(fold(p) for p in self.particles)

    def _is_particle(self, typed: str, folded: str) -> bool:
        return typed in self.particles or (_plain(typed) and folded in self._plain_particles)

    def vocabulary(self) -> set[str]:
        """Every folded syllable and emoji of the cues: words the classifier has evidence
        for even when no training example holds them."""
        words = {w for cues in self._by_first.values() for _, _, folded in cues for w in folded}
        return words | {e for emoji in self.emoji.values() for e in emoji}

    def coverage(
        self, words: list[tuple[str, str]], emoji: list[str], bounds: set[int] | None = None
    ) -> np.ndarray:
        """Per intent (``self.intents`` order): the share of content words and emoji its
        cues cover; all zeros when the message has neither. ``words``: (as typed,
        normalised, with any diacritics; folded) syllables; ``bounds``: the indices where
        a segmented word starts or ends (a cue covers whole words: "chuẩn" is a cue,
        "chuẩn bị" is not), every index when None."""
        if bounds is None:
            bounds = set(range(len(words) + 1))
        content = [i for i, word in enumerate(words) if not self._is_particle(*word)]
        units = len(content) + len(emoji)
        out = np.zeros(len(self.intents))
        if not units:
            return out
        owners = self._owners(words, bounds)
        for k, intent in enumerate(self.intents):
            hits = sum(1 for i in content if intent in owners.get(i, ()))
            hits += sum(1 for e in emoji if e in self.emoji.get(intent, set()))
            out[k] = hits / units
        return out

    def _owners(self, words: list[tuple[str, str]], bounds: set[int]) -> dict[int, set[str]]:
        """Which intents' cues cover each syllable. Left to right, the longest cue of any
        intent starting at a word boundary wins ("không đồng ý" is deny, not "đồng ý");
        cues of the same length all win ("chào": greet and goodbye)."""
        owners: dict[int, set[str]] = {}
        start = 0
        while start < len(words):
            best, winners = 0, set()
            if start in bounds:
                for intent, written, folded in self._by_first.get(words[start][1], ()):
                    n = len(written)
                    if (
                        n >= best
                        and start + n in bounds
                        and _meets(words[start : start + n], written, folded)
                    ):
                        winners = {intent} if n > best else winners | {intent}
                        best = n
            for i in range(start, start + best):
                owners[i] = winners
            start += max(best, 1)
        return owners


def _meets(
    window: list[tuple[str, str]], written: tuple[str, ...], folded: tuple[str, ...]
) -> bool:
    return len(window) == len(written) and all(
        typed == w or (_plain(typed) and f_typed == f)
        for (typed, f_typed), w, f in zip(window, written, folded, strict=True)
    )


def message_units(message: Message) -> tuple[list[tuple[str, str]], list[str], set[int]]:
    """The syllables of the message's tokens, (normalised, folded), its emoji, and where
    its segmented words start and end (indices into the syllables)."""
    words: list[tuple[str, str]] = []
    bounds = {0}
    for token in message.get(TOKENS_NAMES[TEXT]) or []:
        words += [
            (w, f)
            for w, f in token_syllables(token.text, token.lemma or "")
            if any(c.isalnum() for c in f)
        ]
        bounds.add(len(words))
    text = message.get(TEXT) or ""
    return words, [ch for ch in text if _is_emoji(ch)], bounds


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SmallTalkCueFeaturizer(EachMessageFeaturizer, ConfiguredComponent):
    """Dense sentence features: the share of the message each small-talk intent's cues cover."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"weight": 0.5}

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.table = CueTable(CUES)

    def _featurize(self, message: Message) -> None:
        if not isinstance(message.get(TEXT), str):
            return
        words, emoji, bounds = message_units(message)
        sentence = float(self.config["weight"]) * self.table.coverage(words, emoji, bounds)
        tokens = len(message.get(TOKENS_NAMES[TEXT]) or [])
        sequence = np.zeros((tokens, len(sentence)))
        add_dense(message, sequence, sentence.reshape(1, -1), type(self).__name__)
