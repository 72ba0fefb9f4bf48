"""``action_fallback`` and ``action_out_of_scope``: say politely what the bot can do, and
keep the miss for editors.

Right after a procedure answer, a short message misread this way is first tried as a
follow-up on that procedure (:mod:`actions.follow_ups`) and answered from the knowledge
base instead; so is a question telling a life event that calls for a procedure ("anh em
muốn cưới vợ người Trung Quốc thì đăng ký ở đâu", :mod:`bot.kb.situations`). A life
event told with no question ("cty cho em nghỉ việc rồi") gets the reply, then that
procedure offered with a button per aspect.

A complaint about the bot ("bot ngu thế", :mod:`actions.complaints`) gets an apology and
a button to reach an official instead of the list of what the bot can do.

The question (masked: phone numbers, ID numbers, dossier codes) goes to the Redis list
``{prefix}kb:unanswered`` (:mod:`bot.kb.unanswered`), which ``make unanswered`` reads back
for editors to add aliases, training examples or new procedures: a procedure the
knowledge base lacks ("thủ tục nhận con nuôi") is read as out of scope, so those misses
are kept too. Redis trouble never costs the reply.
"""

from __future__ import annotations

import re
import time
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answering import AnsweringRedisAction
from actions.complaints import MSG_GRIEVANCE, is_complaint, is_grievance
from actions.confused import is_confused
from actions.dossier_lookup import answer_still_not_found
from actions.handoff import MSG_STILL_WAITING, is_impatient
from actions.history import (
    replied_to_latest_message,
    turn_before_latest_message,
)
from actions.planning import DEFAULT_ASPECT
from actions.procedures import BUTTONS_OFFICIAL, HANDOFF
from bot.kb.answers import clarification_question
from bot.kb.unanswered import record, unanswered_key
from bot.logs import get_logger
from bot.nlu.text import fold_words
from bot.privacy import mask_text

log = get_logger(__name__)

MAX_TEXT_CHARS = 500
# Folded: "(cho/xin/muốn) (tôi/em…) hỏi (về) (một) thủ tục (hành chính) (với/ạ/nhé)".
_UNNAMED = re.compile(
    r"(?:(?:ad|admin|ban|bot|oi|chao ban|alo) )*(?:(?:cho|xin|muon|can|dinh) )?"
    r"(?:(?:toi|em|e|minh|mk|chau|anh|chi|bac|tui) )?(?:(?:muon|can|xin) )?"
    r"(?:hoi|tu van|huong dan|lam)(?: (?:ve|giup|gium|cho|em|toi|minh|ti|chut|xiu))*"
    r"(?: (?:1|mot|cai|may))? (?:thu tuc|tt)(?: hanh chinh| hc)?"
    r"(?: (?:voi|vs|a|ak|nhe|nha|ad|di|admin|oi|ban|chut))*"
)
COMPLAINT = "utter_sorry_offer_official"
DEFAULT = "utter_default"


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


def asks_about_a_procedure_unnamed(text: str) -> bool:
    """True when ``text`` only says the citizen has a question about a procedure, naming
    none ("cho hỏi thủ tục", "em muốn hỏi về thủ tục hành chính ạ") (pure)."""
    return bool(_UNNAMED.fullmatch(fold_words(text)))


def fallback_response(text: str, response: str) -> str:
    """The response for a message no follow-up answered: someone annoyed with the bot
    gets an apology and an official, not the menu again; "?" or "không hiểu" gets what
    the bot can do, not "out of scope"."""
    if is_complaint(text):
        return COMPLAINT
    return DEFAULT if is_confused(text) else response


class ActionFallback(AnsweringRedisAction):
    """The reply for a message the bot did not understand, and the record of it."""

    response = DEFAULT

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if replied_to_latest_message(tracker.events):
            # The policies' fallback after the bot's own reply to this message (no rule
            # says what follows that reply): the message is answered; listen.
            log.info("kb.fallback.already_replied")
            return [FollowupAction("action_listen")]
        answered = self._answerer.answer_follow_up(dispatcher, tracker)
        if answered is None:
            answered = self._answerer.answer_situation(dispatcher, tracker)
        if answered is None:
            answered = self._answerer.answer_named(dispatcher, tracker)
        if answered is not None:
            return answered
        text = tracker.latest_message.get("text") or ""
        if asks_about_a_procedure_unnamed(text):
            # "cho hỏi thủ tục": which one? (the next message names it).
            log.info("kb.fallback.which_procedure")
            dispatcher.utter_message(
                text=clarification_question(DEFAULT_ASPECT, has_candidates=False)
            )
            return [SlotSet("procedure", None), SlotSet("last_aspect", DEFAULT_ASPECT)]
        if is_grievance(text) and not is_complaint(text):
            # "ko hài lòng, muốn khiếu nại": an official or the portal's feedback channel.
            log.info("kb.fallback.grievance")
            dispatcher.utter_message(text=MSG_GRIEVANCE, buttons=BUTTONS_OFFICIAL)
            return await self._record(tracker, [])
        if not is_complaint(text) and answer_still_not_found(dispatcher, tracker):
            # "dung ma do ma, toi nhap tu phieu hen day" right after a code not found.
            return []
        if is_impatient(text) and turn_before_latest_message(tracker.events).action == HANDOFF:
            log.info("handoff.wait.acknowledged")
            dispatcher.utter_message(text=MSG_STILL_WAITING)
            return []
        response = fallback_response(text, self.response)
        beyond = (
            None
            if response != self.response
            else self._answerer.answer_beyond_data(dispatcher, tracker)
        )
        if beyond is not None:
            offered, about = beyond, tracker.get_slot("procedure")
        else:
            dispatcher.utter_message(response=response)
            offered = (
                [] if response == COMPLAINT else self._answerer.offer_situation(dispatcher, tracker)
            )
            about = None
        return await self._record(tracker, offered, procedure=about)

    async def _record(
        self, tracker: Tracker, events: list[dict[str, Any]], *, procedure: str | None = None
    ) -> list[dict[str, Any]]:
        """Keep the question for editors (Redis trouble never costs the reply); returns
        ``events``."""
        entry = unanswered_entry(tracker, now=time.time(), procedure=procedure)
        if entry is None:
            return events
        settings = self.settings
        try:
            await record(
                self.redis,
                unanswered_key(settings.redis.key_prefix),
                entry,
                max_entries=settings.kb.unanswered_max_entries,
            )
            log.info(
                "kb.unanswered.recorded",
                intent=entry["intent"],
                guess=entry["guess"],
                channel=entry["channel"],
            )
        except Exception as exc:  # the reply is already out; keep the miss in the log at least
            log.warning("kb.unanswered.failed", error=str(exc)[:300], text=entry["text"])
        return events


class ActionOutOfScope(ActionFallback):
    """The reply for a question the assistant does not cover, and the record of it."""

    response = "utter_out_of_scope"

    def name(self) -> str:
        return "action_out_of_scope"
