"""What the bot's turn before the latest message did, read from Rasa's event log.

The procedure actions need the conversation, not only the message: whether the bot just
answered about a procedure (a misread follow-up is about it, :mod:`actions.follow_ups`),
asked "which procedure?" and with which buttons (the message answers that), and which
procedure was being discussed before the message's own entity filled the slot.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# The slot only the procedure answer sets, whichever action ran it: action_answer_procedure,
# or the fallback and affirm actions answering a misread follow-up (actions.follow_ups).
ANSWER_SLOT = "last_aspect"
# The actions that answer a dossier's status: a found dossier sets ``dossier_code``.
STATUS_ANSWERS = frozenset({"action_dossier_form_submit", "action_check_dossier_status"})
# The bot's own replies to a message it did not answer.
MISSES = frozenset({"action_fallback", "action_out_of_scope"})
# Replies that leave the conversation where it was: "uh" after an answer got "Bạn cần tôi
# hỗ trợ thêm gì không ạ?", and "dc bn thang" still asks of the answer before (batch 51).
_BRIDGES = MISSES | {"action_affirm"}
# Actions that follow a form and may say nothing: the form's own reply is the turn.
_SILENT_AFTER_A_FORM = frozenset({"action_dossier_form_submit"})
# Events after which every slot starts empty (a new session sets the kept ones again).
_FORGETTING = frozenset({"restart", "session_started", "reset_slots"})


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


@dataclass(frozen=True)
class BotTurn:
    """The bot's turn just before the latest message: its action, the slots it set, the
    buttons it showed and the texts it sent."""

    action: str | None
    slots: dict[str, Any] = field(default_factory=dict)
    buttons: list[dict[str, Any]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def gave_status(self) -> bool:
        """The turn answered a dossier's status, found or not."""
        return self.action in STATUS_ANSWERS

    @property
    def found_dossier(self) -> str | None:
        """The code of the dossier the turn's status answer found, else None."""
        return self.slots.get("dossier_code") if self.gave_status else None

    @property
    def asked_which_one(self) -> bool:
        """The procedure answer asked which procedure (it cleared the ``procedure`` slot),
        so the latest message answers that."""
        return (
            ANSWER_SLOT in self.slots
            and "procedure" in self.slots
            and self.slots["procedure"] is None
        )

    @property
    def answered(self) -> str | None:
        """The procedure the turn answered about, else None; a misread follow-up answered
        counts, so the next follow-up is one too."""
        return self.slots.get("procedure") if ANSWER_SLOT in self.slots else None

    @property
    def offered(self) -> list[str]:
        """The procedures of the buttons of its "which procedure?", in order; empty when
        it asked nothing of the kind."""
        if not self.asked_which_one:
            return []
        found = (payload_procedure(str(b.get("payload") or "")) for b in self.buttons)
        return [p for p in found if p]


def turn_before_latest_message(events: Sequence[Mapping[str, Any]]) -> BotTurn:
    """The last action (not ``action_listen``) before the latest user message, with the
    slots set, buttons shown and texts sent after it; ``action`` is None when there is no
    such turn."""
    seen_user = False
    slots: dict[str, Any] = {}
    buttons: list[dict[str, Any]] = []
    texts: list[str] = []
    for event in reversed(events):
        kind = event.get("event")
        if not seen_user:
            seen_user = kind == "user"
            continue
        if kind == "slot":
            slots.setdefault(str(event.get("name")), event.get("value"))
        elif kind == "bot":
            buttons = [*((event.get("data") or {}).get("buttons") or []), *buttons]
            texts = [str(event.get("text") or ""), *texts]
        elif kind == "action" and event.get("name") != "action_listen":
            if event.get("name") in _SILENT_AFTER_A_FORM and not texts:
                # The form answered a question asked instead of a code, then stopped, and
                # its submit said nothing: the form's turn is the one (batch 53).
                continue
            return BotTurn(action=event.get("name"), slots=slots, buttons=buttons, texts=texts)
        elif kind == "user":
            break
    return BotTurn(action=None)


def turn_before_previous_message(events: Sequence[Mapping[str, Any]]) -> BotTurn:
    """The bot's turn before the user message that preceded the latest one (the turn
    before the bot's reply to that message); ``action`` None when there is none."""
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    return turn_before_latest_message(events[: users[-1]]) if users else BotTurn(action=None)


def earlier_user_texts(events: Sequence[Mapping[str, Any]]) -> list[str]:
    """The texts of the citizen's messages before the latest one, oldest first."""
    users = [str(e.get("text") or "") for e in events if e.get("event") == "user"]
    return users[:-1]


def previous_user_text(events: Sequence[Mapping[str, Any]]) -> str:
    """The text of the citizen's message before the latest one, else ""."""
    return next(iter(reversed(earlier_user_texts(events))), "")


def answered_before_a_miss(turn: BotTurn, events: Sequence[Mapping[str, Any]]) -> str | None:
    """The procedure answered just before one reply that missed: ``turn`` (the bot's turn
    before the latest message) is a miss, and the turn before the message it missed
    answered a procedure ("vay la 4 ng thoi nhi" got "chưa hiểu" after the BHYT fee); a
    bare acknowledgement of a "yes" counts as such a reply; else None."""
    if turn.action not in _BRIDGES:
        return None
    return turn_before_previous_message(events).answered


def offered_before_a_miss(turn: BotTurn, events: Sequence[Mapping[str, Any]]) -> list[str]:
    """The procedures a "which one?" offered just before one reply that missed ("sang tên
    xe" offered đăng ký xe and giấy phép lái xe, "chủ cũ ở Hải Phòng thì sao" got "out of
    scope", then "lệ phí bn ạ"); empty otherwise."""
    if turn.action not in MISSES:
        return []
    return turn_before_previous_message(events).offered


def slot_before_latest_message(events: Sequence[Mapping[str, Any]], name: str) -> Any:
    """The value slot ``name`` had before the latest user message (its own entities fill
    slots after it), else None."""
    seen_user = False
    for event in reversed(events):
        kind = event.get("event")
        if not seen_user:
            seen_user = kind == "user"
        elif kind == "slot" and event.get("name") == name:
            return event.get("value")
        elif kind in _FORGETTING:
            return None
    return None


def recent_bot_texts(events: Sequence[Mapping[str, Any]], *, turns: int) -> list[list[str]]:
    """The texts of the bot's last ``turns`` turns that sent any, before the latest user
    message, the most recent first (a turn: what the bot sent between two user messages)."""
    groups: list[list[str]] = []
    current: list[str] | None = None  # None until the latest user message is passed
    for event in reversed(events):
        kind = event.get("event")
        if kind in _FORGETTING or len(groups) == turns:
            break
        if kind == "user":
            if current:
                groups.append(current)
            current = []
        elif kind == "bot" and current is not None:
            current.insert(0, str(event.get("text") or ""))
    if current and len(groups) < turns:
        groups.append(current)
    return groups


def replied_to_latest_message(events: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the bot already sent something after the latest user message."""
    for event in reversed(events):
        kind = event.get("event")
        if kind == "bot":
            return True
        if kind == "user":
            return False
    return False


def runner_up(message: Mapping[str, Any]) -> str | None:
    """The classifier's best reading of the parsed ``message`` (Rasa's ``latest_message``)
    other than the one taken (and nlu_fallback)."""
    taken = (message.get("intent") or {}).get("name")
    names = (r.get("name") for r in message.get("intent_ranking") or [])
    return next((n for n in names if n not in (taken, "nlu_fallback")), None)
