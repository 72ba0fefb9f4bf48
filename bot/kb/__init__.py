"""The procedure knowledge base: schema, validation, loading, hot reload, answers, matching."""

from bot.kb._loader import (
    KnowledgeBaseError,
    Problem,
    load_knowledge_base,
    load_procedure_file,
    procedure_files,
    validate_directory,
)
from bot.kb._model import (
    ASPECTS,
    FIELDS,
    OPTIONAL_FIELDS,
    Fee,
    KnowledgeBase,
    Online,
    Procedure,
    Source,
    Uncertainty,
)
from bot.kb._schema import PROCEDURE_SCHEMA
from bot.kb._store import KnowledgeBaseStore, snapshot
from bot.kb.answers import compose_answer
from bot.kb.matching import Match, closest_procedures, confident_match, resolve_procedure

__all__ = [
    "ASPECTS",
    "FIELDS",
    "OPTIONAL_FIELDS",
    "PROCEDURE_SCHEMA",
    "Fee",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "KnowledgeBaseStore",
    "Match",
    "Online",
    "Problem",
    "Procedure",
    "Source",
    "Uncertainty",
    "closest_procedures",
    "compose_answer",
    "confident_match",
    "load_knowledge_base",
    "load_procedure_file",
    "procedure_files",
    "resolve_procedure",
    "snapshot",
    "validate_directory",
]
