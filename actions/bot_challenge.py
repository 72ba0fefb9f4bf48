"""``action_bot_challenge``: "bạn là người hay máy" gets that this is an automated
assistant; a procedure question misread as that challenge gets its answer.

The classifier reads some questions as bot_challenge: "thế ai phải đi đăng ký" (0.51, right
after khai tử's answer), "bản vẽ có phải thuê công ty không hay tự vẽ được". The rule used
to answer them with "Tôi là Trợ lý công dân … không phải người thật". Now a message that
asks who goes, asks an aspect in so many words or names a procedure, and says nothing of
the bot itself, is answered as a procedure question about the procedure it names or the
one discussed; with no procedure to answer about, it gets the bot's reply as before.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.about_the_bot import asks_what_the_bot_does, speaks_of_the_bot
from actions.answering import AnsweringRedisAction
from actions.aspect_words import aspects_asked
from actions.follow_ups import OVERVIEW
from actions.procedures import procedure_entities
from actions.who_goes import asks_either_or, asks_who_goes
from actions.yes_no import asks_yes_no
from bot.logs import get_logger

log = get_logger(__name__)

MSG_IAMABOT = (
    "Tôi là Trợ lý công dân — trợ lý tự động của tỉnh Quảng Ninh, không phải người thật. "
    'Khi cần, bạn nhắn "gặp cán bộ" để được chuyển tới cán bộ một cửa.'
)
# A yes/no question of at least this many words asks something of the procedure ("ờ thế
# à" is a reaction).
MIN_YES_NO_WORDS = 5


def asked_of_a_procedure(text: str, *, names_one: bool) -> str | None:
    """The aspect a message read as bot_challenge asks of a procedure: the overview for
    who goes or a procedure named, else the aspect asked in so many words; None when it
    asks about the bot, or nothing of a procedure (pure)."""
    if speaks_of_the_bot(text):
        return None
    # "có phải đăng ký ko hay ở với nhau thôi" (batch 57): "… không hay …" asks too.
    yes_no = asks_yes_no(text) or asks_either_or(text)
    long_yes_no = yes_no and len(text.split()) >= MIN_YES_NO_WORDS
    if asks_who_goes(text) or names_one or long_yes_no:
        # "còn cái bằng xe máy A1 của vợ tôi có phải đổi không" (0.50): a yes/no
        # question on the procedure discussed.
        return next(iter(aspects_asked(text)), OVERVIEW)
    return next(iter(aspects_asked(text)), None)


class ActionBotChallenge(AnsweringRedisAction):
    """The reply to bot_challenge (see the module docstring)."""

    def name(self) -> str:
        return "action_bot_challenge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = str(tracker.latest_message.get("text") or "")
        named = bool(procedure_entities(tracker))
        if asks_what_the_bot_does(text) and not named:
            # "vậy bot trả lời đc cái gì": the greeting says what it does.
            log.info("kb.bot_challenge.what_it_does")
            dispatcher.utter_message(response="utter_greet")
            return []
        if not speaks_of_the_bot(text):
            # "giay phep lu hanh thi hoi ai" (batch 53, "ask whom"): a procedure no entry
            # holds, not who the bot is.
            steps = (self._answerer.answer_not_covered,)
            uncovered = await self.answer_first(dispatcher, tracker, steps)
            if uncovered is not None:
                return uncovered
        aspect = asked_of_a_procedure(text, names_one=named)
        if aspect is None or not (named or tracker.get_slot("procedure")):
            dispatcher.utter_message(text=MSG_IAMABOT)
            return []
        log.info("kb.bot_challenge.procedure_question", aspect=aspect)
        answer = partial(self._answerer.answer, intent=aspect)
        return await self.answer_first(dispatcher, tracker, (answer,)) or []
