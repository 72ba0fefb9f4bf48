"""Typed, immutable view of the procedure knowledge base."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# The aspect intents of the NLU contract, in the order answers offer them.
ASPECTS: tuple[str, ...] = (
    "ask_procedure",
    "ask_documents",
    "ask_fee",
    "ask_duration",
    "ask_location",
    "ask_online",
)

# Fields an ``uncertain`` note (or a ``field_sources`` entry) may point at.
FIELDS: tuple[str, ...] = (
    "name",
    "code",
    "level",
    "agency",
    "summary",
    "documents",
    "fee",
    "processing_time",
    "where",
    "online",
    "steps",
    "legal_basis",
)
# Fields a file may leave out; ``uncertain`` and ``field_sources`` may point at them too.
OPTIONAL_FIELDS: tuple[str, ...] = ("who_goes", "situations")


@dataclass(frozen=True, kw_only=True)
class Fee:
    text: str
    exemptions: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Online:
    available: bool
    link: str | None = None
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Source:
    title: str
    url: str | None = None


@dataclass(frozen=True, kw_only=True)
class Uncertainty:
    field: str
    note: str


@dataclass(frozen=True, kw_only=True)
class Procedure:
    id: str
    name: str
    aliases: tuple[str, ...]
    ambiguous_aliases: tuple[str, ...] = ()
    not_aliases: tuple[str, ...] = ()  # phrases holding an alias that mean something else
    code: str | None
    level: str
    agency: str
    summary: str
    documents: tuple[str, ...]
    fee: Fee
    processing_time: str
    where: str
    online: Online
    steps: tuple[str, ...]
    # Who must come in person and who may act for the citizen ("" when the entry says
    # nothing, and the bot then says it does not know).
    who_goes: str = ""
    # Life events that call for it ("mới sinh con", "qua đời"): :mod:`bot.kb.situations`.
    situations: tuple[str, ...] = ()
    legal_basis: tuple[str, ...]
    source_url: str
    field_sources: Mapping[str, str] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    verified_on: str
    verification_note: str = ""
    uncertain: tuple[Uncertainty, ...] = ()
    path: Path | None = None

    def is_uncertain(self, *fields: str) -> bool:
        """Whether any of ``fields`` carries an ``uncertain`` note."""
        return any(u.field in fields for u in self.uncertain)

    def source_for(self, *fields: str) -> str:
        """The most specific source URL for ``fields`` (first match), else ``source_url``."""
        for name in fields:
            url = self.field_sources.get(name)
            if url:
                return url
        return self.source_url


# eq=False: compared and hashed by identity, so derived indexes can be cached per load.
@dataclass(frozen=True, kw_only=True, eq=False)
class KnowledgeBase:
    procedures: Mapping[str, Procedure]
    directory: Path | None = None

    def __contains__(self, procedure_id: object) -> bool:
        return procedure_id in self.procedures

    def __iter__(self) -> Iterator[Procedure]:
        return iter(self.procedures.values())

    def __len__(self) -> int:
        return len(self.procedures)

    def get(self, procedure_id: str) -> Procedure | None:
        return self.procedures.get(procedure_id)

    def ids(self) -> list[str]:
        return sorted(self.procedures)
