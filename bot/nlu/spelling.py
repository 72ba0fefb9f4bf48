"""Typo repair against the training vocabulary, on the accent-folded syllable view.

Citizens type on a phone: "khai sihn", "nhugn gi", "tạm trus", "bao nieu". A syllable the
training data never contains gets no word feature at all, so the model sees less of the
message than the citizen wrote. This component learns how often each folded syllable
occurs in the training data and, at prediction time, replaces an unknown syllable by the
known one it becomes without keyboard remnants (Telex marks, held keys: "vaayj", "đâuu",
:mod:`bot.nlu.keys`), else, from four letters, by the most frequent known syllable one
edit away (a letter dropped, added, changed, or two neighbours swapped). Shorter syllables
get no edit: at three letters almost everything is one edit from a real Vietnamese word.
A syllable typed with diacritics that cannot be Vietnamese (:mod:`bot.nlu.syllables`) is
a typo for sure: "đồg" is repaired from three letters ("dong"), and "thôg" even when the
training data holds it, if rarely. (Typed without diacritics, such a syllable may be
English or teencode: "yes", "oki", "nah".) A word typed without spaces that nothing one
edit away explains ("hosocuabacdendauroi", "hochieu") is split into the training
syllables it is most likely made of ("ho so cua bac den dau roi"). Only ``token.lemma``
(what the featurizers read) changes; offsets and the original text do not.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.keys import strip_keys, transposes
from bot.nlu.persisted import PersistedStateComponent
from bot.nlu.syllables import is_syllable, segment
from bot.nlu.text import fold, token_syllables

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
MIN_LENGTH = 4
# Typed with diacritics and not a Vietnamese syllable: an edit from three letters.
MIN_LENGTH_NOT_VIETNAMESE = 3
# A known syllable with keyboard remnants gives way to the syllable without them when
# that one is this many times as frequent in the training data.
KEYED_RATIO = 10
# A word typed without spaces: split from this many letters ("hochieu"; "bolero" would be
# "bo le ro"), into syllables that the training data holds at least MIN_RUN_COUNT times
# (rarer ones are mostly typos and names).
MIN_RUN_LENGTH = 7
MIN_RUN_COUNT = 3


def edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return deletes | transposes(word) | replaces | inserts


def correct(syllable: str, counts: Mapping[str, int], *, accented: bool = False) -> str:
    """``syllable`` itself when known or not a plain word, else its most likely neighbour.

    A Telex remnant or held key comes first ("mieenx" is "mien"): that rewrite is
    deterministic, and it also applies to a syllable the training data holds only a few
    times so typed ("dauu" in a citizen's example, ten times rarer than "dau"). Then two
    swapped neighbours ("caho" is "chao", not the far more frequent "cho"): a swap rarely
    lands on a real syllable by chance, a dropped letter often does.
    Otherwise the most frequent syllable one edit away. ``accented``: the syllable was
    typed with diacritics; then, if it cannot be Vietnamese, it is repaired from three
    letters, and a known one gives way to a neighbour ``KEYED_RATIO`` times as frequent
    ("thôg" once in the data, "thong" hundreds of times).
    """
    if not (syllable.isascii() and syllable.isalpha()):
        return syllable
    unkeyed = strip_keys(syllable)
    if unkeyed != syllable and counts.get(unkeyed, 0) > KEYED_RATIO * counts.get(syllable, 0):
        return unkeyed
    typo = accented and not is_syllable(syllable)
    if len(syllable) < (MIN_LENGTH_NOT_VIETNAMESE if typo else MIN_LENGTH):
        return syllable
    if syllable in counts:
        if not typo:
            return syllable
        best = _neighbour(syllable, counts)
        keep = best is None or counts[best] < KEYED_RATIO * counts[syllable]
        return syllable if keep else best
    return _neighbour(syllable, counts) or split_run(syllable, counts) or syllable


def split_run(word: str, counts: Mapping[str, int]) -> str | None:
    """``word`` typed without spaces, split into its most likely training syllables
    ("hosocuabac" → "ho so cua bac"), or None when it cannot be so split.

    Each piece must be spelt like a Vietnamese syllable and occur ``MIN_RUN_COUNT`` times;
    the split with the highest product of the pieces' frequencies wins (a unigram model, as
    in word segmentation without a dictionary of words), so "nhuthenao" is "nhu the nao".
    """
    if len(word) < MIN_RUN_LENGTH or not word.isascii() or not word.isalpha():
        return None
    total = sum(counts.values()) or 1

    def cost(piece: str) -> float | None:
        n = counts.get(piece, 0)
        return math.log(total / n) if n >= MIN_RUN_COUNT and is_syllable(piece) else None

    pieces = segment(word, cost)
    return " ".join(pieces) if pieces else None


def _neighbour(syllable: str, counts: Mapping[str, int]) -> str | None:
    """The most frequent known syllable two swapped letters away, else one edit away."""
    candidates = [w for w in transposes(syllable) if w in counts and w != syllable]
    candidates = candidates or [w for w in edits1(syllable) if w in counts and w != syllable]
    return max(candidates, key=lambda w: (counts[w], w)) if candidates else None


def correct_lemma(lemma: str, counts: Mapping[str, int], written: str | None = None) -> str:
    """A folded lemma ("khai sihn") with each syllable corrected ("khai sinh");
    ``written``: the token as typed ("khai_sihn"), which tells which syllables had
    diacritics."""
    pairs = token_syllables(written or lemma, lemma)
    return " ".join(correct(f, counts, accented=fold(t) != t) for t, f in pairs)


def count_syllables(tokens: Iterable[Token]) -> Counter[str]:
    """How often each folded syllable occurs in the lemmas of ``tokens``."""
    counts: Counter[str] = Counter()
    for token in tokens:
        counts.update(s for s in (token.lemma or "").split(" ") if s)
    return counts


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class SyllableSpellChecker(PersistedStateComponent):
    """Replaces unknown folded syllables in ``token.lemma`` by a known one an edit away."""

    FILE = "syllables.json"

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    def restore(self, state: dict[str, int] | None) -> None:
        self.counts: Mapping[str, int] = state or {}

    def train(self, training_data: TrainingData) -> Resource:
        self.counts = dict(
            count_syllables(
                token
                for example in training_data.training_examples
                for token in example.get(TOKENS_NAMES[TEXT]) or []
            )
        )
        return self.persist(self.counts)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            for token in message.get(TOKENS_NAMES[TEXT]) or []:
                if token.lemma:
                    token.lemma = correct_lemma(token.lemma, self.counts, token.text)
        return messages
