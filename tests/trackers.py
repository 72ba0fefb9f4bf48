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
