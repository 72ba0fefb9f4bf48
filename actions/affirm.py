"""``action_affirm`` and ``action_deny``: "ok", "vâng", "không" with no question pending.

A "yes" right after a reply whose only button offers an official (the apology to a
complaint, a grievance, a dossier still not found: "uh chuyen di") asks for the official.

Typed without diacritics, "ở" is "o", which also reads as "ờ": right after an answer, "nha
em o Ha Long" reads as affirm. Such a statement of where the citizen lives is answered as
where to submit the procedure just discussed (:mod:`actions.follow_ups`). A question ending
in "k" reads as "không", deny: "chu nha phai ky k" asks who must sign, and is answered
from the procedure just discussed too; "ko cần cắt khẩu ở quê à" asks what the entry does
not hold, and gets the reply that says so (:mod:`actions.beyond_data`).
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.answering import AnsweringRedisAction
from actions.beyond_data import YES_NO_READINGS
from actions.confused import is_confused
from actions.dossier_lookup import answer_phone_after_subscribing
from actions.handoff import add_to_the_request
from actions.handoff_replies import HANDOFF, REQUEST_OFFICIAL
from actions.history import BotTurn, turn_before_latest_message
from bot.nlu.text import fold_words

# "ừ chuyển đi", "ok chuyển giúp", "gặp luôn" (folded): yes to an official offered, in a
# message the classifier may read as out of scope.
# Whole, so that "kể chuyện đi", "chuyển khẩu nha", "hẹn gặp lại" are none.
_ACCEPTS = re.compile(
    r"(?:(?:u|uh|uk|um|uhm|ok|oke|oki|okie|da|vang|co|duoc|dc|the|vay|z|thoi|thi|cho|toi|em|e"
    r"|minh) )*(?:chuyen|gap|noi)(?: (?:di|luon|giup|gium|ho|voi|nhe|nha|a|ak|e|em|toi|minh"
    # "thì nối đi còn chờ gì" (batch 109)
    r"|con cho gi|nhanh len|can bo|nguoi|nguoi that"
    r"|nhan vien|cho (?:toi|em|e|minh|t)))*"
)
MAX_ACCEPT_WORDS = 6
# A bare "ok" acknowledges the reply (folded): "oki" (batch 101) after "Hướng dẫn của tôi
# chưa có thủ tục kê khai, nộp thuế … hoặc bấm «Gặp cán bộ»" asked for no official.
_ONLY_OK = re.compile(r"(?:ok|oki|oke|okie|okay|okela|okk|ok ok)(?: (?:a|ak|nhe|nha|ad|ban))*")


def accepts_the_official(text: str) -> bool:
    """True for a short "yes, hand me over" ("ừ chuyển đi", "ok gặp luôn"; pure)."""
    words = fold_words(text).split()
    return 0 < len(words) <= MAX_ACCEPT_WORDS and bool(_ACCEPTS.fullmatch(" ".join(words)))


def offered_only_an_official(turn: BotTurn) -> bool:
    """True when the bot's ``turn`` offered an official and nothing else: its only button
    asks for one (an apology, a grievance, a dossier not found; pure)."""
    payloads = {str(b.get("payload") or "") for b in turn.buttons}
    return payloads == {REQUEST_OFFICIAL}


# How the out-of-scope and unclear replies offer an official, in words.
_OFFERED_IN_WORDS = "chuyển bạn tới cán bộ"


def offered_an_official(turn: BotTurn) -> bool:
    """True when the bot's ``turn`` offered an official, by its only button or in words
    ("… hoặc chuyển bạn tới cán bộ", out of scope; pure): "ừ chuyển đi" takes it up."""
    return offered_only_an_official(turn) or any(_OFFERED_IN_WORDS in t for t in turn.texts)


class ActionAffirm(AnsweringRedisAction):
    """The reply to a "yes" that answers no question of the bot's."""

    response = "utter_anything_else"
    accepts_an_official = True

    def name(self) -> str:
        return "action_affirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = str(tracker.latest_message.get("text") or "")
        turn = turn_before_latest_message(tracker.events)
        if self.accepts_an_official and (
            (offered_only_an_official(turn) and not _ONLY_OK.fullmatch(fold_words(text)))
            # "uh chuyen di" (batch 105) after "… hoặc chuyển bạn tới cán bộ".
            or (accepts_the_official(text) and offered_an_official(turn))
        ):
            # "uh chuyen di" right after "… bấm nút dưới đây để gặp cán bộ": yes to that.
            return [FollowupAction(HANDOFF)]
        if await add_to_the_request(self.redis, self.settings, dispatcher, tracker):
            return []  # "ok ghi nhận giúp e" right after the request for an official
        if answer_phone_after_subscribing(dispatcher, tracker):
            return []  # "0912345678 ạ, nhầm" (deny, batch 73) after a subscription reply
        # "ko cần cắt khẩu ở quê à" (deny) after the documents of thường trú: beyond them.
        beyond = partial(self._answerer.answer_beyond_data, readings=YES_NO_READINGS)
        answered = await self.answer_first(
            dispatcher, tracker, (self._answerer.answer_follow_up, beyond)
        )
        if answered is not None:
            return answered
        # "không hiểu" (deny 0.77) with no answer before it: what the bot can do.
        confused = is_confused(tracker.latest_message.get("text") or "")
        dispatcher.utter_message(response="utter_default" if confused else self.response)
        return []


class ActionDeny(ActionAffirm):
    """The reply to a "no" that answers no question of the bot's."""

    response = "utter_ok"
    accepts_an_official = False

    def name(self) -> str:
        return "action_deny"
