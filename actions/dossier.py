"""Dossier actions: status look-up, the dossier form, subscribe and unsubscribe.

Flow (rules in nlu_data/rules/dossier.yml): ``check_dossier_status`` / ``subscribe_dossier``
→ ``action_start_dossier_form`` (records the purpose, keeps or clears the code) →
``dossier_form`` (asks for the code unless it is known; ``validate_dossier_form`` accepts
any reasonable spelling) → ``action_dossier_form_submit`` (status answer or subscription).
A status answer offers a subscription; ``affirm`` right after it subscribes.

The look-up and the subscription are in :mod:`actions.dossier_lookup`, what the message
says in :mod:`actions.dossier_reading`, the clients in :mod:`actions.dossier_services`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.beyond_data import asks_what_if
from actions.code_corrections import corrected_code
from actions.complaints import MSG_GRIEVANCE, is_grievance
from actions.dossier_lookup import answer_status, answer_still_not_found, subscribe
from actions.dossier_reading import (
    BEYOND,
    asks_a_procedure_question,
    asks_for_an_official,
    code_from_message,
    code_referred,
    codes_from_message,
    codes_told_before,
    follows_every_code_told,
    is_stop,
    names_a_dossier,
    names_a_dossier_as_typed,
    names_notifications,
    procedure_question_read_as_status,
    question_instead_of_a_code,
    refers_to_the_dossier_before,
    stops_notifications,
    turns_them_off,
)
from actions.dossier_services import DossierServices, get_services, use_services
from actions.handoff import add_to_the_request
from actions.handoff_replies import handed_off
from actions.history import turn_before_latest_message
from actions.leaving import leaves_to_act
from actions.privacy_notes import answer_personal_data_question, note_id_not_needed
from actions.procedures import (
    BUTTONS_OFFICIAL,
    HANDOFF,
    MSG_BEYOND_DATA,
    SUBSCRIBE,
    ActionAnswerProcedure,
    keep_if_no_answer,
    procedure_entities,
    says_no_answer,
)
from bot.dossier_codes import attempted_code, find_codes
from bot.logs import get_logger

log = get_logger(__name__)

# --- what the citizen reads -------------------------------------------------------------

MSG_BAD_FORMAT = (
    "Mã “{text}” chưa đúng định dạng. Mã hồ sơ gồm mã cơ quan (kết thúc bằng H49), ngày nộp "
    "(6 chữ số) và số thứ tự, nối bằng dấu gạch ngang."
)
MSG_NEED_CODE = "Để tra cứu, tôi cần mã hồ sơ của bạn."
MSG_FORM_STOPPED = "Dạ vâng. Khi cần tra cứu, bạn cứ gửi mã hồ sơ cho tôi nhé."
MSG_FORM_GIVE_UP = (
    "Tôi vẫn chưa nhận được mã hồ sơ hợp lệ. Bạn xem lại Giấy tiếp nhận hồ sơ và hẹn trả kết quả, "
    'hoặc nhắn "gặp cán bộ" để được hỗ trợ nhé.'
)
MSG_NOT_OFFERED = "Dạ vâng. Bạn cần tôi hỗ trợ thêm gì không ạ?"
MSG_UNSUBSCRIBED_ONE = "Đã hủy theo dõi hồ sơ {code}. Tôi sẽ không nhắn về hồ sơ này nữa."
MSG_UNSUBSCRIBED_ALL = (
    "Đã hủy theo dõi {count} hồ sơ: {codes}. Tôi sẽ không nhắn về các hồ sơ này nữa."
)
MSG_NOTHING_TO_UNSUBSCRIBE = "Bạn chưa đăng ký theo dõi hồ sơ nào nên không cần hủy ạ."
MSG_NOT_SUBSCRIBED = "Bạn chưa đăng ký theo dõi hồ sơ {code} ạ."
MAX_CODE_ATTEMPTS = 3


def beyond_the_answer_read_as_status(
    answerer: ActionAnswerProcedure, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]] | None:
    """Right after a procedure answer, a question on what follows from a situation that
    says "chưa" and so reads as a status question ("cty chưa trả sổ bh thì sao",
    check_dossier_status 0.74): say the entry holds no answer and offer what it does
    (:data:`MSG_BEYOND_DATA`); None, saying nothing, when it names a dossier or is no such
    question."""
    procedure = turn_before_latest_message(tracker.events).answered
    text = str(tracker.latest_message.get("text") or "")
    if procedure is None or not asks_what_if(text) or names_a_dossier(text):
        return None
    log.info("dossier.status.read_as_beyond_data", procedure=procedure)
    return answerer.offer_aspects(dispatcher, tracker, procedure, template=MSG_BEYOND_DATA)


# --- actions ----------------------------------------------------------------------------------


class ActionStartDossierForm(Action):
    """Records why the form runs; a status question without a code gets asked for one."""

    def name(self) -> str:
        return "action_start_dossier_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        turn = turn_before_latest_message(tracker.events)
        text = str(tracker.latest_message.get("text") or "")
        if handed_off(turn):
            # "Số tôi 0904 222 333, bảo họ gọi trước 5h" (read as subscribe) right after
            # the request for an official: noted with it.
            services = get_services()
            if await add_to_the_request(services.redis, services.settings, dispatcher, tracker):
                return [FollowupAction("action_listen")]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        purpose = "subscribe" if intent == "subscribe_dossier" else "status"
        if purpose == "subscribe" and follows_every_code_told(tracker):
            # "đăng ký báo cho e cả 3 luôn" after the status of three dossiers: each.
            log.info("dossier.subscribe.all_told")
            return [FollowupAction(SUBSCRIBE)]
        # A code typed whole, else one corrected by its digits ("0015 chứ k phải 0051").
        code = code_from_message(tracker) or corrected_code(
            text, turn, tracker.events, tracker.get_slot("dossier_code")
        )
        if code is None and answer_personal_data_question(dispatcher, text):
            # "thông tin của tôi có được bảo mật không" (subscribe_dossier 0.60).
            return [FollowupAction("action_listen")]
        if code is None and asks_for_an_official(text):
            # "tôi cần nói chuyện với cán bộ…, hồ sơ nộp từ tháng 4 chưa có kết quả": the
            # official, not a code asked for.
            log.info("dossier.status.official_asked")
            return [FollowupAction(HANDOFF)]
        if code is None and leaves_to_act(text):
            # "de khi nop xong co ma r nho e" (subscribe 0.85, batch 62): back later.
            log.info("dossier.form.leaving")
            dispatcher.utter_message(response="utter_ok")
            return [FollowupAction("action_listen")]
        if code is None:
            # "cái thứ 2 … sao vẫn chưa xử lý" after two codes were looked up: the second.
            code = code_referred(text, tracker.events)
        if code is None and purpose == "status" and refers_to_the_dossier_before(text):
            # "thế hs của e lúc nãy có bị thiếu giấy đó ko" after a procedure question in
            # between: the dossier looked up before, not a new code asked for.
            code = tracker.get_slot("dossier_code")
            if code:
                log.info("dossier.status.dossier_before")
        if code is None:
            # An unsure status reading of a question about who goes, right after an answer
            # ("nhờ con trai đi nộp hồ sơ thay đc k"), or of a procedure question: answer
            # it, and do not ask for a code (the rule would run the form next).
            answerer = ActionAnswerProcedure()
            answered = answerer.answer_follow_up(dispatcher, tracker)
            if answered is None:
                aspect = procedure_question_read_as_status(tracker.latest_message)
                if aspect is not None:
                    log.info("dossier.status.read_as_procedure_question", aspect=aspect)
                    answered = answerer.answer(dispatcher, tracker, intent=aspect)
            if answered is None and purpose == "status":
                answered = beyond_the_answer_read_as_status(answerer, dispatcher, tracker)
            if answered is None and not names_a_dossier_as_typed(text):
                # "sao lai the, nha ben canh o sau ma co so roi" (status, batch 67).
                answered = answerer.answer_why(dispatcher, tracker)
            if answered is not None:
                if says_no_answer(dispatcher.messages):  # kept for editors, as elsewhere
                    services = get_services()  # only then: no Redis for the usual answers
                    await keep_if_no_answer(
                        services.redis, services.settings, dispatcher, tracker, answered
                    )
                return [*answered, FollowupAction("action_listen")]
            if purpose == "status" and answer_still_not_found(dispatcher, tracker):
                # "sao lâu thế, nộp từ tháng trước rồi mà" right after a code not found.
                return [FollowupAction("action_listen")]
            if purpose == "subscribe" and turns_them_off(text):
                # "… có kq rồi vẫn nhắn, tắt kiểu gì" (subscribe, batch 73): stopping them.
                log.info("dossier.subscribe.read_as_stop")
                return [FollowupAction("action_unsubscribe_dossier")]
            if purpose == "subscribe" and not names_notifications(text):
                # "nha e co so ho can ngheo thi sao" (subscribe 0.47, batch 66) speaks of no
                # notification and no dossier: no code to ask for; the fallback reads it.
                log.info("dossier.subscribe.no_notifications_named")
                return [FollowupAction("action_fallback")]
            if is_grievance(text):
                # "can bo dia chinh xa e hanh dan, ho so nop 3 thang chua giai quyet"
                # (status, batch 66): the grievance reply, which asks for the code too.
                log.info("dossier.status.grievance")
                dispatcher.utter_message(text=MSG_GRIEVANCE, buttons=BUTTONS_OFFICIAL)
                return [FollowupAction("action_listen")]
        if code is None:
            # "số CCCD của tôi là 0221…": not how dossiers are looked up (said once).
            note_id_not_needed(dispatcher, text)
        events = [SlotSet("dossier_purpose", purpose), SlotSet("dossier_code_attempts", 0)]
        if code or purpose == "status":
            # Subscribing without a code means "the dossier we just talked about".
            events.append(SlotSet("dossier_code", code))
        return events


def _form_stopped(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an answer given instead of a code set, with the form stopped."""
    return {
        **{e["name"]: e["value"] for e in events if e.get("event") == "slot"},
        "dossier_code": None,
        "requested_slot": None,
        "dossier_code_attempts": 0,
    }


