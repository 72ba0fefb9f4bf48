"""Rasa 3 tokenizer graph component over underthesea ``word_tokenize``.

Each token keeps offsets into the original message (``text[t.start:t.end]`` is what the
citizen typed) and carries two normalised views for the featurizers:

* ``token.text``  — normalised, with accents, syllables of a word joined by ``_``
  ("khai_sinh", "căn_cước_công_dân"): the segmented-word view;
* ``token.lemma`` — the same, accent-folded, syllables separated by spaces
  ("khai sinh", "can cuoc cong dan"): the syllable view text without diacritics shares.

The original surface is also kept in ``token.data["surface"]``. Dossier codes, phone numbers
and bare numbers get one placeholder form each (:mod:`bot.nlu.placeholders`).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.placeholders import mask_numbers
from bot.nlu.segment import Piece, segment


def piece_to_token(piece: Piece) -> Token:
    """The Rasa token of one segmented word (see the module docstring for the views)."""
    return Token(
        text=piece.norm.replace(" ", "_") or piece.surface,
        start=piece.start,
        end=piece.end,
        data={"surface": piece.surface},
        lemma=piece.folded or piece.surface,
    )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class VietnameseTokenizer(Tokenizer):
    """Vietnamese word tokenizer (underthesea) with normalised and accent-folded views."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VietnameseTokenizer:
        return cls(config)

    @staticmethod
    def supported_languages() -> list[str] | None:
        return None

    @staticmethod
    def required_packages() -> list[str]:
        return ["underthesea"]

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        tokens = [piece_to_token(p) for p in mask_numbers(text, segment(text))]
        if not tokens and text:
            # Rasa expects at least one token for non-empty text (e.g. only spaces or
            # invisible characters): one token spanning the whole text.
            tokens = [Token(text=text, start=0, end=len(text), data={"surface": text})]
        return self._apply_token_pattern(tokens)
