"""JSON Schema (draft 2020-12) of one knowledge-base file ``nlu_data/procedures/<id>.yml``.

``id``, ``name``, ``aliases``, ``ambiguous_aliases`` and ``not_aliases`` are an interface:
the NLU builds its lookup tables, synonyms and procedure matcher from them. Cross-file
rules (ids unique, aliases not shared, not-aliases holding an alias) are checked by the
loader, not here.
"""

from __future__ import annotations

from typing import Any

from bot.kb._model import FIELDS, OPTIONAL_FIELDS

_TEXT = {"type": "string", "minLength": 1, "pattern": r"\S"}
_URL = {"type": "string", "pattern": r"^https?://[^\s/$.?#][^\s]*$"}
_TEXT_LIST = {"type": "array", "items": _TEXT}

PROCEDURE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Procedure (thủ tục hành chính)",
    "type": "object",
    "additionalProperties": False,
    # Every fact field, plus the interface and provenance fields.
    "required": [
        "id",
        "name",
        "aliases",
        *(f for f in FIELDS if f != "name"),
        "source_url",
        "sources",
        "verified_on",
        "uncertain",
    ],
    "properties": {
        "id": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"},
        "name": {**_TEXT, "maxLength": 200},
        # Each name is written twice, with and without accents: 40 items are 20 names, a
        # bound against a runaway list rather than a count of what citizens say.
        "aliases": {
            "type": "array",
            "minItems": 8,
            "maxItems": 40,
            "items": {**_TEXT, "maxLength": 80},
        },
        "ambiguous_aliases": {"type": "array", "items": {**_TEXT, "maxLength": 80}},
        # Phrases that contain an alias but name something else ("xuất nhập khẩu" holds
        # the alias "nhập khẩu" of thường trú): neither the NLU nor the answers take them.
        "not_aliases": {"type": "array", "maxItems": 25, "items": {**_TEXT, "maxLength": 80}},
        "code": {"anyOf": [{"type": "null"}, {"type": "string", "pattern": r"^\d\.\d{6}$"}]},
        "level": {**_TEXT, "maxLength": 60},
        "agency": {**_TEXT, "maxLength": 400},
        # The overview answer shows the summary in full: keep it phone-sized.
        "summary": {**_TEXT, "maxLength": 350},
        "documents": {
            "type": "array",
            "minItems": 1,
            "items": {**_TEXT, "maxLength": 250},
        },
        "fee": {
            "type": "object",
            "additionalProperties": False,
            "required": ["text", "exemptions"],
            "properties": {
                "text": {**_TEXT, "maxLength": 350},
                "exemptions": {"type": "array", "items": {**_TEXT, "maxLength": 160}},
            },
        },
        "processing_time": {**_TEXT, "maxLength": 350},
        "where": {**_TEXT, "maxLength": 350},
        "online": {
            "type": "object",
            "additionalProperties": False,
            "required": ["available", "note"],
            "properties": {
                "available": {"type": "boolean"},
                "link": {"anyOf": [{"type": "null"}, _URL]},
                "note": {**_TEXT, "maxLength": 300},
            },
            # Available online → a link the citizen can open.
            "if": {"properties": {"available": {"const": True}}},
            "then": {"required": ["link"], "properties": {"link": _URL}},
        },
        "steps": {"type": "array", "minItems": 1, "items": {**_TEXT, "maxLength": 200}},
        # Answered on its own to "bố mẹ có phải đi cùng không", "nhờ người nộp hộ được không".
        "who_goes": {**_TEXT, "maxLength": 350},
        # Life events that call for the procedure ("mới sinh con"): never names, so the
        # NLU does not see them; matched by bot.kb.situations.
        "situations": {"type": "array", "maxItems": 40, "items": {**_TEXT, "maxLength": 60}},
        "legal_basis": {"type": "array", "minItems": 1, "items": _TEXT},
        "source_url": _URL,
        "field_sources": {
            "type": "object",
            "propertyNames": {"enum": [*FIELDS, *OPTIONAL_FIELDS]},
            "additionalProperties": _URL,
        },
        "sources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title"],
                "properties": {"title": _TEXT, "url": _URL},
            },
        },
        "verified_on": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "verification_note": {"type": "string"},
        "uncertain": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["field", "note"],
                "properties": {"field": {"enum": [*FIELDS, *OPTIONAL_FIELDS]}, "note": _TEXT},
            },
        },
    },
}
