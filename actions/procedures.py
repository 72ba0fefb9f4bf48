"""``action_answer_procedure``: answer the six aspect intents from the knowledge base.

The procedure comes from the latest message (entity ``procedure``, or an alias written
out in the text), else from the ``procedure`` slot carried over from earlier turns, so
"làm khai sinh cần gì?" → "còn lệ phí?" → "nộp ở đâu?" stays on khai sinh. The aspect is
the intent, except that an ``ask_procedure`` message which is only a name ("còn hộ chiếu
thì sao?") or which answers the bot's "which procedure?" reuses ``last_aspect``. When the
procedure is unknown or ambiguous the bot asks, offering the closest procedures as buttons
whose payload answers the original aspect directly.

The reply is planned by :func:`actions.planning.plan_reply` (pure); this module reads the
conversation for it (the bot's turns before, the slots, the entities told as the
situation) and holds the follow-ups tried before another action's own reply
(:meth:`ActionAnswerProcedure.answer_follow_up`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.about_the_bot import asks_what_the_bot_does
from actions.asking_sentence import asking_text, named_where_asked, named_where_required
from actions.aspect_words import asks_whether_required, aspects_asked, cannot_apply_online
from actions.background import (
    corrected_away,
    denied,
    lives_there,
    not_held,
    registered_there,
    residence_as_background,
    told_as_background,
)
from actions.beyond_data import (
    MISREAD,
    asks_a_deadline,
    asks_about_a_penalty,
    asks_about_opening_hours,
    asks_beyond_the_data,
    asks_what_if,
    asks_why,
    beyond_the_answer,
    holds_opening_hours,
)
from actions.code_corrections import corrected_code
from actions.complaints import MSG_GRIEVANCE, is_complaint, is_grievance
from actions.confused import is_confused, is_correction, names_a_case
from actions.copies import (
    COPIED_RECORDS,
    COPY_PROCEDURE,
    asks_for_copies,
    asks_which_first,
    reissues,
    says_it_is_spoilt,
)
from actions.dossier_reading import (
    code_from_message,
    follows_every_code_told,
    names_notifications,
)
from actions.english import answer_in_english
from actions.follow_ups import (
    MAX_WORDS,
    asks_what_about,
    follow_up_aspect,
    states_an_age,
)
from actions.handoff_replies import (
    BUTTONS_OFFICIAL,
    HANDOFF,
    MSG_STILL_WAITING,
    REQUEST_OFFICIAL,
    handed_off,
    is_waiting,
    waits_for_the_official,
)
from actions.history import (
    BotTurn,
    answered_before_a_miss,
    offered_before_a_miss,
    payload_procedure,
    previous_user_text,
    recent_bot_texts,
    runner_up,
    slot_before_latest_message,
    turn_before_latest_message,
    turn_before_previous_message,
)
from actions.leaving import leaves_to_act
from actions.missing_paper import asks_whether_needed, lacks_a_paper
from actions.more_documents import asks_for_more, next_documents_page
from actions.not_covered import (
    BESIDE_A_PROCEDURE,
    MSG_NOT_COVERED,
    TAXES,
    not_covered,
    not_covered_named,
)
from actions.numbered_choice import (
    button_named,
    button_picked,
    number_in_correction,
    payload_intent,
)
from actions.ordinals import (
    asked_which_of_them,
    offered_referred,
    procedure_referred,
    procedures_answered,
    without_place,
)
from actions.partial_names import goes_back_to, named_by_its_opening, procedure_named_partly
from actions.planning import (
    DEFAULT_ASPECT,
    DOCUMENTS,
    DURATION,
    LOCATION,
    ONLINE,
    asks_a_choice,
    asks_about_papers,
    asks_something,
    asks_when_the_dossier_is_done,
    aspect_buttons,
    demands_a_paper,
    names_jointly,
    only_names,
    opens_a_question,
    plan_reply,
    unique_procedures,
)
from actions.portal_trouble import answer_portal_trouble
from actions.redis_action import RedisAction
from actions.repeats import repeats_the_answer
from actions.scams import warn_of_a_scam
from actions.several_questions import asked_one_by_one
from actions.thanks import ends_with_thanks, praises
from actions.unanswered import keep_unanswered, procedure_set
from actions.who_goes import asks_who_goes
from actions.yes_no import asks_yes_no_in_a_clause
from bot.kb import (
    ASPECTS,
    KnowledgeBase,
    KnowledgeBaseStore,
    Procedure,
    closest_procedures,
    compose_answer,
    resolve_procedure,
)
from bot.kb.answers import WHO_GOES, answer_deadline
from bot.kb.situations import situation_procedures
from bot.logs import get_logger
from bot.nlu.text import fold_words
from bot.settings import Settings, load_settings

log = get_logger(__name__)

# Readings a question of whether it must be done at all gets wrong ("có cần dk kinh doanh
# ko", ask_documents, batch 72; "có cần mang …" names no registering and keeps them).
_WHETHER_READINGS = frozenset(
    ("ask_fee", "ask_duration", "ask_location", "ask_online", "ask_documents")
)

UNAVAILABLE = (
    "Xin lỗi, dữ liệu thủ tục đang được cập nhật nên tôi chưa trả lời được. "
    "Bạn vui lòng thử lại sau ít phút hoặc liên hệ bộ phận một cửa nhé."
)

_default_store: KnowledgeBaseStore | None = None


def default_store() -> KnowledgeBaseStore:
    """The process-wide store over ``settings.kb.procedures_dir`` (created on first use)."""
    global _default_store
    if _default_store is None:
        kb = load_settings().kb
        _default_store = KnowledgeBaseStore(
            directory=kb.procedures_dir, reload_interval_s=kb.reload_interval_s
        )
    return _default_store


# The civil status events whose record a copy (trích lục, ``COPY_PROCEDURE``) is made of.
RECORDED_EVENTS = frozenset(("khai_sinh", "ket_hon", "khai_tu"))
STATUS_ACTION = "action_dossier_form_submit"  # answers again by the slots it left
STATUS_CHECK = "action_check_dossier_status"  # answers the code in the message or slot
SUBSCRIBE = "action_subscribe_dossier"
SUBSCRIBE_INTENT = "subscribe_dossier"
ID_CARD = "can_cuoc"  # asked for by the other papers' procedures: reissued first
# After a status that was not given (not found, one-stop busy, too many tries): the date
# is on the citizen's receipt, and the official or another code can still help.
MSG_DOSSIER_DATE_UNKNOWN = (
    "Tôi chưa tra được hồ sơ đó nên chưa biết khi nào xong. Ngày hẹn trả kết quả có ghi "
    "trên Giấy tiếp nhận hồ sơ của bạn. Bạn có thể gửi lại mã hồ sơ để tôi tra lại, hoặc "
    "bấm nút dưới đây để gặp cán bộ."
)
# A penalty asked right after "no entry holds …" is of it up to this many words.
MAX_PENALTY_WORDS = 12
# A life event told with no question, read as out of scope (:meth:`offer_situation`).
MSG_EVENT_OFFER = "Nếu bạn cần làm {name}, bạn chọn một mục dưới đây để xem hướng dẫn nhé."
# A request for an official that names a procedure (:meth:`offer_named`).
MSG_MEANWHILE_OFFER = (
    "Trong lúc chờ, tôi có thể hướng dẫn về {name}: bạn chọn một mục dưới đây nhé."
)
# A question on the procedure just answered that its entry cannot answer
# (:mod:`actions.beyond_data`).
MSG_BEYOND_DATA = (
    "Tôi chưa có thông tin về việc này trong hướng dẫn {name}. Bạn vui lòng hỏi bộ phận "
    "một cửa, hoặc bấm «Gặp cán bộ» để được cán bộ trả lời. Tôi có thể trả lời các mục "
    "dưới đây:"
)
# A question whose answer would repeat the bot's last reply word for word
# (:mod:`actions.repeats`): what the entry holds was said; the rest is for an official.
MSG_NOTHING_MORE = (
    "Ngoài nội dung tôi vừa gửi, hướng dẫn {name} chưa có thêm thông tin cho câu hỏi này. "
    "Bạn vui lòng hỏi bộ phận một cửa, hoặc bấm «Gặp cán bộ» để được cán bộ trả lời. Tôi có "
    "thể trả lời các mục dưới đây:"
)
# When an office is open, asked of no procedure (:meth:`ActionAnswerProcedure.answer`).
MSG_HOURS_UNKNOWN = (
    "Tôi chưa có thông tin chính xác về giờ làm việc của từng nơi tiếp nhận. Bạn vui lòng "
    "gọi trước cho bộ phận một cửa nơi định đến, hoặc bấm «Gặp cán bộ» để được hỗ trợ ạ."
)
# The replies that say the entry holds no answer: the question is kept for editors.
_NO_ANSWER_OPENINGS = tuple(
    t.split("{name}")[0]
    for t in (MSG_BEYOND_DATA, MSG_NOTHING_MORE, MSG_NOT_COVERED, MSG_HOURS_UNKNOWN)
)


def says_no_answer(messages: list[dict[str, Any]]) -> bool:
    """True when one of the bot's ``messages`` says the entry holds no answer to the
    question (:data:`MSG_BEYOND_DATA`, :data:`MSG_NOTHING_MORE`), that no entry holds the
    procedure asked about (:data:`MSG_NOT_COVERED`), or that the hours of an office are
    not known (:data:`MSG_HOURS_UNKNOWN`; pure)."""
    return any(str(m.get("text") or "").startswith(_NO_ANSWER_OPENINGS) for m in messages)


async def keep_if_no_answer(
    redis: aioredis.Redis,
    settings: Settings,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    events: list[dict[str, Any]],
) -> None:
    """Keep the question for editors (:func:`actions.unanswered.keep_unanswered`), with
    the procedure ``events`` set, when the reply said the entry has no answer
    (:func:`says_no_answer`); whichever action replied."""
    if says_no_answer(dispatcher.messages):
        await keep_unanswered(redis, settings, tracker, procedure=procedure_set(events))


# "?", "hả", "không hiểu" right after an answer (:mod:`actions.confused`).
MSG_WHAT_MORE = (
    "Bạn muốn biết thêm gì về {name} ạ? Bạn chọn một mục dưới đây, hoặc hỏi lại ngắn gọn "
    "giúp tôi nhé."
)


def _offer(dispatcher: CollectingDispatcher, p: Procedure, template: str) -> list[Any]:
    """Offer ``p``'s aspects as buttons, with ``template`` naming it; ``p`` becomes the
    procedure discussed, and the turn counts as an answer on it, so a follow-up misread
    after it is about ``p`` ("thế cháu e học lớp 3 thì mua ở trường hả" after BHYT was
    offered). No aspect was answered: "X thì sao" next takes the classifier's, not the
    last one's."""
    dispatcher.utter_message(text=template.format(name=p.name), buttons=aspect_buttons(p.id))
    return [SlotSet("procedure", p.id), SlotSet("last_aspect", None)]