class ValidateDossierForm(FormValidationAction):
    def name(self) -> str:
        return "validate_dossier_form"

    async def validate_dossier_code(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        text = str(slot_value or "")
        found = find_codes(text) or find_codes(tracker.latest_message.get("text") or "")
        if found:
            return {"dossier_code": found[0].code, "dossier_code_attempts": 0}
        attempts = int(tracker.get_slot("dossier_code_attempts") or 0) + 1
        aspect = asks_a_procedure_question(tracker.latest_message)
        if aspect is not None:
            # The citizen moved on: answer that, and stop waiting for a code.
            log.info("dossier.form.moved_on", aspect=aspect)
            return _form_stopped(ActionAnswerProcedure().answer(dispatcher, tracker, intent=aspect))
        if is_stop(tracker, text):
            dispatcher.utter_message(text=MSG_FORM_STOPPED)
            return {"dossier_code": None, "requested_slot": None, "dossier_code_attempts": 0}
        answered = self._answer_instead(dispatcher, tracker, text)
        if answered is not None:
            return answered
        if attempts >= MAX_CODE_ATTEMPTS:
            dispatcher.utter_message(text=MSG_FORM_GIVE_UP)
            return {"dossier_code": None, "requested_slot": None, "dossier_code_attempts": 0}
        # The slot may hold nothing of it ("kiem tra giup ho so ma 000.00.12.H49-251002-15").
        attempted = attempted_code(text) or attempted_code(
            str(tracker.latest_message.get("text") or "")
        )
        if attempted is not None:
            dispatcher.utter_message(text=MSG_BAD_FORMAT.format(text=attempted[:40]))
        else:
            dispatcher.utter_message(text=MSG_NEED_CODE)
        log.info("dossier.form.bad_code", attempt=attempts)
        return {"dossier_code": None, "dossier_code_attempts": attempts}

    @staticmethod
    def _answer_instead(
        dispatcher: CollectingDispatcher, tracker: Tracker, text: str
    ) -> dict[str, Any] | None:
        """A question of the procedure discussed asked instead of a code
        (:func:`question_instead_of_a_code`): answered, and the form stops waiting; None,
        saying nothing, otherwise."""
        message = tracker.latest_message
        if attempted_code(text) or attempted_code(str(message.get("text") or "")):
            return None
        named = procedure_entities(tracker)
        procedure = named[0] if named else tracker.get_slot("procedure")
        asked = question_instead_of_a_code(message, procedure)
        if asked is None:
            return None
        log.info("dossier.form.question_instead", aspect=asked)
        answerer = ActionAnswerProcedure()
        if asked == BEYOND:
            events = answerer.offer_aspects(
                dispatcher, tracker, str(procedure), template=MSG_BEYOND_DATA
            )
        else:
            events = answerer.answer(dispatcher, tracker, intent=asked)
        return _form_stopped(events)


class ActionDossierFormSubmit(Action):
    """After the form: the status answer, or the subscription, by ``dossier_purpose``."""

    def name(self) -> str:
        return "action_dossier_form_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        code = tracker.get_slot("dossier_code")
        if not code:  # the citizen stopped the form
            return []
        services = get_services()
        if tracker.get_slot("dossier_purpose") == "subscribe":
            return await subscribe(services, dispatcher, tracker, code)
        # Several codes typed in the message that gave this one: each gets its status.
        typed = codes_from_message(tracker)
        return await answer_status(
            services, dispatcher, tracker, typed if code in typed else [code]
        )


class ActionCheckDossierStatus(Action):
    def name(self) -> str:
        return "action_check_dossier_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        codes = codes_from_message(tracker) or [tracker.get_slot("dossier_code")]
        # Only ever run as a follow-up of another action's reply: listen next, whatever the
        # policies would predict (a fallback predicted here answered the same message again
        # until Rasa's circuit breaker tripped, which leaves the conversation mute).
        if not codes[0]:
            dispatcher.utter_message(response="utter_ask_dossier_code")
            return [FollowupAction("action_listen")]
        answered = await answer_status(get_services(), dispatcher, tracker, codes)
        return [*answered, FollowupAction("action_listen")]


class ActionSubscribeDossier(Action):
    def name(self) -> str:
        return SUBSCRIBE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "affirm" and not tracker.get_slot("dossier_subscribe_offered"):
            # "có" with no offer pending: nothing to subscribe to.
            dispatcher.utter_message(text=MSG_NOT_OFFERED)
            return []
        if follows_every_code_told(tracker):
            # "đăng ký báo cho e cả 3 luôn" right after the status of three dossiers.
            events: list[dict[str, Any]] = []
            for told in codes_told_before(tracker):
                events += await subscribe(get_services(), dispatcher, tracker, told)
            # Run as a follow-up of another action's reply too: listen next.
            return [*events, FollowupAction("action_listen")]
        code = code_from_message(tracker) or tracker.get_slot("dossier_code")
        if not code:
            dispatcher.utter_message(response="utter_ask_dossier_code")
            return []
        return await subscribe(get_services(), dispatcher, tracker, code)


class ActionUnsubscribeDossier(Action):
    def name(self) -> str:
        return "action_unsubscribe_dossier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        code = code_from_message(tracker)
        if code is None:
            answered = self.answer_misread(dispatcher, tracker)
            if answered is not None:
                return answered
        store = get_services().subscriptions
        conversation = tracker.sender_id
        if code:
            removed = await store.unsubscribe(code=code, conversation_id=conversation)
            text = (MSG_UNSUBSCRIBED_ONE if removed else MSG_NOT_SUBSCRIBED).format(code=code)
            dispatcher.utter_message(text=text)
            log.info("dossier.unsubscribe.one", code=code, removed=removed)
            return []
        if not names_notifications(str(tracker.latest_message.get("text") or "")):
            # "thui ok k can tl nua dau" (batch 54): no more replies wanted, which cancels
            # nothing; "Dạ vâng", not "you follow no dossier".
            log.info("dossier.unsubscribe.nothing_asked")
            dispatcher.utter_message(response="utter_ok")
            return []
        codes = await store.unsubscribe_all(conversation)
        if not codes:
            dispatcher.utter_message(text=MSG_NOTHING_TO_UNSUBSCRIBE)
        elif len(codes) == 1:
            dispatcher.utter_message(text=MSG_UNSUBSCRIBED_ONE.format(code=codes[0]))
        else:
            dispatcher.utter_message(
                text=MSG_UNSUBSCRIBED_ALL.format(count=len(codes), codes=", ".join(codes))
            )
        log.info("dossier.unsubscribe.all", count=len(codes))
        return []

    @staticmethod
    def answer_misread(
        dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]] | None:
        """ "còn nữa ko" reads as unsubscribe 0.89: right after a procedure answer, a
        message that says nothing of stopping gets the rest of a documents list, or what
        more to ask, and cancels nothing; None when it does ask to stop."""
        turn = turn_before_latest_message(tracker.events)
        text = tracker.latest_message.get("text") or ""
        if turn.answered is None or stops_notifications(text):
            return None
        answerer = ActionAnswerProcedure()
        more = answerer.answer_more_documents(dispatcher, tracker, turn)
        if more is not None:
            return more
        log.info("dossier.unsubscribe.read_as_follow_up")
        return answerer.offer_aspects(dispatcher, tracker, turn.answered)


__all__ = [
    "ActionCheckDossierStatus",
    "ActionDossierFormSubmit",
    "ActionStartDossierForm",
    "ActionSubscribeDossier",
    "ActionUnsubscribeDossier",
    "DossierServices",
    "ValidateDossierForm",
    "get_services",
    "use_services",
]
