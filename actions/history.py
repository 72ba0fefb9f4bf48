"""What the bot's turn before the latest message did, read from Rasa's event log.

The procedure actions need the conversation, not only the message: whether the bot just
answered about a procedure (a misread follow-up is about it, :mod:`actions.follow_ups`),
asked "which procedure?" and with which buttons (the message answers that), and which
procedure was being discussed before the message's own entity filled the slot.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ANSWER_ACTION = "action_answer_procedure"
# Events after which every slot starts empty (a new session sets the kept ones again).
_FORGETTING = frozenset({"restart", "session_started", "reset_slots"})


@dataclass(frozen=True)
class BotTurn:
    """The bot's turn just before the latest message: its action, the slots it set and
    the buttons it showed."""

    action: str | None
    slots: dict[str, Any] = field(default_factory=dict)
    buttons: list[dict[str, Any]] = field(default_factory=list)


def turn_before_latest_message(events: Iterable[Mapping[str, Any]]) -> BotTurn:
    """The last action (not ``action_listen``) before the latest user message, with the
    slots set and buttons shown after it; ``action`` is None when there is no such turn."""
    seen_user = False
    slots: dict[str, Any] = {}
    buttons: list[dict[str, Any]] = []
    for event in reversed(list(events)):
        kind = event.get("event")
        if not seen_user:
            seen_user = kind == "user"
            continue
        if kind == "slot":
            slots.setdefault(str(event.get("name")), event.get("value"))
        elif kind == "bot":
            buttons = [*((event.get("data") or {}).get("buttons") or []), *buttons]
        elif kind == "action" and event.get("name") != "action_listen":
            return BotTurn(action=event.get("name"), slots=slots, buttons=buttons)
        elif kind == "user":
            break
    return BotTurn(action=None)


def awaiting_choice(events: Iterable[Mapping[str, Any]]) -> bool:
    """True when the bot's turn before the latest message was the procedure action asking
    which procedure (it cleared the ``procedure`` slot), so the message answers that."""
    turn = turn_before_latest_message(events)
    return (
        turn.action == ANSWER_ACTION
        and "procedure" in turn.slots
        and turn.slots["procedure"] is None
    )


def answered_just_before(events: Iterable[Mapping[str, Any]]) -> str | None:
    """The procedure the procedure action answered about in the bot's turn before the
    latest message, else None."""
    turn = turn_before_latest_message(events)
    if turn.action != ANSWER_ACTION:
        return None
    return turn.slots.get("procedure")


def payload_procedure(payload: str) -> str | None:
    """The procedure of a button payload ``/ask_fee{"procedure":"khai_sinh"}``, else None."""
    _, brace, rest = payload.partition("{")
    if not brace:
        return None
    try:
        value = json.loads(brace + rest).get("procedure")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) and value else None


def offered_procedures(events: Iterable[Mapping[str, Any]]) -> list[str]:
    """The procedures of the buttons of the bot's "which procedure?" just before the
    latest message, in order; empty when the bot asked nothing of the kind."""
    events = list(events)
    if not awaiting_choice(events):
        return []
    buttons = turn_before_latest_message(events).buttons
    found = (payload_procedure(str(b.get("payload") or "")) for b in buttons)
    return [p for p in found if p]


def slot_before_latest_message(events: Iterable[Mapping[str, Any]], name: str) -> Any:
    """The value slot ``name`` had before the latest user message (its own entities fill
    slots after it), else None."""
    seen_user = False
    for event in reversed(list(events)):
        kind = event.get("event")
        if not seen_user:
            seen_user = kind == "user"
        elif kind == "slot" and event.get("name") == name:
            return event.get("value")
        elif kind in _FORGETTING:
            return None
    return None
