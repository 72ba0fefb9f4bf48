"""rasa_sdk Trackers as the action server receives them, and a conversation fed to the
procedure action turn by turn, for the action tests."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.procedures import ActionAnswerProcedure
from tests.project import DOMAIN


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


def buttons_shown(
    buttons: list[dict[str, str]], *, text: str = "?", slots: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Rasa's events for ``text`` answered by the out-of-scope action with ``buttons``
    (and ``slots`` set)."""
    return [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text},
        {"event": "action", "name": "action_out_of_scope"},
        {"event": "bot", "text": "…", "data": {"buttons": buttons}},
        *({"event": "slot", "name": k, "value": v} for k, v in (slots or {}).items()),
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


class Conversation:
    """Feeds turns to the action and carries its slot events into the next turn, keeping
    the event log in the order Rasa writes it (user, slot mapping, action, its events)."""

    def __init__(self, action: ActionAnswerProcedure) -> None:
        self.action = action
        self.slots: dict[str, Any] = {"procedure": None, "last_aspect": None}
        self.events: list[dict[str, Any]] = []

    async def say(
        self,
        text: str,
        intent: str,
        procedure: str | None = None,
        *,
        name: str | None = None,
        named: dict[str, str] | None = None,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """One turn; ``name`` is the entity's text in ``text`` (gives the entity offsets);
        ``named``: several procedures, their texts in ``text`` → their ids."""
        entity: dict[str, Any] = {"entity": "procedure", "value": procedure}
        if name is not None:
            start = text.index(name)
            entity.update(start=start, end=start + len(name))
        entities = [entity] if procedure else []
        for written, value in (named or {}).items():
            start = text.index(written)
            entities.append(
                {"entity": "procedure", "value": value, "start": start, "end": start + len(written)}
            )
            procedure = value
        self.events.append({"event": "user", "text": text})
        if procedure:  # Rasa's from_entity mapping fills the slot before the action runs
            self.slots["procedure"] = procedure
            self.events.append({"event": "slot", "name": "procedure", "value": procedure})
        tracker = listening_tracker(
            sender_id="test-user",
            slots=dict(self.slots),
            latest_message={
                "text": text,
                "intent": {"name": intent, "confidence": 0.99},
                "entities": entities,
            },
            events=list(self.events),
        )
        dispatcher = CollectingDispatcher()
        events = await self.action.run(dispatcher, tracker, DOMAIN)
        self.events.append({"event": "action", "name": self.action.name()})
        self.events += [
            {"event": "bot", "text": m.get("text"), "data": {"buttons": m.get("buttons") or []}}
            for m in dispatcher.messages
        ]
        for event in events:
            assert event["event"] == "slot"
            self.slots[event["name"]] = event["value"]
        self.events += [*events, {"event": "action", "name": "action_listen"}]
        return dispatcher.messages, events

    def other_turn(self, text: str, action: str) -> None:
        """A turn answered by another action (small talk, say)."""
        self.events += [
            {"event": "user", "text": text},
            {"event": "action", "name": action},
            {"event": "action", "name": "action_listen"},
        ]
