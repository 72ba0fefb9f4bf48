"""Rasa 3 entity extractor graph components: procedures (from the KB) and codes/phones.

* :class:`ProcedureEntityExtractor` — entity ``procedure`` whose value is a knowledge-base
  id, found through the alias table the model carries (:mod:`bot.nlu.alias_table`: the
  knowledge-base aliases plus the training data's annotations). A name that is a paper of
  another procedure named beside it is left out (:mod:`bot.nlu.roles`).
* :class:`CodeEntityExtractor` — entity ``dossier_code`` (canonical upper-case value from
  :func:`bot.dossier_codes.find_codes`) and ``phone_number`` (Vietnamese mobile/landline,
  value with digits only).

Both give offsets into the original text and replace overlapping entities of the same
type found by other extractors (DIET), which are less precise for these.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.dossier_codes import find_codes
from bot.nlu.alias_table import PROCEDURE, AliasTableComponent
from bot.nlu.configured import ConfiguredComponent
from bot.nlu.placeholders import find_phones

DOSSIER_CODE = "dossier_code"
PHONE_NUMBER = "phone_number"


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a.get("start", -1) < b.get("end", -1) and b.get("start", -1) < a.get("end", -1)


def merge_entities(
    existing: list[dict[str, Any]], found: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``existing`` without the entities ``found`` supersedes (same type, overlapping),
    then ``found``."""
    types = {e["entity"] for e in found}
    kept = [
        e
        for e in existing
        if not (e.get("entity") in types and any(_overlaps(e, f) for f in found))
    ]
    return kept + found


class _TextExtractor(EntityExtractorMixin):
    """Shared ``process``: entities from ``extract(text)`` replace overlapping ones."""

    def extract(self, text: str) -> list[dict[str, Any]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            found = self.extract(text)
            if found:
                found = self.add_extractor_name(found)
                message.set(
                    ENTITIES, merge_entities(message.get(ENTITIES, []), found), add_to_output=True
                )
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class ProcedureEntityExtractor(AliasTableComponent, _TextExtractor):
    """Finds procedure names (knowledge-base aliases) on normalised, accent-folded text."""

    def extract(self, text: str) -> list[dict[str, Any]]:
        """Procedure entities of ``text`` (without the extractor name)."""
        return [
            {
                "entity": PROCEDURE,
                "start": m.start,
                "end": m.end,
                "value": m.procedure,
                "confidence_entity": 1.0 if m.exact else 0.8,
            }
            for m in self.mentions(text)
        ]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class CodeEntityExtractor(ConfiguredComponent, _TextExtractor):
    """Dossier codes (tolerant of spaces, case, missing dots) and phone numbers."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"phone_numbers": True}

    def extract(self, text: str) -> list[dict[str, Any]]:
        """Entities of ``text`` (without the extractor name)."""
        found: list[dict[str, Any]] = [
            {
                "entity": DOSSIER_CODE,
                "start": m.start,
                "end": m.end,
                "value": m.code,
                "confidence_entity": 1.0,
            }
            for m in find_codes(text)
        ]
        if self.config["phone_numbers"]:
            found += [
                {"entity": PHONE_NUMBER, "start": s, "end": e, "value": v, "confidence_entity": 1.0}
                for s, e, v in find_phones(text)
                if not any(s < c["end"] and c["start"] < e for c in found)
            ]
        return found