# The readings of "ko phai cai do", "à nhầm, xe máy" (a request for an official that says
# "không phải" still wants the official).
CORRECTION_READINGS = frozenset({"deny", "out_of_scope", "nlu_fallback", "affirm"})


def _procedures_named(tracker: Tracker) -> list[dict[str, Any]]:
    """The ``procedure`` entities of the latest message, in order."""
    entities = tracker.latest_message.get("entities") or []
    return [e for e in entities if e.get("entity") == "procedure"]


def _last_aspect(tracker: Tracker) -> str:
    """The aspect last answered, else the overview."""
    last = tracker.get_slot("last_aspect")
    return str(last) if last in ASPECTS else DEFAULT_ASPECT


def _blanked(text: str, entities: list[dict[str, Any]]) -> str:
    """``text`` with the names of ``entities`` replaced by spaces (offsets kept), so they
    are not matched in the text again."""
    for e in entities:
        start, end = int(e["start"]), int(e["end"])
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _without_background(
    kb: KnowledgeBase, text: str, named: list[dict[str, Any]], *, earlier: str | None
) -> tuple[str, list[dict[str, Any]]] | None:
    """``text`` with the procedure names told as the situation blanked out (offsets kept,
    so they are not matched in the text again) and the entities left, when another
    procedure is left to answer: named, discussed before (``earlier``), or written out
    whole ("có cccd rồi thì có cần hộ chiếu nữa không", where no entity was found); None
    when nothing is dropped."""
    # A name denied once is not meant anywhere in the message.
    denied_ids = {e.get("value") for e in named if "start" in e and denied(text, int(e["start"]))}
    # "thường trú cho mẹ, à nhầm, … ý là tạm trú": the name before a correction.
    for e in named:
        later = [
            int(o["start"]) for o in named if "start" in o and o.get("value") != e.get("value")
        ]
        if "end" in e and corrected_away(text, int(e["end"]), later):
            denied_ids.add(e.get("value"))
    # A copy of a record discussed, or named in the message ("xin bản sao giấy khai sinh …
    # vì tôi đăng ký khai sinh ở Tiên Yên"): the record's place tells where it is kept.
    copy = earlier == COPY_PROCEDURE or any(e.get("value") == COPY_PROCEDURE for e in named)
    asked = [
        e
        for e in named
        if not _background(text, e)
        and e.get("value") not in denied_ids
        and not (copy and _registered_there(text, e))
    ]
    if len(asked) == len(named):
        return None
    blanked = _blanked(text, [e for e in named if e not in asked])
    if asked or earlier or _names_whole(kb, blanked):
        return blanked, asked
    return None


def _drops_one(
    text: str,
    named: list[dict[str, Any]],
    kept: list[dict[str, Any]],
    told: Callable[[str, int, int], bool],
) -> bool:
    """Whether a name dropped from ``named`` (``kept`` are left) tells what ``told`` tells
    of it: a paper the citizen does not hold yet (:func:`actions.background.not_held`), or
    where someone lives (:func:`actions.background.lives_there`)."""
    return any(
        told(text, int(e["start"]), int(e["end"]))
        for e in named
        if e not in kept and "start" in e and "end" in e
    )


