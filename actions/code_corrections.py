"""A dossier code corrected by its digits right after it was not found: "0015 chứ k phải
0051", "nhầm, số cuối là 0015", "à 250612".

Such a message holds no whole code, so it reads as deny (0.91), unclear or out of scope.
Right after a status answer that found nothing, its digit group replaces the part of the
code tried (:func:`tried_code`) that has as many digits: the number at the
end, else the six-digit date. A date followed by a number ("à nhầm, 00000012H49 251002
0016", a code whose agency part has a digit too many) replaces both. The status is then looked up again for the corrected code
(:meth:`actions.procedures.ActionAnswerProcedure.answer_follow_up`, and the dossier form
when the message reads as a status question).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from actions.history import BotTurn, previous_user_text
from bot.dossier_codes import find_codes

_DIGITS = re.compile(r"(?<![0-9A-Za-z.])(\d{4,8})(?![0-9A-Za-z.])")
_MAX_WORDS = 12


def corrected_code(
    text: str, turn: BotTurn, events: Sequence[Mapping[str, Any]], slot: str | None
) -> str | None:
    """The code tried before (:func:`tried_code`, from ``events`` and the ``dossier_code``
    ``slot``) with its part replaced by the first digit group of ``text``, when ``turn``
    is a status answer that found nothing and ``text`` holds no whole code; else None
    (pure)."""
    if not turn.gave_status or turn.found_dossier:
        return None
    if find_codes(text) or len(text.split()) > _MAX_WORDS:
        return None
    tried = tried_code(events, slot)
    if not tried:
        return None
    groups: Sequence[str] = _DIGITS.findall(text)
    if not groups:
        return None
    head, date, number = tried.rsplit("-", 2)
    for first, second in pairwise(groups):
        if len(first) == 6 and 4 <= len(second) <= 8 and (first, second) != (date, number):
            return f"{head}-{first}-{second}"
    given = groups[0]
    if len(given) == len(number) and given != number:
        return f"{head}-{date}-{given}"
    if len(given) == 6 and given != date:
        return f"{head}-{given}-{number}"
    return None


def tried_code(events: Sequence[Mapping[str, Any]], slot: str | None) -> str | None:
    """The code the status question before the latest message tried: the last one typed
    in the user's message before it, else the ``dossier_code`` slot (the dossier form
    keeps the code it was given there)."""
    found = find_codes(previous_user_text(events))
    return found[-1].code if found else (slot or None)
