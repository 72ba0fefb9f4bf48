"""Rasa 3 entity extractor graph components: procedures (from the KB) and codes/phones.

* :class:`ProcedureEntityExtractor` — entity ``procedure`` whose value is a knowledge-base
  id. Trained from the knowledge-base aliases (``kb_dir``), plus the synonyms and the
  annotated ``procedure`` examples of the training data; the alias table is stored in the
  model, so a model always answers with the knowledge base it was trained on. A name that
  is a paper of another procedure named beside it is left out (:mod:`bot.nlu.roles`).
* :class:`CodeEntityExtractor` — entity ``dossier_code`` (canonical upper-case value from
  :func:`bot.dossier_codes.find_codes`) and ``phone_number`` (Vietnamese mobile/landline,
  value with digits only).

Both give offsets into the original text and replace overlapping entities of the same
type found by other extractors (DIET), which are less precise for these.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.dossier_codes import find_codes
from bot.logs import get_logger
from bot.nlu.placeholders import find_phones
from bot.nlu.procedures import ProcedureMatcher, load_kb_aliases, load_kb_not_aliases
from bot.nlu.roles import asked_about
from bot.settings import PROJECT_ROOT, load_settings

log = get_logger(__name__)

PROCEDURE = "procedure"
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
class ProcedureEntityExtractor(GraphComponent, _TextExtractor):
    """Finds procedure names (knowledge-base aliases) on normalised, accent-folded text."""

    FILE = "procedure_aliases.json"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Knowledge base to read aliases from; None: the settings' KB_DIR. A relative
            # path is relative to the project root.
            "kb_dir": None,
            # Also learn aliases from the training data's synonyms and annotations.
            "use_training_data": True,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        matcher: ProcedureMatcher | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.matcher = matcher or ProcedureMatcher()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ProcedureEntityExtractor:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ProcedureEntityExtractor:
        try:
            with model_storage.read_from(resource) as directory:
                pairs = json.loads((Path(directory) / cls.FILE).read_text(encoding="utf-8"))
        except (ValueError, OSError) as exc:
            log.warning("nlu.procedure_aliases.load_failed", error=str(exc))
            pairs = []
        matcher = ProcedureMatcher.from_aliases((a, p) for a, p in pairs)
        return cls(config, model_storage, resource, matcher)

    def _kb_dir(self) -> Path:
        configured = self._config["kb_dir"]
        if not configured:
            return load_settings().kb.procedures_dir
        path = Path(configured)
        return path if path.is_absolute() else PROJECT_ROOT / path

    def train(self, training_data: TrainingData) -> Resource:
        kb_dir = self._kb_dir()
        pairs = load_kb_aliases(kb_dir)
        known = {p for _, p in pairs}
        if not known:
            log.warning("nlu.procedure_aliases.no_kb", kb_dir=str(kb_dir))
        if self._config["use_training_data"]:
            pairs.extend(self._training_aliases(training_data, known))
        pairs.extend(load_kb_not_aliases(kb_dir))
        self.matcher = ProcedureMatcher.from_aliases(pairs)
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / self.FILE).write_text(
                json.dumps(self.matcher.to_pairs(), ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    @staticmethod
    def _training_aliases(training_data: TrainingData, known: set[str]) -> list[tuple[str, str]]:
        """Surfaces annotated as procedures (and synonyms) whose value is a known id."""
        pairs: list[tuple[str, str]] = []
        for surface, value in training_data.entity_synonyms.items():
            if value in known:
                pairs.append((surface, value))
        for example in training_data.nlu_examples:
            text = example.get(TEXT) or ""
            for ent in example.get(ENTITIES) or []:
                if ent.get("entity") != PROCEDURE:
                    continue
                value = ent.get("value")
                if value in known or not known:
                    pairs.append((text[ent["start"] : ent["end"]], str(value)))
        return pairs

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
            for m in asked_about(text, self.matcher.find(text))
        ]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class CodeEntityExtractor(GraphComponent, _TextExtractor):
    """Dossier codes (tolerant of spaces, case, missing dots) and phone numbers."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"phone_numbers": True}

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CodeEntityExtractor:
        return cls(config)

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
        if self._config["phone_numbers"]:
            found += [
                {"entity": PHONE_NUMBER, "start": s, "end": e, "value": v, "confidence_entity": 1.0}
                for s, e, v in find_phones(text)
                if not any(s < c["end"] and c["start"] < e for c in found)
            ]
        return found