def _registered_there(text: str, entity: dict[str, Any]) -> bool:
    """Whether the ``procedure`` entity, a civil status event, is told with the place it
    was registered ("mẹ em đăng ký khai sinh ở Hải Dương"), which matters to a copy of
    its record (:func:`actions.background.registered_there`)."""
    if entity.get("value") not in RECORDED_EVENTS or "start" not in entity:
        return False
    return registered_there(text, int(entity["start"]), int(entity["end"]))


def _spans_of(named: list[dict[str, Any]]) -> list[tuple[int, int]]:
    return [(int(e["start"]), int(e["end"])) for e in named if "start" in e and "end" in e]


def _names_whole(kb: KnowledgeBase, text: str) -> bool:
    """Whether ``text`` writes out a procedure's name or alias whole."""
    return any(m.score == 1.0 for m in closest_procedures(kb, text, limit=3))


def _background(text: str, entity: dict[str, Any]) -> bool:
    """Whether the ``procedure`` entity tells the citizen's situation rather than what is
    asked (:mod:`actions.background`); a button's payload gives no offsets: never."""
    if "start" not in entity or "end" not in entity:
        return False
    return told_as_background(text, int(entity["start"]), int(entity["end"]))


def _said_of(
    dispatcher: CollectingDispatcher, entry: Procedure, text: str, aspect: str, event: str
) -> list[dict[str, Any]]:
    """Send ``text``, drawn from ``entry`` for ``aspect``, logged as ``event``; the events
    that keep the entry the one discussed and count the turn as an answer."""
    log.info(event, procedure=entry.id)
    dispatcher.utter_message(text=text)
    return [SlotSet("procedure", entry.id), SlotSet("last_aspect", aspect)]


def procedure_entities(tracker: Tracker) -> list[str]:
    """Values of the ``procedure`` entities of the latest message, in order."""
    return [str(e["value"]) for e in _procedures_named(tracker) if e.get("value")]


