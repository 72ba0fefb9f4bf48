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
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.about_the_bot import (
    MSG_ANSWERS_ANYTIME,
    asks_the_bots_name,
    asks_what_the_bot_does,
    asks_when_the_bot_answers,
)
from actions.affirm import accepts_the_official, offered_an_official
from actions.answering import AnsweringRedisAction
from actions.beyond_data import asks_when_the_office_opens
from actions.bot_challenge import MSG_IAMABOT
from actions.complaints import MSG_GRIEVANCE, is_complaint, is_grievance
from actions.confused import is_confused
from actions.dossier import MSG_BAD_FORMAT
from actions.dossier_lookup import (
    answer_phone_after_subscribing,
    answer_phone_alone,
    answer_still_not_found,
)
from actions.dossier_reading import follows_every_code_told
from actions.english import answer_in_english
from actions.greetings import greets_in_passing
from actions.handoff import add_to_the_request
from actions.handoff_replies import MSG_STILL_WAITING, impatient_after_the_request
from actions.history import replied_to_latest_message, runner_up, turn_before_latest_message
from actions.leaving import acknowledges, leaves_to_act
from actions.planning import ASKING_LEAD, DEFAULT_ASPECT
from actions.portal_trouble import answer_portal_trouble
from actions.privacy_notes import answer_personal_data_question
from actions.procedures import (
    BUTTONS_OFFICIAL,
    HANDOFF,
    MSG_HOURS_UNKNOWN,
    SUBSCRIBE,
    says_no_answer,
)
from actions.scams import warn_of_a_scam
from actions.thanks import praises, thanks_in_passing
from actions.unanswered import keep_unanswered
from bot.dossier_codes import attempted_code
from bot.kb.answers import clarification_question
from bot.logs import get_logger
from bot.nlu.text import fold_words

log = get_logger(__name__)

# Folded: "(cho/xin/muốn) (tôi/em…) hỏi (về) (một) thủ tục (hành chính) (với/ạ/nhé)".
_UNNAMED = re.compile(
    ASKING_LEAD + r"(?:hoi|tu van|huong dan|lam)(?: (?:ve|giup|gium|cho|em|toi|minh|ti|chut|xiu))*"
    r"(?: (?:1|mot|cai|may))? (?:thu tuc|tt|giay to|giay tu)(?: hanh chinh| hc)?"
    # "hoi ve giay to cho chau" (batch 48): for whom, still no procedure.
    r"(?: cho (?:chau|con|be|me|bo|vo|chong|ong|ba|nguoi nha|gia dinh)(?: (?:em|toi|minh))?)?"
    r"(?: (?:voi|vs|a|ak|nhe|nha|ad|di|admin|oi|ban|chut|xiu|ti|it))*"
)
# Folded: "(ad ơi) cho (em) hỏi (chút/tí) (ạ)", "mình muốn hỏi", "hỏi xíu": a question to come.
_MAY_I_ASK = re.compile(
    ASKING_LEAD + r"hoi"
    r"(?: (?:chut|ti|xiu|it|cai|1 cau|mot cau|voi|vs|a|ak|nhe|nha|ad|admin|oi|ban|duoc khong|dc ko|dc k))*"
)
# Folded: the bot called and nothing more ("cháu ơi", "ad ơi", "bot oi"): a question to come.
_CALLING = re.compile(
    r"(?:(?:alo|a lo|e|a|da|ui|oi) )*(?:ad|admin|ban|bn|bot|chau|em|e|anh|chi|tro ly|chatbot)"
    r"(?: oi)+(?: (?:a|ak|nhe|nha|day|dau))*"
)
# "hồ sơ" said beside a code-like number (folded): a dossier code mistyped ("mã giảm giá
# 240603-12" is none).
_A_DOSSIER = re.compile(r"\b(?:ho so|hs)\b")
COMPLAINT = "utter_sorry_offer_official"
STATUS_INTENT = "check_dossier_status"
DEFAULT = "utter_default"


