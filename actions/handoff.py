"""``action_request_human``: record that the citizen asked for an official.

The agent console is not built yet, so the bot does not pretend an official will answer in
this chat: it records the request (Redis list ``{prefix}handoff:requests``, which the console
will read) and tells the citizen honestly where a person can help today.

Right after an answer, "có cần bố mẹ đi cùng không" can read as a request for an official
(0.51): an unsure reading of a question about who must go is answered instead, from the
procedure just discussed (:mod:`actions.follow_ups`), and no request is recorded.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import redis.asyncio as aioredis
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.answering import AnsweringRedisAction
from actions.aspect_words import aspects_asked
from actions.complaints import is_complaint
from actions.dossier_lookup import answer_phone_after_subscribing
from actions.dossier_reading import asks_for_an_official
from actions.handoff_replies import (
    HANDOFF,
    MSG_CONTACT_NOTED,
    MSG_DETAIL_NOTED,
    MSG_NOTED,
    MSG_STILL_WAITING,
    REPLY,
    handed_off,
    is_waiting,
    waits_for_the_official,
)
from actions.history import turn_before_latest_message
from actions.leaving import leaves_to_act
from actions.scams import warn_of_a_scam
from actions.thanks import ends_with_thanks
from actions.yes_no import asks_yes_no
from bot.logs import get_logger
from bot.nlu.text import fold_words
from bot.outbox import split_conversation_id
from bot.privacy import has_phone_number
from bot.settings import Settings

log = get_logger(__name__)

# Readings of a message the classifier could not place among the intents (the matter told).
UNPLACED = frozenset({"out_of_scope", "nlu_fallback"})
MIN_MATTER_WORDS = 3
_QUESTION_WORDS = frozenset(
    ("gi", "j", "sao", "nao", "dau", "bao", "bn", "ntn", "khong", "ko", "k", "chua", "ha", "a")
)
_NOTE_IT = re.compile(r"\b(?:ghi nhan|ghi lai|ghi giup|note)\b")
MAX_TEXT_CHARS = 500


def handoff_requests_key(settings: Settings) -> str:
    """The Redis list of recorded requests (the agent console will read it)."""
    return f"{settings.redis.key_prefix}handoff:requests"


async def record_request(
    redis: aioredis.Redis, settings: Settings, tracker: Tracker, *, kind: str = "request"
) -> None:
    """Push the latest message onto the requests list for the console, as ``kind``
    ("request", or "contact": a phone number or a note for the official, sent right after
    the request); Redis trouble is logged, never raised (the citizen still gets the
    reply). The text goes to the console as typed: the official needs the number; the
    log line carries none of it."""
    channel, _ = split_conversation_id(tracker.sender_id)
    request = {
        "conversation": tracker.sender_id,
        "channel": channel,
        "kind": kind,
        "text": (tracker.latest_message or {}).get("text", "")[:MAX_TEXT_CHARS],
        "at": time.time(),
    }
    try:
        await redis.rpush(handoff_requests_key(settings), json.dumps(request, ensure_ascii=False))
        log.info(
            "handoff.request.recorded", kind=kind, conversation=tracker.sender_id, channel=channel
        )
    except Exception as exc:
        log.warning("handoff.request.failed", kind=kind, error=str(exc)[:300])


def adds_to_the_request(text: str) -> bool:
    """True for what a citizen adds right after the request was recorded: a phone number
    to be called back on ("sđt e 0912345678, gọi giờ hành chính nhé"), or asking that it
    be noted ("thôi ghi nhận đi", "ok ghi lại giúp e")."""
    return has_phone_number(text) or bool(_NOTE_IT.search(fold_words(text)))


async def add_to_the_request(
    redis: aioredis.Redis, settings: Settings, dispatcher: CollectingDispatcher, tracker: Tracker
) -> bool:
    """Right after the request was recorded (:func:`handed_off`), a message that adds to
    it (:func:`adds_to_the_request`) is recorded with it for the console and acknowledged,
    without the number said back, and impatience or "when will someone answer" gets the
    honest wait reply; True when so, saying nothing otherwise."""
    text = str(tracker.latest_message.get("text") or "")
    if not handed_off(turn_before_latest_message(tracker.events)):
        return False
    if adds_to_the_request(text):
        await record_request(redis, settings, tracker, kind="contact")
        dispatcher.utter_message(text=MSG_CONTACT_NOTED if has_phone_number(text) else MSG_NOTED)
        return True
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent in UNPLACED and is_waiting(text):
        # "nhanh lên, chờ 15p rồi", "bao giờ thì có người trả lời": still no official here.
        log.info("handoff.wait.acknowledged")
        dispatcher.utter_message(text=MSG_STILL_WAITING)
        return True
    if intent in UNPLACED and tells_the_matter(text) and not is_complaint(text):
        # Not "máy móc vô dụng" (batch 109): the apology answers a complaint.
        # "việc đất đai, nhà tôi bị cấp sổ ghi nhầm diện tích" (out of scope): what the
        # official is to help with.
        await record_request(redis, settings, tracker, kind="detail")
        dispatcher.utter_message(text=MSG_DETAIL_NOTED)
        return True
    return False


# "thôi khỏi gặp cán bộ", "không cần nói chuyện với người thật nữa" (folded).
_DECLINES = re.compile(
    r"\b(?:khoi|khong can|ko can|k can|thoi khong|khong muon|ko muon) (?:gap|noi chuyen|chuyen|goi)"
    r"(?: (?:voi|vs))? (?:can bo|nguoi that|nguoi|nhan vien)\b"
)


def declines_the_official(text: str) -> bool:
    """True for "vậy thôi khỏi gặp cán bộ, cảm ơn" (pure): read as a request, it asks none."""
    return bool(_DECLINES.search(fold_words(text)))


def tells_the_matter(text: str) -> bool:
    """True for a statement of at least ``MIN_MATTER_WORDS`` words that asks nothing (no
    "?", no yes/no ending, no question word, no aspect): what the request is about."""
    words = fold_words(text).split()
    if len(words) < MIN_MATTER_WORDS or "?" in text or asks_yes_no(text) or aspects_asked(text):
        return False
    return not _QUESTION_WORDS & set(words)


class ActionRequestHuman(AnsweringRedisAction):
    def name(self) -> str:
        return HANDOFF

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if await add_to_the_request(self.redis, self.settings, dispatcher, tracker):
            # "sđt e 0912345678, gọi giờ hành chính nhé" (request_human 0.8) right after
            # the request: noted with it, not a second request.
            return [FollowupAction("action_listen")]
        if answer_phone_after_subscribing(dispatcher, tracker):
            # "sdt toi 0986 214 337" (request_human 0.8) right after a subscription reply.
            return [FollowupAction("action_listen")]
        text = str(tracker.latest_message.get("text") or "")
        if warn_of_a_scam(dispatcher, text):
            # "có người gọi tự xưng công an …" (request_human 0.79): a warning first; its
            # button still reaches an official.
            return [FollowupAction("action_listen")]
        if declines_the_official(text):
            # "vay thoi khoi gap can bo, cam on" (request_human, batch 72): no request.
            log.info("handoff.declined")
            dispatcher.utter_message(
                response="utter_thank" if ends_with_thanks(text) else "utter_ok"
            )
            return [FollowupAction("action_listen")]
        if leaves_to_act(text) and not asks_for_an_official(text):
            # "thoi de chieu goi" (request_human 0.75, batch 65): the citizen will call.
            log.info("handoff.leaving")
            dispatcher.utter_message(response="utter_ok")
            return [FollowupAction("action_listen")]
        if waits_for_the_official(text, tracker.events):
            # "cán bộ vẫn chưa vào à" (request_human) two turns after the request.
            log.info("handoff.wait.acknowledged")
            dispatcher.utter_message(text=MSG_STILL_WAITING)
            return [FollowupAction("action_listen")]
        answered = await self.answer_first(dispatcher, tracker, (self._answerer.answer_follow_up,))
        if answered is not None:
            return answered
        await record_request(self.redis, self.settings, tracker)
        dispatcher.utter_message(text=REPLY)
        # "có ai trực không, mình muốn hỏi về giấy phép xây dựng": what the bot can say.
        offered = self._answerer.offer_named(dispatcher, tracker)
        # Also run as the follow-up of a "yes" to an offered official (actions.affirm),
        # where no rule says what comes next: listen.
        return [*offered, FollowupAction("action_listen")]
