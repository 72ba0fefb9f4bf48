"""rasa_sdk Trackers as the action server receives them, for the action tests."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def listening_tracker(
    *,
    sender_id: str,
    latest_message: dict[str, Any],
    slots: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    """The tracker of a conversation whose latest event is the user's message: no form
    active, the bot was listening."""
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest_message,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def parsed_message(
    text: str,
    ranking: list[tuple[str, float]],
    *,
    intent: tuple[str, float] | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A parse result as Rasa puts it in ``latest_message``: the fallback classifiers
    put ``nlu_fallback`` first, then the classifier's own ranking."""
    name, confidence = intent or ranking[0]
    ranked = [{"name": n, "confidence": c} for n, c in ranking]
    if name == "nlu_fallback":
        ranked.insert(0, {"name": name, "confidence": confidence})
    return {
        "text": text,
        "intent": {"name": name, "confidence": confidence},
        "intent_ranking": ranked,
        "entities": entities or [],
    }


def answered_events(procedure: str | None) -> list[dict[str, Any]]:
    """Rasa's events for "làm căn cước cần gì" answered (or asked "which one?")."""
    return [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "làm căn cước cần gì"},
        {"event": "action", "name": "action_answer_procedure"},
        {"event": "bot", "text": "…"},
        {"event": "slot", "name": "procedure", "value": procedure},
        {"event": "slot", "name": "last_aspect", "value": "ask_documents"},
        {"event": "action", "name": "action_listen"},
    ]


def tracker_after(message: dict[str, Any], events: list[dict[str, Any]]) -> Tracker:
    """The tracker of ``message`` arriving after ``events`` (their slots set)."""
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return listening_tracker(
        sender_id="zalo:123",
        slots={"procedure": None, "last_aspect": None, **slots},
        latest_message=message,
        events=[*events, {"event": "user", "text": message["text"], "input_channel": "zalo"}],
    )
