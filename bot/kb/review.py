"""Which knowledge-base entries are due for a fresh check against their sources.

Procedures change (fees, agencies after a reform), so every entry carries the day an
editor last checked it (``verified_on``), and the citizen sees that day under each
answer. ``make validate`` lists the entries checked longer ago than
``KB_REVIEW_AFTER_DAYS`` (a notice: facts do not go wrong on a fixed day) and rejects a
day still to come (a typo of the editor's, which the citizen would see).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bot.kb._loader import Problem
from bot.kb._model import Procedure

# An editor in Vietnam (UTC+7) may write today's date while a server on UTC is still on
# yesterday: a day ahead is allowed.
_CLOCK_SLACK = dt.timedelta(days=1)


@dataclass(frozen=True, kw_only=True)
class DueEntry:
    """An entry whose facts were last checked ``age_days`` ago."""

    id: str
    verified_on: dt.date
    age_days: int

    def __str__(self) -> str:
        return f"{self.id}: checked on {self.verified_on.isoformat()}, {self.age_days} days ago"


def review(
    procedures: Iterable[Procedure], *, today: dt.date, after_days: int
) -> tuple[list[DueEntry], list[Problem]]:
    """Entries due for a check (oldest first) and the entries checked on a day to come."""
    due: list[DueEntry] = []
    problems: list[Problem] = []
    for p in procedures:
        day = dt.date.fromisoformat(p.verified_on)
        file = p.path.name if p.path is not None else f"{p.id}.yml"
        if day > today + _CLOCK_SLACK:
            problems.append(
                Problem(
                    file=file,
                    field="verified_on",
                    message=f"{p.verified_on} is after today ({today.isoformat()})",
                )
            )
        elif (today - day).days > after_days:
            due.append(DueEntry(id=p.id, verified_on=day, age_days=(today - day).days))
    due.sort(key=lambda d: (d.verified_on, d.id))
    return due, problems
