"""What the bot could not answer, kept for editors: the record (masked) and its push onto
the Redis list ``{prefix}kb:unanswered`` (:mod:`bot.kb.unanswered`, ``make unanswered``).

Two kinds of miss are kept: a message the bot did not understand or does not cover (the
fallback and out-of-scope replies), and a question on a known procedure its entry cannot
answer (the "no information on this" and "nothing more than what I sent" replies), kept
with that procedure so editors see which entry lacks what. Redis trouble never costs the
reply: the miss then goes to the log.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

import redis.asyncio as aioredis
from rasa_sdk import Tracker

from bot.kb.unanswered import record, unanswered_key
from bot.logs import get_logger
from bot.privacy import mask_text
from bot.settings import Settings

log = get_logger(__name__)

MAX_TEXT_CHARS = 500


def unanswered_entry(
    tracker: Tracker, *, now: float, procedure: str | None = None
) -> dict[str, Any] | None:
    """The record kept for editors, or None when there is no text to keep; ``procedure``
    is the one the question was about, when the bot knew but its entry had no answer."""
    text = (tracker.latest_message.get("text") or "").strip()
    if not text:
        return None
    intent = tracker.latest_message.get("intent") or {}
    ranking = tracker.latest_message.get("intent_ranking") or []
    # nlu_fallback hides what the classifier guessed; the runner-up helps editors.
    guess = next((r for r in ranking if r.get("name") != "nlu_fallback"), {})
    return {
        "text": mask_text(text)[:MAX_TEXT_CHARS],
        "intent": intent.get("name"),
        "guess": guess.get("name"),
        "confidence": guess.get("confidence"),
        "channel": tracker.get_latest_input_channel(),
        "ts": round(now, 3),
        **({"procedure": procedure} if procedure else {}),
    }


def procedure_set(events: Iterable[Mapping[str, Any]]) -> str | None:
    """The value the ``procedure`` slot is last set to by ``events``, else None (pure)."""
    value = None
    for event in events:
        if event.get("event") == "slot" and event.get("name") == "procedure":
            value = event.get("value")
    return str(value) if value else None


async def keep_unanswered(
    redis: aioredis.Redis,
    settings: Settings,
    tracker: Tracker,
    *,
    procedure: str | None = None,
) -> None:
    """Push the latest message onto the editors' list (:func:`unanswered_entry`); never
    raises."""
    entry = unanswered_entry(tracker, now=time.time(), procedure=procedure)
    if entry is None:
        return
    try:
        await record(
            redis,
            unanswered_key(settings.redis.key_prefix),
            entry,
            max_entries=settings.kb.unanswered_max_entries,
        )
        log.info(
            "kb.unanswered.recorded",
            intent=entry["intent"],
            guess=entry["guess"],
            channel=entry["channel"],
            procedure=procedure,
        )
    except Exception as exc:  # the reply is already out; keep the miss in the log at least
        log.warning("kb.unanswered.failed", error=str(exc)[:300], text=entry["text"])