class ActionAnswerProcedure(RedisAction):
    """Answers ask_procedure/documents/fee/duration/location/online; a question the entry
    cannot answer is kept for editors (:mod:`actions.unanswered`)."""

    def __init__(
        self,
        *,
        store: KnowledgeBaseStore | None = None,
        redis: aioredis.Redis | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(redis=redis, settings=settings)
        self._store = store

    def name(self) -> str:
        return "action_answer_procedure"

    def knowledge_base(self) -> KnowledgeBase | None:
        """The knowledge base, or None when it cannot be loaded: the helpers that try an
        answer first then say nothing, and :meth:`answer` reports it to the citizen."""
        try:
            return (self._store or default_store()).get()
        except Exception:
            return None

    def _knowledge_base_or_apologise(
        self, dispatcher: CollectingDispatcher
    ) -> KnowledgeBase | None:
        """The knowledge base, or None after telling the citizen politely that it cannot
        be read now (editors get the log)."""
        try:
            return (self._store or default_store()).get()
        except Exception as exc:
            log.error("kb.answer.unavailable", error=str(exc)[:500])
            dispatcher.utter_message(text=UNAVAILABLE)
            return None

    def _events_told(self, tracker: Tracker) -> list[Procedure]:
        """The procedures a life event in the latest message calls for, when the message
        names none (:mod:`bot.kb.situations`)."""
        kb = None if procedure_entities(tracker) else self.knowledge_base()
        if kb is None:
            return []
        return situation_procedures(kb, tracker.latest_message.get("text") or "")

    def _event_told(self, tracker: Tracker) -> Procedure | None:
        """The one procedure a life event in the latest message calls for, else None."""
        told = self._events_told(tracker)
        return told[0] if len(told) == 1 else None

    def _one_named(self, tracker: Tracker) -> Procedure | None:
        """The one procedure the latest message's entities name, else None (none, several,
        or the knowledge base cannot be read)."""
        kb = self.knowledge_base()
        if kb is None:
            return None
        named = unique_procedures(
            [p for v in procedure_entities(tracker) for p in resolve_procedure(kb, v)]
        )
        return named[0] if len(named) == 1 else None

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        events = self._reply(dispatcher, tracker)
        await keep_if_no_answer(self.redis, self.settings, dispatcher, tracker, events)
        return events

    def _reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        turn = turn_before_latest_message(tracker.events)
        text = str(tracker.latest_message.get("text") or "")
        names_one = bool(procedure_entities(tracker))
        if warn_of_a_scam(dispatcher, text) or answer_in_english(dispatcher, text):
            # "có người gọi tự xưng công an phường bảo tôi cài app để cập nhật căn cước":
            # a warning, not căn cước's overview; "what papers do i need …": Vietnamese only.
            return []
        if not names_one and answer_portal_trouble(dispatcher, text):
            # "nộp online trên cổng dịch vụ công cứ báo lỗi" (ask_online 1.0): the online
            # answer is what failed. With a name, that procedure's online answer (VNeID or
            # the portal) says what else to try.
            return []
        waits = (handed_off(turn) and is_waiting(text)) or waits_for_the_official(
            text, tracker.events
        )
        if waits and not names_one:
            # "bao giờ thì có người gọi" (ask_duration 0.67), "lâu thế" (1.0) right after
            # the request for an official, or a few turns after it ("bao lau thi co nguoi
            # tra loi" after an answer in between, batch 63): not a procedure's time.
            log.info("handoff.wait.asked")
            dispatcher.utter_message(text=MSG_STILL_WAITING)
            return []
        if is_grievance(text) and not is_complaint(text) and not names_one:
            # "các anh chị làm việc kiểu gì vậy, người già đi lại khổ lắm" (ask_procedure):
            # an official or the portal's feedback channel, not "which procedure?".
            log.info("kb.answer.grievance")
            dispatcher.utter_message(text=MSG_GRIEVANCE, buttons=BUTTONS_OFFICIAL)
            return []
        if asks_what_the_bot_does(text) and not names_one:
            # "vậy bot làm được gì" (an overview reading): the greeting says what it does.
            log.info("kb.answer.what_the_bot_does")
            dispatcher.utter_message(response="utter_greet")
            return []
        if praises(text) and not names_one:
            # "hay quá" (batch 111, ask_online) after an answer: thanked back.
            log.info("kb.answer.praised")
            dispatcher.utter_message(response="utter_thank")
            return []
        if leaves_to_act(text) and not names_one:
            # "ok de mk ra cong an xa hoi them" (batch 52, read as where to file): "Dạ vâng".
            log.info("kb.answer.leaving")
            dispatcher.utter_message(response="utter_ok")
            return []
        code = code_from_message(tracker)
        if code is not None and not names_one:
            # "e vua nop online r, ma 000.00.12.H49-251002-0015" (ask_online 0.88): the
            # dossier's status, not how to apply online.
            log.info("kb.answer.dossier_code_given", read_as=intent)
            return [SlotSet("dossier_code", code), FollowupAction(STATUS_CHECK)]
        if (
            turn.gave_status
            and not names_one
            and runner_up(tracker.latest_message) == SUBSCRIBE_INTENT
            and names_notifications(text)
        ) or follows_every_code_told(tracker):
            # "xong bao e qua zalo dc k" (ask_online 0.80, subscribe 0.19, batch 78) right
            # after a dossier's status: to be told when it moves, not how to apply online.
            log.info("kb.answer.subscription_meant", read_as=intent)
            return [FollowupAction(SUBSCRIBE)]
        if asks_when_the_dossier_is_done(intent, turn, names_a_procedure=names_one):
            # "bao giờ thì xong" right after a dossier's status: that dossier's date, from
            # the status answer again (the one-stop answer is cached), not a procedure's.
            if turn.found_dossier:
                log.info("kb.answer.dossier_date")
                return [FollowupAction(STATUS_ACTION)]
            log.info("kb.answer.dossier_date_unknown")
            dispatcher.utter_message(text=MSG_DOSSIER_DATE_UNKNOWN, buttons=BUTTONS_OFFICIAL)
            return []
        if len(set(procedure_entities(tracker))) > 1 and asks_which_first(text):
            # "e mất ví, mất cả bằng lái b2 với cccd, giờ làm lại cái nào trước ạ" (batch
            # 89): each paper's overview, the ID card first, rather than "which one?".
            spoilt = self.answer_spoilt_papers(dispatcher, tracker)
            if spoilt is not None:
                return spoilt
        more = self.answer_more_documents(dispatcher, tracker, turn)
        if more is None:
            more = self.answer_not_covered(dispatcher, tracker)
        if more is None:
            more = self.answer_why(dispatcher, tracker)  # "sao lại thế" read as an overview
        if more is None and not names_one:
            more = self._still_not_covered(dispatcher, turn, text)
        if more is not None:
            return more
        return self.answer(dispatcher, tracker, intent=intent, turn=turn)

    def answer_still_not_covered(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]] | None:
        """:meth:`_still_not_covered` for a message read as out of scope or unclear ("thế
        quên k báo có bị phạt ko" after guests' stay, batch 112), naming no procedure."""
        if procedure_entities(tracker):
            return None
        text = str(tracker.latest_message.get("text") or "")
        return self._still_not_covered(dispatcher, turn_before_latest_message(tracker.events), text)

    def _still_not_covered(
        self, dispatcher: CollectingDispatcher, turn: BotTurn, text: str
    ) -> list[dict[str, Any]] | None:
        """Right after "no entry holds {name}", an aspect asked with no procedure named
        ("bao truoc bao nhieu ngay" after tạm ngừng kinh doanh, batch 62) is asked of that
        procedure: the same answer again, not the closest entry's; None otherwise."""
        name = next(filter(None, map(not_covered_named, turn.texts)), None)
        # "thế quên k báo có bị phạt ko" (batch 112) after guests' stay: a penalty is of it.
        penalty = asks_about_a_penalty(text)
        if (
            name is None
            or name in BESIDE_A_PROCEDURE
            or not (aspects_asked(text) or penalty)
            or len(fold_words(text).split()) > (MAX_PENALTY_WORDS if penalty else MAX_WORDS)
        ):
            # A longer message may well be about something else ("the neu de het han roi
            # moi ve vn thi co bi sao ko" after visa, batch 64: the passport).
            return None
        log.info("kb.answer.still_not_covered", procedure=name)
        dispatcher.utter_message(text=MSG_NOT_COVERED.format(name=name), buttons=BUTTONS_OFFICIAL)
        return [SlotSet("procedure", None), SlotSet("last_aspect", None)]

    def answer_not_covered(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]] | None:
        """For a question about a procedure no entry holds ("làm visa hàn quốc ở đâu", "tên
        trong giấy khai sinh bị sai dấu, muốn sửa", :mod:`actions.not_covered`): say so,
        where to look it up, and offer an official; the procedure discussed is forgotten.
        None, saying nothing, otherwise."""
        text = str(tracker.latest_message.get("text") or "")
        # "bé … có hộ chiếu rồi, giờ đi hàn quốc thì xin visa ở đâu" (batch 63): a name told
        # as background does not make the visa the passport's question.
        asked = {
            str(e["value"])
            for e in _procedures_named(tracker)
            if e.get("value") and not _background(text, e)
        }
        name = not_covered(text, asked)
        if name is None:
            return None
        if name == TAXES and self._tells_of_taxes(tracker.get_slot("procedure")):
            # "có phải đóng thuế không" while sổ đỏ is discussed: its fee speaks of the
            # taxes that come with it, and the answer says what the entry holds.
            return None
        log.info("kb.answer.not_covered", procedure=name)
        dispatcher.utter_message(text=MSG_NOT_COVERED.format(name=name), buttons=BUTTONS_OFFICIAL)
        if name in BESIDE_A_PROCEDURE:
            # "thuế thì sao" while doanh nghiệp is discussed (batch 103): the taxes of that
            # business; what follows ("nộp online … dc chứ") is still about it.
            return []
        return [SlotSet("procedure", None), SlotSet("last_aspect", None)]

    def _answer_each(
        self,
        dispatcher: CollectingDispatcher,
        kb: KnowledgeBase,
        asked: list[tuple[str, str]],
    ) -> list[dict[str, Any]]:
        """Send each ``(procedure id, aspect)`` its answer, in order; the last is the one
        discussed next."""
        log.info("kb.answer.one_by_one", procedures=len(asked))
        for procedure, aspect in asked:
            dispatcher.utter_message(text=compose_answer(kb.procedures[procedure], aspect))
        procedure, aspect = asked[-1]
        return [SlotSet("procedure", procedure), SlotSet("last_aspect", aspect)]

    def _tells_of_taxes(self, procedure: str | None) -> bool:
        """Whether the entry ``procedure`` speaks of taxes (sổ đỏ's, đăng ký xe's fee)."""
        kb = self.knowledge_base() if procedure else None
        entry = kb.get(str(procedure)) if kb is not None else None
        if entry is None:
            return False
        texts = [entry.summary, entry.fee.text, *entry.documents, *entry.steps]
        return any("thuế" in t.lower() for t in texts)

    def answer_more_documents(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, turn: BotTurn
    ) -> list[dict[str, Any]] | None:
        """The rest of the documents list the bot's turn before showed, for "giấy tờ còn
        lại", "còn gì nữa không" (:mod:`actions.more_documents`); None, saying nothing,
        when the message or the turn is no such thing."""
        procedure = turn.answered
        text = tracker.latest_message.get("text") or ""
        if procedure is None or procedure_entities(tracker) or not asks_for_more(text):
            return None
        kb = self.knowledge_base()
        entry = kb.get(procedure) if kb is not None else None
        if entry is None:
            return None
        sent = list(turn.texts)
        if MSG_WHAT_MORE.format(name=entry.name) in sent:
            # "?" got "what more?" in between: the list is the turn before it.
            sent += [t for texts in recent_bot_texts(tracker.events, turns=2)[1:] for t in texts]
        reply = next_documents_page(entry, sent)
        if reply is None:
            return None
        log.info("kb.answer.more_documents", procedure=procedure)
        dispatcher.utter_message(text=reply)
        return [SlotSet("procedure", procedure), SlotSet("last_aspect", "ask_documents")]

    def answer_follow_up(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]] | None:
        """Answer the latest message, read as out of scope, unclear or "ờ", as a follow-up
        on the procedure answered just before (:mod:`actions.follow_ups`); None, saying
        nothing, when it is no such follow-up."""
        turn = turn_before_latest_message(tracker.events)
        text = tracker.latest_message.get("text") or ""
        corrected = corrected_code(text, turn, tracker.events, tracker.get_slot("dossier_code"))
        if corrected is not None:
            # "0015 chứ k phải 0051" right after a code not found: look the corrected one up.
            log.info("dossier.code.corrected")
            return [SlotSet("dossier_code", corrected), FollowupAction(STATUS_CHECK)]
        picked = button_picked(text, turn.buttons) or button_named(text, turn.buttons)
        if picked is not None:
            # "2" right after buttons: the second one, as if pressed.
            answered = self.answer_button(dispatcher, str(picked.get("payload") or ""))
            if answered is not None:
                return answered
        procedure = turn.answered
        if procedure is None:
            return self._follow_up_after_a_miss(dispatcher, tracker, turn)
        more = self.answer_more_documents(dispatcher, tracker, turn)
        if more is not None:
            return more
        if (
            procedure in COPIED_RECORDS
            and not procedure_entities(tracker)
            and asks_for_copies(text)
        ):
            # "xin 3 bản luôn được ko" (unclear) after khai sinh: copies from the register.
            log.info("kb.follow_up.copies", procedure=procedure)
            return self.answer(dispatcher, tracker, intent=DEFAULT_ASPECT, turn=turn)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in MISREAD and states_an_age(text):
            # "no 15 tuoi, hoc lop 10" after căn cước's place (batch 105): who must go by
            # age, when the entry says; else what more to know.
            aged = self._who_goes_by_age(dispatcher, procedure)
            return aged if aged is not None else self.offer_aspects(dispatcher, tracker, procedure)
        if is_confused(text) or names_a_case(text):
            # "?", "hả"; "lần đầu" after căn cước's overview (its entry answers every case).
            return self.offer_aspects(dispatcher, tracker, procedure)
        if intent in CORRECTION_READINGS and is_correction(text) and not asks_a_deadline(text):
            # "ko phai cai do, y toi la …", "à nhầm, xe máy": the answer missed.
            log.info("kb.follow_up.correction", read_as=intent, procedure=procedure)
            if procedure_entities(tracker):  # "không phải, ý tôi là hộ chiếu"
                return self.answer(dispatcher, tracker, intent=_last_aspect(tracker), turn=turn)
            # "à nhầm, 1 mới đúng" after "2" picked a button: the first button instead.
            earlier = turn_before_previous_message(tracker.events).buttons
            picked_before = button_picked(previous_user_text(tracker.events), earlier)
            again = number_in_correction(text, earlier) if picked_before else None
            answered = (
                self.answer_button(dispatcher, str(again.get("payload") or "")) if again else None
            )
            if answered is not None:
                return answered
            return self.offer_aspects(dispatcher, tracker, procedure)
        kb = self.knowledge_base()
        recent = recent_bot_texts(tracker.events, turns=3)
        if kb is not None and asked_which_of_them(kb, text, recent):
            # "vậy tôi nên đăng ký cái nào", read as out of scope, after procedures
            # answered together: asked back which of them (``answer`` does).
            return self.answer(dispatcher, tracker, intent=DEFAULT_ASPECT, turn=turn)
        aspect = follow_up_aspect(
            tracker.latest_message, last_aspect=tracker.get_slot("last_aspect")
        )
        entry = kb.get(procedure) if kb is not None and aspect is None else None
        if entry is not None and intent in MISREAD and lacks_a_paper(text, entry, kb):
            # "giay chung sinh mat roi" after khai sinh: its documents say what stands in.
            log.info("kb.follow_up.paper_lacking", procedure=procedure)
            aspect = DOCUMENTS
        elif entry is not None and intent in MISREAD and asks_whether_needed(text, entry, kb):
            # "… có cần khám sức khỏe k" after bằng lái: its documents say whether.
            log.info("kb.follow_up.paper_needed", procedure=procedure)
            aspect = DOCUMENTS
        # Told, not asked what follows ("… hết hạn từ năm 2018 rồi thì sao", batch 70).
        spoilt = (
            entry is not None
            and reissues(entry)
            and says_it_is_spoilt(text)
            and not asks_what_if(text)
        )
        if spoilt and aspect is None and not situation_procedures(kb, text):  # "bà mất rồi"
            # "bang do de o nha bi chuot can mat 1 goc r" after bằng lái: issued again.
            log.info("kb.follow_up.paper_spoilt", procedure=procedure)
            aspect = DEFAULT_ASPECT
        if aspect is None and kb is not None and goes_back_to(kb, text, recent, current=procedure):
            # "còn lý lịch" (out of scope) after lý lịch tư pháp, then xác nhận độc thân:
            # the last question, of the earlier procedure (``answer`` finds it).
            aspect = _last_aspect(tracker)
        if aspect is None:
            return None
        log.info("kb.follow_up.answered", read_as=intent, aspect=aspect, procedure=procedure)
        return self.answer(dispatcher, tracker, intent=aspect, turn=turn)

    def _who_goes_by_age(
        self, dispatcher: CollectingDispatcher, procedure: str
    ) -> list[dict[str, Any]] | None:
        """Send the entry's who-goes answer when it speaks of ages (căn cước: "từ đủ 14
        tuổi phải tự đến"); None, saying nothing, otherwise."""
        kb = self.knowledge_base()
        entry = kb.get(procedure) if kb is not None else None
        if entry is None or "tuổi" not in (entry.who_goes or ""):
            return None
        log.info("kb.follow_up.age_told", procedure=procedure)
        dispatcher.utter_message(text=compose_answer(entry, WHO_GOES))
        return [SlotSet("procedure", procedure), SlotSet("last_aspect", DEFAULT_ASPECT)]

    def _follow_up_after_a_miss(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, turn: BotTurn
    ) -> list[dict[str, Any]] | None:
        """A misread aspect question with one reply that missed between it and the answer
        before ("vay la 4 ng thoi nhi" got "chưa hiểu", then "mua o dau"): still about
        that answer's procedure. None, saying nothing, otherwise."""
        if answered_before_a_miss(turn, tracker.events) is None:
            return None
        aspect = follow_up_aspect(
            tracker.latest_message, last_aspect=tracker.get_slot("last_aspect")
        )
        if aspect is None:
            return None
        log.info("kb.follow_up.after_a_miss", aspect=aspect)
        return self.answer(dispatcher, tracker, intent=aspect, turn=turn)

    def answer_button(
        self, dispatcher: CollectingDispatcher, payload: str
    ) -> list[dict[str, Any]] | None:
        """What pressing the button with ``payload`` gives: an aspect of a procedure
        answered, or an official asked for; None, saying nothing, for another payload."""
        if payload == REQUEST_OFFICIAL:
            return [FollowupAction(HANDOFF)]
        aspect, procedure = payload_intent(payload), payload_procedure(payload)
        kb = self.knowledge_base() if aspect in ASPECTS and procedure else None
        entry = kb.get(procedure) if kb is not None and procedure else None
        if entry is None:
            return None
        log.info("kb.answer.button_by_number", procedure=entry.id, aspect=aspect)
        dispatcher.utter_message(text=compose_answer(entry, str(aspect)))
        return [SlotSet("procedure", entry.id), SlotSet("last_aspect", aspect)]

    def offer_aspects(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        procedure: str,
        *,
        template: str = MSG_WHAT_MORE,
    ) -> list[dict[str, Any]]:
        """Ask what more the citizen wants to know about ``procedure`` (``template`` names
        it): one button per aspect, and one to reach an official. The procedure stays the
        one discussed, and the turn counts as an answer, so a follow-up after it is read
        as one too."""
        kb = self._knowledge_base_or_apologise(dispatcher)
        if kb is None:
            return []
        entry = kb.get(procedure)
        if entry is None:  # an editor removed it since the answer: say the fallback
            dispatcher.utter_message(response="utter_default")
            return []
        log.info("kb.answer.what_more", procedure=procedure)
        dispatcher.utter_message(
            text=template.format(name=entry.name),
            buttons=[*aspect_buttons(procedure), *BUTTONS_OFFICIAL],
        )
        return [SlotSet("procedure", procedure), SlotSet("last_aspect", _last_aspect(tracker))]

    def offer_situation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        """After the out-of-scope reply to a message that tells a life event calling for
        one procedure but asks nothing of it ("vợ mới sinh nên ăn gì cho lợi sữa", "cty
        cho em nghỉ việc rồi"): offer that procedure's aspects as buttons, and keep it as
        the procedure discussed, so "hạn nộp là bao lâu" next asks about it. Nothing,
        otherwise."""
        told = self._event_told(tracker)
        text = str(tracker.latest_message.get("text") or "")
        if told is None or residence_as_background((told.id,), tracker.get_slot("procedure"), text):
            # "ny e đang ở trọ hạ long" while kết hôn is discussed: where she lives.
            return []
        log.info("kb.situation.offered", procedure=told.id)
        return _offer(dispatcher, told, MSG_EVENT_OFFER)

    def offer_named(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        """After the reply to a request for an official that names one procedure ("có ai
        trực không, mình muốn hỏi về giấy phép xây dựng"): offer what the bot can say of
        it meanwhile, and keep it as the procedure discussed. Nothing, otherwise."""
        named = self._one_named(tracker)  # the reply is out; the offer is a bonus
        if named is None:
            return []
        log.info("kb.named.offered", procedure=named.id)
        return _offer(dispatcher, named, MSG_MEANWHILE_OFFER)

    def answer_situation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]] | None:
        """Answer the latest message, read as out of scope or unclear, when it tells a
        life event and asks something ("anh em muốn cưới vợ người Trung Quốc thì đăng ký
        ở đâu", :mod:`bot.kb.situations`): the answer when the event calls for one
        procedure, "which one?" with their buttons when for several ("thuê nhà thì đăng
        ký cư trú kiểu gì"); None, saying nothing, otherwise."""
        text = tracker.latest_message.get("text") or ""
        # "…, giấy tờ xe vẫn tên ông ấy, giờ sang tên sang e dc k" (batch 110): a yes/no
        # clause asks too.
        asks = asks_something(text) or opens_a_question(text) or asks_yes_no_in_a_clause(text)
        told = self._events_told(tracker) if asks else []
        if not told:
            return None
        # Several ("đăng ký cư trú": tạm trú or thường trú?): ``answer`` asks which.
        aspect = next(iter(aspects_asked(text)), DEFAULT_ASPECT)
        log.info("kb.situation.answered", procedures=len(told), aspect=aspect)
        return self.answer(dispatcher, tracker, intent=aspect)

    def answer_beyond_data(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        *,
        readings: frozenset[str] = MISREAD,
    ) -> list[dict[str, Any]] | None:
        """Right after a procedure answer, a question on it that its entry cannot answer
        ("có bị phạt ko", read as one of ``readings``; :mod:`actions.beyond_data`): say
        so, point to the one-stop desk or an official, and offer the aspects; None, saying
        nothing, otherwise."""
        turn = turn_before_latest_message(tracker.events)
        # One miss in between ("dc bn thang" out of scope, then "lỡ e tìm dc việc mới giữa
        # chừng thì sao"): still the procedure answered before it.
        procedure = turn.answered or answered_before_a_miss(turn, tracker.events)
        kb = self.knowledge_base() if procedure else None
        entry = kb.get(procedure) if kb is not None and procedure else None
        text = str(tracker.latest_message.get("text") or "")
        why = self.answer_why(dispatcher, tracker)
        if why is not None:
            return why  # "sao lai the, anh e lam o mo tan ca tuan moi ve" (out of scope)
        if entry is not None and asks_a_deadline(text) and answer_deadline(entry):
            # "han cuoi la khi nao" (batch 60) after thất nghiệp: "trong 03 tháng …".
            return self._answer_deadline(dispatcher, entry)
        if entry is None or not asks_beyond_the_data(
            tracker.latest_message, entry, kb, readings=readings, answer_texts=turn.texts
        ):
            return None
        if asks_about_opening_hours(text) and holds_opening_hours(entry):
            # "chủ nhật công an có làm ko" after căn cước: its place to file tells the hours.
            return self._answer_opening_hours(dispatcher, entry)
        log.info("kb.answer.beyond_data", procedure=entry.id)
        return self.offer_aspects(dispatcher, tracker, entry.id, template=MSG_BEYOND_DATA)

    def _answer_opening_hours(
        self, dispatcher: CollectingDispatcher, entry: Procedure
    ) -> list[dict[str, Any]]:
        """Where to file ``entry``, which tells when its office is open."""
        text = compose_answer(entry, LOCATION)
        return _said_of(dispatcher, entry, text, LOCATION, "kb.answer.opening_hours")

    def answer_spoilt_papers(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]] | None:
        """A message read as out of scope that says papers were lost or spoilt and names
        procedures that issue them again ("hom qua uong ruou say mat vi, mat ca cccd voi
        cavet xe", batch 66): their overviews, which tell how. None, saying nothing,
        otherwise."""
        text = str(tracker.latest_message.get("text") or "")
        kb = self.knowledge_base() if says_it_is_spoilt(text) else None
        named = procedure_entities(tracker) if kb is not None else []
        entries = [e for e in (kb.get(v) for v in named) if e is not None] if kb else []
        unique = list({e.id: e for e in entries if reissues(e)}.values())
        # Every paper named is issued again, or two or more are ("… cccd, bằng lái xe máy,
        # cà vẹt xe, thẻ atm với thẻ bhyt", batch 90: BHYT's card is the insurer's).
        if not unique or (len(unique) < len({e.id for e in entries}) and len(unique) < 2):
            return None
        # The ID card first: the others are asked for with it.
        unique.sort(key=lambda e: e.id != ID_CARD)
        log.info("kb.answer.spoilt_papers", procedures=len(unique))
        for entry in unique:  # each paper's own overview: lost together, asked of each
            dispatcher.utter_message(text=compose_answer(entry, DEFAULT_ASPECT))
        return [SlotSet("procedure", unique[0].id), SlotSet("last_aspect", DEFAULT_ASPECT)]

    def answer_why(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]] | None:
        """Right after a procedure answer, "sao lại thế" (however read, batch 67): the entry
        gives no reasons; say so, point to the desk or an official, offer the aspects. None,
        saying nothing, otherwise."""
        text = str(tracker.latest_message.get("text") or "")
        turn = turn_before_latest_message(tracker.events)
        if turn.answered is None or not asks_why(text) or procedure_entities(tracker):
            return None
        log.info("kb.answer.why", procedure=turn.answered)
        return self.offer_aspects(dispatcher, tracker, turn.answered, template=MSG_NOTHING_MORE)

    def _answer_deadline(
        self, dispatcher: CollectingDispatcher, entry: Procedure
    ) -> list[dict[str, Any]]:
        """The sentence of ``entry`` that tells the citizen's deadline."""
        text = str(answer_deadline(entry))
        return _said_of(dispatcher, entry, text, DURATION, "kb.answer.deadline")

    def answer_named(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]] | None:
        """Answer the latest message, which the classifier could not place (nlu_fallback),
        when it names one procedure and asks something of it ("vk e ms sinh bé hnay, đk
        khai sinh bh làm luôn đc k a": nlu_fallback 0.45, ask_procedure 0.35) and the
        classifier's guess is an aspect: the aspect asked in so many words, else that
        guess. None, saying nothing, otherwise."""
        message = tracker.latest_message
        if (message.get("intent") or {}).get("name") != "nlu_fallback":
            return None
        text = str(message.get("text") or "")
        # A yes/no clause may come first: "đổi bằng lái nc ngoài sang vn dc ko, e có bằng
        # úc" (batch 49).
        asks = asks_something(text) or asks_yes_no_in_a_clause(text) or asks_a_choice(text)
        # A paper demanded, nothing asked ("bên đó họ đòi giấy xác nhận độc thân", batch 63):
        # how to get it, the overview.
        demanded = not asks and demands_a_paper(text)
        if not (asks or demanded):
            return None
        named = self._one_named(tracker)
        if named is None:
            # "… nên đăng ký hộ kinh doanh hay thành lập doanh nghiệp thì hơn ạ?" (batch
            # 116): two joined by "hay", each gets its answer.
            entities = _procedures_named(tracker)
            if len({e.get("value") for e in entities}) > 1 and names_jointly(
                text, _spans_of(entities)
            ):
                log.info("kb.fallback.named_jointly_answered", procedures=len(entities))
                aspect = next(iter(aspects_asked(text)), DEFAULT_ASPECT)
                return self.answer(dispatcher, tracker, intent=aspect)
            return None
        ranking = message.get("intent_ranking") or []
        guess = next((r.get("name") for r in ranking if r.get("name") != "nlu_fallback"), None)
        asked = aspects_asked(text)
        # A status question, say, is not answered by the entry; an out-of-scope guess is
        # when the aspect is asked in so many words ("thế thôi 😂 để e hỏi vụ bé thứ 2, …,
        # làm khai sinh ở đâu", batch 105: out of scope 0.25, ask_location 0.25).
        if guess not in ASPECTS and not (guess == "out_of_scope" and asked):
            return None
        # "có phải đăng ký tạm trú cho các bạn k" (batch 62, nlu_fallback, ask_fee 0.39)
        # asks whether it must be done at all: ``answer`` reads that as the overview.
        aspect = next(iter(asked), DEFAULT_ASPECT if demanded else str(guess))
        log.info("kb.fallback.named_answered", procedure=named.id, aspect=aspect)
        return self.answer(dispatcher, tracker, intent=aspect)

    def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        *,
        intent: str | None,
        turn: BotTurn | None = None,
        retried: bool = False,
    ) -> list[dict[str, Any]]:
        """Answer the latest message as ``intent`` (the message's own, or the aspect a
        follow-up was read as, :mod:`actions.follow_ups`). ``turn``: the bot's turn before
        the message, when the caller has read it already; ``retried``: this is the second
        reading, with another aspect the message asks, of one that would repeat."""
        kb = self._knowledge_base_or_apologise(dispatcher)
        if kb is None:
            return []
        text = tracker.latest_message.get("text") or ""
        named = _procedures_named(tracker)
        if intent in _WHETHER_READINGS and asks_whether_required(text) and not aspects_asked(text):
            # "… co phai khai tam tru k" (ask_duration 0.72, batch 66): whether it must be
            # done at all, which the overview says.
            intent = DEFAULT_ASPECT
        if intent == ONLINE and cannot_apply_online(text) and set(aspects_asked(text)) <= {ONLINE}:
            # "mẹ mình ko dùng smartphone, ko có vneid" (batch 76) after how to apply
            # online: where to apply in person instead.
            intent = LOCATION
        # The message's own entities have filled the slot by now; the procedure discussed
        # is the one before them.
        earlier = slot_before_latest_message(tracker.events, "procedure")
        # "có sổ hồng rồi", "ny a hộ khẩu hải phòng": told, not asked about.
        dropped = _without_background(kb, text, named, earlier=earlier)
        reread = False  # the aspect is read from what the message tells
        if dropped is not None:
            log.info("kb.answer.background_dropped", dropped=len(named) - len(dropped[1]))
            if intent == DEFAULT_ASPECT and _drops_one(text, named, dropped[1], not_held):
                # "nhà chưa có sổ hồng, mới có hợp đồng mua bán" after thường trú's
                # overview: the documents list says what stands in for it.
                intent, reread = DOCUMENTS, True
            elif (
                intent == DEFAULT_ASPECT
                and not dropped[1]
                and asks_what_about(text)
                and _drops_one(text, named, dropped[1], lives_there)
            ):
                # "ny mk hộ khẩu ở Hải Phòng thì sao ạ" after the documents of kết hôn:
                # where to file, for someone living elsewhere.
                intent, reread = LOCATION, True
            elif intent == DEFAULT_ASPECT and len(asked := aspects_asked(dropped[0])) == 1:
                # "e ho khau thanh hoa dk o qn dc k" (an overview 0.89 for hộ khẩu, batch
                # 78) after đăng ký xe: hộ khẩu told, the place asked in so many words.
                intent, reread = asked[0], True
            text, named = dropped
            current = named[-1]["value"] if named else earlier
        else:
            current = tracker.get_slot("procedure")
        one_by_one = asked_one_by_one(text, named)
        if one_by_one is not None and not names_jointly(text, _spans_of(named)):
            # "làm căn cước cần gì, còn hộ chiếu thì bao lâu": each clause its answer.
            return self._answer_each(dispatcher, kb, one_by_one)
        asked_in = named_where_asked(text, named) or named_where_required(text, named)
        if asked_in is not None:
            # "… giờ em muốn đăng ký kết hôn … . Em cần xin giấy xác nhận tình trạng hôn
            # nhân ở đâu": the procedure the question names.
            log.info("kb.answer.asking_sentence", dropped=len(named) - len(asked_in))
            text = _blanked(text, [e for e in named if e not in asked_in])
            named, current = asked_in, asked_in[-1]["value"]
        values = [str(e["value"]) for e in named if e.get("value")]
        spans = _spans_of(named)
        if turn is None:
            turn = turn_before_latest_message(tracker.events)
        papers_only = earlier is not None and asks_about_papers(text, spans)
        # "cái sau lệ phí bao nhiêu" after answers about two procedures: the second one;
        # "làm cái nào" after them: which of them, asked back.
        referred, which = None, []
        offered = turn.offered or offered_before_a_miss(turn, tracker.events)
        if not spans:
            recent = recent_bot_texts(tracker.events, turns=3)
            # "cái đầu làm ở đâu" right after "which one?" offered two: the first offered;
            # "còn cái kia" after the answer on it: the other.
            asked_before = offered or turn_before_previous_message(tracker.events).offered
            referred = (
                procedure_referred(kb, text, recent, current=current)
                or offered_referred(text, asked_before, current=current)
                # "còn sang tên thì …" after sổ đỏ, then other procedures: sổ đỏ.
                or procedure_named_partly(kb, text, recent, current=current)
                # "Giấy xác nhận đó mất mấy ngày" (batch 70): xác nhận tình trạng hôn nhân.
                or named_by_its_opening(kb, text)
            )
            which = asked_which_of_them(kb, text, recent)
        slot_procedure = referred or (earlier if papers_only else current)
        together = procedures_answered(kb, turn.texts) if not (spans or offered) else []
        if referred is None and not which and not papers_only and len(together) > 1:
            # "mấy ngày thì xong ạ" right after both were answered ("có làm online luôn
            # được ko" after "khai sinh or thường trú?"): still both, unless it points at
            # one of them ("xin phép xây thì mất bao lâu" after sổ đỏ and giấy phép xây
            # dựng); the procedure slot holds only the first.
            slot_procedure, offered = None, together
        reply = plan_reply(
            kb,
            intent=intent,
            entity_values=values,
            slot_procedure=None if which else slot_procedure,
            last_aspect=tracker.get_slot("last_aspect"),
            text=text,
            follows_up=only_names(text, spans) or turn.asked_which_one,
            # "cháu chưa có cccd thì sao" asks the documents, not the last question again.
            repeats_last=turn.answered is not None
            and not reread
            and asks_what_about(without_place(text) if referred else text),
            papers_only=papers_only,
            offered=which or offered,
            who_goes=asks_who_goes(asking_text(text)),
            jointly=not papers_only and names_jointly(text, spans),
            background_only=dropped is not None and not named,
        )
        why = beyond_the_answer(text, reply.aspect) if reply.is_answer else None
        entry = kb.get(str(reply.procedure_id)) if reply.is_answer else None
        if entry is not None and why == "opening_hours" and holds_opening_hours(entry):
            # "thứ 7 công an phường có làm ko": căn cước's place to file tells the hours.
            return self._answer_opening_hours(dispatcher, entry)
        deadline = reply.aspect in (DURATION, DEFAULT_ASPECT) and asks_a_deadline(text)
        if entry is not None and deadline and answer_deadline(entry):
            # "hạn chót nộp là khi nào" (ask_duration): the citizen's deadline, which the
            # entry tells ("trong 60 ngày kể từ ngày sinh"), not the office's time.
            return self._answer_deadline(dispatcher, entry)
        if why is not None:
            # "xay ko phep thi phat bn" reads as a fee question; the fee is no penalty.
            log.info("kb.answer.beyond_data", procedure=reply.procedure_id, why=why)
            return self.offer_aspects(
                dispatcher, tracker, str(reply.procedure_id), template=MSG_BEYOND_DATA
            )
        # A paper named as not held or owned ("bé chưa có cccd thì sao") after the
        # documents: the list says what stands in for it.
        papers_told = dropped is not None and reply.aspect == DOCUMENTS
        if (
            reply.is_answer
            and not (papers_only or papers_told)
            and repeats_the_answer(reply, turn, text)
        ):
            other = [a for a in aspects_asked(text) if a != reply.aspect]
            if other and intent != other[0] and not retried:
                # "có phải mang gì lên không hay online hết" (ask_online) right after the
                # online answer: the other aspect it asks.
                log.info("kb.answer.other_aspect", aspect=other[0])
                return self.answer(dispatcher, tracker, intent=other[0], turn=turn, retried=True)
            if ends_with_thanks(text):
                # "tổng cộng lâu vậy à. thôi cảm ơn" read as the time just given.
                log.info("kb.answer.thanks")
                dispatcher.utter_message(response="utter_thank")
                return [SlotSet("procedure", reply.procedure_id)]
            # "thẻ bị mất thì sao" read as the fee just given: the entry holds nothing more.
            log.info("kb.answer.nothing_more", procedure=reply.procedure_id)
            return self.offer_aspects(
                dispatcher, tracker, str(reply.procedure_id), template=MSG_NOTHING_MORE
            )
        if reply.is_answer:
            log.info(
                "kb.answer.ok",
                procedure=reply.procedure_id,
                aspect=reply.aspect,
                more=len(reply.more),
            )
            for answer in (reply.text, *reply.more):
                dispatcher.utter_message(text=answer)
        elif not values and asks_about_opening_hours(text):
            # "trung tâm hành chính công tỉnh mở cửa mấy h vậy, thứ 7 có làm ko": no
            # procedure to ask about, and no entry holds the hours of every office.
            log.info("kb.answer.opening_hours_unknown")
            dispatcher.utter_message(text=MSG_HOURS_UNKNOWN, buttons=BUTTONS_OFFICIAL)
            return [SlotSet("procedure", None), SlotSet("last_aspect", None)]
        else:
            log.info("kb.answer.clarify", aspect=reply.aspect, choices=len(reply.buttons))
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return [SlotSet("procedure", reply.procedure_id), SlotSet("last_aspect", reply.aspect)]
