"""``action_fallback``: say politely what the bot can do, and keep the miss for editors.

The question (masked: phone numbers, ID numbers, dossier codes) goes to the Redis list
``{prefix}kb:unanswered``, newest first and capped, which the editor console reviews to
add aliases, training examples or new procedures. Redis trouble never costs the reply.
"""

from __future__ import annotations

import json
import time
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.redis_action import RedisAction
from bot.logs import get_logger
from bot.privacy import mask_text
from bot.settings import Settings

log = get_logger(__name__)

MAX_TEXT_CHARS = 500


def unanswered_key(settings: Settings) -> str:
    return f"{settings.redis.key_prefix}kb:unanswered"


def unanswered_entry(tracker: Tracker, *, now: float) -> dict[str, Any] | None:
    """The record kept for editors, or None when there is no text to keep."""
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
    }


class ActionFallback(RedisAction):
    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_default")
        settings = self.settings
        entry = unanswered_entry(tracker, now=time.time())
        if entry is None:
            return []
        key = unanswered_key(settings)
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.lpush(key, json.dumps(entry, ensure_ascii=False))
                pipe.ltrim(key, 0, max(settings.kb.unanswered_max_entries, 1) - 1)
                await pipe.execute()
            log.info("kb.unanswered.recorded", guess=entry["guess"], channel=entry["channel"])
        except Exception as exc:  # the reply is already out; keep the miss in the log at least
            log.warning("kb.unanswered.failed", error=str(exc)[:300], text=entry["text"])
        return []