def asks_to_ask(text: str) -> bool:
    """True when ``text`` only says a question is coming ("cho e hỏi", "ad ơi cho mình hỏi
    chút", "cháu ơi"; pure): the greeting, which says what the bot can do, answers it."""
    words = fold_words(text)
    return bool(_MAY_I_ASK.fullmatch(words) or _CALLING.fullmatch(words))


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
        if await add_to_the_request(self.redis, self.settings, dispatcher, tracker):
            return []  # "thôi ghi nhận đi" right after the request for an official
        if answer_phone_after_subscribing(dispatcher, tracker):
            return []  # "so toi 0986…" right after a subscription reply
        text = str(tracker.latest_message.get("text") or "")
        if answer_phone_alone(dispatcher, text):
            return []  # "0904567321" where a dossier code was meant
        if (
            warn_of_a_scam(dispatcher, text)
            or answer_portal_trouble(dispatcher, text)
            or answer_in_english(dispatcher, text)
        ):
            # A pasted text message "… truy cap http://vneid-gov.com de xac thuc" có phải
            # thật không; "vneid đăng nhập lỗi hoài".
            return await self._record(tracker, [])
        if follows_every_code_told(tracker):
            # "đăng ký báo cho e cả 3 luôn" (out of scope) after the status of three codes.
            log.info("dossier.subscribe.all_told")
            return [FollowupAction(SUBSCRIBE)]
        if impatient_after_the_request(text, tracker.events):
            # "nhanh len toi dang ban" two turns after the request (batch 65).
            log.info("handoff.wait.acknowledged")
            dispatcher.utter_message(text=MSG_STILL_WAITING)
            return []
        if not fold_words(text) and not is_confused(text):
            # "🙂", "👍" (batch 54): no words, nothing asked; "anything else?".
            log.info("kb.fallback.no_words")
            dispatcher.utter_message(response="utter_anything_else")
            return []
        if accepts_the_official(text):
            # "ừ chuyển đi" (out of scope) right after "… bấm nút dưới đây để gặp cán bộ";
            # "uk chuyen giup e nhe" (batch 107) with no offer before: an official too.
            log.info(
                "kb.fallback.official_accepted",
                offered=offered_an_official(turn_before_latest_message(tracker.events)),
            )
            return [FollowupAction(HANDOFF)]
        if answer_personal_data_question(dispatcher, text):
            return []  # "bot có lưu số căn cước tôi vừa gửi không"
        if leaves_to_act(text) or acknowledges(text):
            # "ok để mai mk làm" (batch 56) right after an answer is no follow-up of it.
            log.info("kb.fallback.leaving")
            dispatcher.utter_message(response="utter_ok")
            return []
        answerer = self._answerer
        answered = await self.answer_first(
            dispatcher,
            tracker,
            (
                answerer.answer_not_covered,
                answerer.answer_still_not_covered,
                answerer.answer_follow_up,
                answerer.answer_situation,
                answerer.answer_named,
                answerer.answer_spoilt_papers,
            ),
        )
        if answered is not None:
            return answered
        if thanks_in_passing(text) or praises(text):
            # Read as unclear for the words around the thanks: thanked back.
            log.info("kb.fallback.thanks")
            dispatcher.utter_message(response="utter_thank")
            return []
        if greets_in_passing(text):
            # "Chào buổi sáng nhé bot, nay Hạ Long mưa quá trời" (batch 106): hello.
            log.info("kb.fallback.greeting")
            dispatcher.utter_message(response="utter_greet")
            return []
        if asks_the_bots_name(text):
            log.info("kb.fallback.bot_name")
            dispatcher.utter_message(text=MSG_IAMABOT)
            return []
        if asks_when_the_bot_answers(text):
            log.info("kb.fallback.bot_hours")
            dispatcher.utter_message(text=MSG_ANSWERS_ANYTIME)
            return []
        if asks_to_ask(text) or asks_what_the_bot_does(text):
            # "cho e hỏi" (out of scope 0.98): ask away (the greeting lists what I do);
            # "vậy bot làm được gì" too.
            log.info("kb.fallback.question_to_come")
            dispatcher.utter_message(response="utter_greet")
            return []
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
        attempted = attempted_code(text)
        mistyped = runner_up(tracker.latest_message) == STATUS_INTENT or bool(
            _A_DOSSIER.search(fold_words(text))
        )
        if attempted is not None and mistyped:
            # "tra ho so 000.00.22.H45-240603-12" (out of scope 0.52, status 0.45), "ho so
            # sang ten o to ma 000.00.15-251119-0045" (batch 89, no agency): a code mistyped,
            # as the dossier form would say.
            log.info("dossier.code.bad_format_outside_form")
            dispatcher.utter_message(text=MSG_BAD_FORMAT.format(text=attempted[:40]))
            dispatcher.utter_message(response="utter_ask_dossier_code")
            return []
        if not is_complaint(text) and answer_still_not_found(dispatcher, tracker):
            # "dung ma do ma, toi nhap tu phieu hen day" right after a code not found.
            return []
        response = fallback_response(text, self.response)
        beyond = (
            None
            if response != self.response
            else self._answerer.answer_beyond_data(dispatcher, tracker)
        )
        if beyond is not None and not says_no_answer(dispatcher.messages):
            return beyond  # "chủ nhật có làm không" after căn cước: its hours, answered
        if beyond is not None:
            offered, about = beyond, tracker.get_slot("procedure")
        elif response == self.response and asks_when_the_office_opens(text):
            # "phường mở cửa thứ 7 ko" with no procedure just answered (batch 56): no entry
            # holds every office's hours; call the desk first, or an official.
            log.info("kb.fallback.opening_hours_unknown")
            dispatcher.utter_message(text=MSG_HOURS_UNKNOWN, buttons=BUTTONS_OFFICIAL)
            offered, about = [], None
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
        """Keep the question for editors (:func:`keep_unanswered`); returns ``events``."""
        await keep_unanswered(self.redis, self.settings, tracker, procedure=procedure)
        return events


class ActionOutOfScope(ActionFallback):
    """The reply for a question the assistant does not cover, and the record of it."""

    response = "utter_out_of_scope"

    def name(self) -> str:
        return "action_out_of_scope"
