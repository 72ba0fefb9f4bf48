"""Load and validate the knowledge-base files; every problem names file, field and cause."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from bot.kb._model import Fee, KnowledgeBase, Online, Procedure, Source, Uncertainty
from bot.kb._schema import PROCEDURE_SCHEMA
from bot.nlu.text import fold, fold_words

_VALIDATOR = Draft202012Validator(PROCEDURE_SCHEMA)
_QUOTED = re.compile(r"'([^']+)'")


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong in one file: ``file: field: message``."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field or '<file>'}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base (or one file of it) is invalid."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def procedure_files(directory: Path) -> list[Path]:
    """The knowledge-base files of ``directory`` (``*.yml``), sorted."""
    return sorted(p for p in Path(directory).glob("*.yml") if p.is_file())


def _field_path(error: ValidationError) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    # "required" and "additionalProperties" errors sit on the parent: name the child.
    if error.validator in {"required", "additionalProperties"}:
        names = _QUOTED.findall(error.message)
        if names:
            child = names[0]
            path = f"{path}.{child}" if path else child
    return path


def _message(error: ValidationError) -> str:
    if error.validator == "required":
        return "is missing (required field)"
    if error.validator == "additionalProperties":
        return "is not a known field (check the spelling)"
    if error.validator == "minItems":
        return f"needs at least {error.validator_value} items, has {len(error.instance)}"
    if error.validator == "maxItems":
        return f"allows at most {error.validator_value} items, has {len(error.instance)}"
    if error.validator == "maxLength":
        return f"is too long ({len(error.instance)} characters, at most {error.validator_value})"
    if error.validator == "pattern" and "https?" in str(error.validator_value):
        return f"{error.instance!r} is not an http(s) URL"
    if error.validator == "anyOf" and error.instance is not None:
        return f"{error.instance!r} has the wrong form ({error.validator_value!r})"
    return error.message


def _read_yaml(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "yaml"
        return None, [Problem(file=path.name, field=where, message=f"invalid YAML: {exc}")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(file=path.name, field="", message=f"cannot read: {exc}")]
    if not isinstance(data, dict):
        return None, [Problem(file=path.name, field="", message="must be a YAML mapping")]
    # YAML reads an unquoted 2026-09-30 as a date: accept it as the ISO string it means.
    if isinstance(data.get("verified_on"), dt.date):
        data["verified_on"] = data["verified_on"].isoformat()
    return data, []


def check_procedure_data(data: dict[str, Any], *, file: str) -> list[Problem]:
    """Schema problems of one parsed file, plus ``id`` == file stem."""
    problems = [
        Problem(file=file, field=_field_path(e), message=_message(e))
        for e in sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.path)))
    ]
    verified = data.get("verified_on")
    # The schema checks the form (YYYY-MM-DD); only a well-formed value can be no such day.
    if isinstance(verified, str) and not any(p.field == "verified_on" for p in problems):
        try:
            dt.date.fromisoformat(verified)
        except ValueError:
            problems.append(
                Problem(file=file, field="verified_on", message=f"{verified!r} is no such day")
            )
    stem = Path(file).stem
    if isinstance(data.get("id"), str) and data["id"] != stem:
        problems.append(
            Problem(
                file=file, field="id", message=f"{data['id']!r} must equal the file name {stem!r}"
            )
        )
    return problems


def _build(data: dict[str, Any], path: Path | None) -> Procedure:
    fee = data["fee"]
    online = data["online"]
    return Procedure(
        id=data["id"],
        name=data["name"].strip(),
        aliases=tuple(a.strip() for a in data["aliases"]),
        ambiguous_aliases=tuple(a.strip() for a in data.get("ambiguous_aliases") or ()),
        not_aliases=tuple(a.strip() for a in data.get("not_aliases") or ()),
        code=data["code"],
        level=data["level"].strip(),
        agency=data["agency"].strip(),
        summary=data["summary"].strip(),
        documents=tuple(d.strip() for d in data["documents"]),
        fee=Fee(text=fee["text"].strip(), exemptions=tuple(fee["exemptions"])),
        processing_time=data["processing_time"].strip(),
        where=data["where"].strip(),
        online=Online(
            available=online["available"],
            link=online.get("link"),
            note=online["note"].strip(),
        ),
        steps=tuple(s.strip() for s in data["steps"]),
        who_goes=(data.get("who_goes") or "").strip(),
        situations=tuple(e.strip() for e in data.get("situations") or ()),
        legal_basis=tuple(data["legal_basis"]),
        source_url=data["source_url"],
        field_sources=dict(data.get("field_sources") or {}),
        sources=tuple(Source(title=s["title"], url=s.get("url")) for s in data["sources"]),
        verified_on=data["verified_on"],
        verification_note=data.get("verification_note", ""),
        uncertain=tuple(Uncertainty(field=u["field"], note=u["note"]) for u in data["uncertain"]),
        path=path,
    )


def load_procedure_file(path: Path) -> Procedure:
    """Parse and validate one file; raises :class:`KnowledgeBaseError`."""
    path = Path(path)
    data, problems = _read_yaml(path)
    if data is not None:
        problems = check_procedure_data(data, file=path.name)
    if problems or data is None:
        raise KnowledgeBaseError(problems)
    return _build(data, path)


def _check_aliases(procedures: list[Procedure]) -> list[Problem]:
    """No alias (accent-folded) names two procedures, unless listed as ambiguous; every
    not-alias holds one of its procedure's aliases and is no alias itself."""
    owners: dict[str, set[str]] = defaultdict(set)
    ambiguous: dict[str, set[str]] = defaultdict(set)
    files = {p.id: (p.path.name if p.path else f"{p.id}.yml") for p in procedures}
    for p in procedures:
        for alias in p.aliases:
            owners[fold(alias).strip()].add(p.id)
        for alias in p.ambiguous_aliases:
            ambiguous[fold(alias).strip()].add(p.id)
    problems = []
    for key, ids in sorted(owners.items()):
        if len(ids) > 1:
            first, *others = sorted(ids)
            problems.append(
                Problem(
                    file=files[first],
                    field="aliases",
                    message=f"alias {key!r} is also an alias of {', '.join(others)}; "
                    "move it to ambiguous_aliases in every file that uses it",
                )
            )
        if key in ambiguous:
            for pid in sorted(ids):
                problems.append(
                    Problem(
                        file=files[pid],
                        field="aliases",
                        message=f"alias {key!r} is listed as ambiguous by "
                        f"{', '.join(sorted(ambiguous[key]))}; remove it from aliases",
                    )
                )
    alias_keys = {fold_words(k) for k in (*owners, *ambiguous)}
    for p in procedures:
        own = [fold_words(a) for a in (p.name, *p.aliases, *p.ambiguous_aliases)]
        for phrase in p.not_aliases:
            key = fold_words(phrase)
            if key in alias_keys:
                message = f"{phrase!r} is an alias; a phrase cannot be both"
            elif not any(f" {a} " in f" {key} " for a in own if a):
                message = f"{phrase!r} contains none of this procedure's aliases: it blocks nothing"
            else:
                continue
            problems.append(Problem(file=files[p.id], field="not_aliases", message=message))
    for key, ids in sorted(ambiguous.items()):
        if len(ids) < 2:
            (pid,) = ids
            problems.append(
                Problem(
                    file=files[pid],
                    field="ambiguous_aliases",
                    message=f"{key!r} is ambiguous in this file only; list it in every "
                    "procedure it may mean, or move it to aliases",
                )
            )
    return problems


def validate_directory(directory: Path) -> tuple[list[Procedure], list[Problem]]:
    """Every problem of the knowledge base in ``directory`` (never raises)."""
    directory = Path(directory)
    files = procedure_files(directory)
    if not files:
        return [], [Problem(file=str(directory), field="", message="no procedure files (*.yml)")]
    procedures: list[Procedure] = []
    problems: list[Problem] = []
    for path in files:
        try:
            procedures.append(load_procedure_file(path))
        except KnowledgeBaseError as exc:
            problems.extend(exc.problems)
    problems.extend(_check_aliases(procedures))
    return procedures, problems


def load_knowledge_base(directory: Path) -> KnowledgeBase:
    """Load every file of ``directory``; raises :class:`KnowledgeBaseError` on any problem."""
    procedures, problems = validate_directory(directory)
    if problems:
        raise KnowledgeBaseError(problems)
    return KnowledgeBase(procedures={p.id: p for p in procedures}, directory=Path(directory))
