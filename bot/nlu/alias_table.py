"""Base for graph components that carry the procedure alias table in the model.

The table is the knowledge base's aliases (``kb_dir``), plus the synonyms and the
annotated ``procedure`` examples of the training data, plus the KB's
``ambiguous_aliases`` (names of several procedures) and ``not_aliases``; it
is stored in the model, so a model always reads names the way the knowledge base it was
trained on does. The entity extractor (:mod:`bot.nlu.extractors`) and the mention
featurizer (:mod:`bot.nlu.mention_featurizer`) both find names through it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.logs import get_logger
from bot.nlu.persisted import PersistedStateComponent
from bot.nlu.procedures import (
    ProcedureMatch,
    ProcedureMatcher,
    alias_key,
    load_kb_aliases,
    load_kb_ambiguous_aliases,
    load_kb_not_aliases,
)
from bot.nlu.roles import asked_about
from bot.settings import PROJECT_ROOT, load_settings

log = get_logger(__name__)

PROCEDURE = "procedure"


def training_aliases(training_data: TrainingData, known: set[str]) -> list[tuple[str, str]]:
    """Surfaces annotated as procedures (and synonyms) whose value is a known id, but
    none ending in the question particle (:func:`ends_in_particle`)."""
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
    return [(surface, value) for surface, value in pairs if not ends_in_particle(surface)]


def ends_in_particle(surface: str) -> bool:
    """Whether a name ends, once "ko"/"k"/"hông" are expanded, in the question particle
    "không". No procedure's name does; an annotation that does would make every "hồ sơ
    không" or "chữ ký số không" name a procedure ("sổ hông" reads "sổ không")."""
    key = alias_key(surface)
    return len(key) > 1 and key[-1] == "không"


def table_pairs(kb_dir: Path, training_data: TrainingData | None) -> list[tuple[str, str]]:
    """The ``(alias, id)`` pairs of the alias table: the KB's aliases, the training data's
    (when given), the KB's ``ambiguous_aliases`` and ``not_aliases``."""
    pairs = load_kb_aliases(kb_dir)
    known = {p for _, p in pairs}
    if not known:
        log.warning("nlu.procedure_aliases.no_kb", kb_dir=str(kb_dir))
    if training_data is not None:
        pairs.extend(training_aliases(training_data, known))
    pairs.extend(load_kb_ambiguous_aliases(kb_dir))
    pairs.extend(load_kb_not_aliases(kb_dir))
    return pairs


def mentions(matcher: ProcedureMatcher, text: str) -> list[ProcedureMatch]:
    """The procedures ``text`` asks about (papers named beside them left out)."""
    return asked_about(text, matcher.find(text, several=True))


def names_any(matcher: ProcedureMatcher, text: str) -> bool:
    """Whether ``text`` names a procedure, or a name several procedures share."""
    return bool(matcher.find(text, several=True))


class AliasTableComponent(PersistedStateComponent):
    """Trains, stores and loads a :class:`ProcedureMatcher`; :meth:`mentions` uses it."""

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

    def restore(self, state: list[list[str]] | None) -> None:
        self.matcher = ProcedureMatcher.from_aliases((a, p) for a, p in state or [])

    @staticmethod
    def read_state(path: Path) -> list[list[str]]:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as exc:
            # A model without its table finds no names; it still answers everything else.
            log.warning("nlu.procedure_aliases.load_failed", error=str(exc))
            return []

    def _kb_dir(self) -> Path:
        configured = self.config["kb_dir"]
        if not configured:
            return load_settings().kb.procedures_dir
        path = Path(configured)
        return path if path.is_absolute() else PROJECT_ROOT / path

    def train(self, training_data: TrainingData) -> Resource:
        use = training_data if self.config["use_training_data"] else None
        self.matcher = ProcedureMatcher.from_aliases(table_pairs(self._kb_dir(), use))
        return self.persist(self.matcher.to_pairs())

    def mentions(self, text: str) -> list[ProcedureMatch]:
        """The procedures ``text`` asks about (papers named beside them left out)."""
        return mentions(self.matcher, text)

    def names_any(self, text: str) -> bool:
        """Whether ``text`` names a procedure, or a name several procedures share."""
        return names_any(self.matcher, text)
