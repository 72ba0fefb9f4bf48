"""``action_answer_procedure``: answer the six aspect intents from the knowledge base.

The procedure comes from the latest message (entity ``procedure``, or an alias written
out in the text), else from the ``procedure`` slot carried over from earlier turns, so
"làm khai sinh cần gì?" → "còn lệ phí?" → "nộp ở đâu?" stays on khai sinh. The aspect is
the intent, except that an ``ask_procedure`` message which is only a name ("còn hộ chiếu
thì sao?") or which answers the bot's "which procedure?" reuses ``last_aspect``. When the
procedure is unknown or ambiguous the bot asks, offering the closest procedures as buttons
whose payload answers the original aspect directly.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.aspect_words import aspects_asked, separate_questions
from actions.background import told_as_background
from actions.beyond_data import asks_about_a_penalty
from actions.code_corrections import corrected_code
from actions.confused import is_confused, is_correction
from actions.copies import COPY_PROCEDURE, asks_for_a_copy
from actions.follow_ups import WHAT_ABOUT, asks_what_about, follow_up_aspect
from actions.history import (
    BotTurn,
    payload_procedure,
    recent_bot_texts,
    slot_before_latest_message,
    turn_before_latest_message,
)
from actions.more_documents import asks_for_more, next_documents_page
from actions.numbered_choice import button_picked, payload_intent
from actions.ordinals import asked_which_of_them, procedure_referred, without_place
from actions.who_goes import asks_who_goes
from actions.yes_no import asks_yes_no
from bot.kb import (
    ASPECTS,
    KnowledgeBase,
    KnowledgeBaseStore,
    Procedure,
    closest_procedures,
    compose_answer,
    resolve_procedure,
)
from bot.kb.answers import ASPECT_LABELS, WHO_GOES, clarification_question
from bot.kb.situations import situation_procedures
from bot.logs import get_logger
from bot.nlu.roles import names_a_paper
from bot.nlu.text import fold_words
from bot.settings import load_settings

log = get_logger(__name__)

DEFAULT_ASPECT = "ask_procedure"
FEE = "ask_fee"
HANDOFF = "action_request_human"
MAX_CHOICES = 3
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


@dataclass(frozen=True, kw_only=True)
class Reply:
    """What the action says and remembers: an answer, or a question with choices."""

    text: str
    aspect: str
    procedure_id: str | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    # Answers to the other aspects the message asked ("lệ phí bao nhiêu và mấy ngày").
    more: tuple[str, ...] = ()

    @property
    def is_answer(self) -> bool:
        return self.procedure_id is not None


# Words that, around a procedure name, add no question of their own (accent-folded, so
# "còn"/"con"): "còn hộ chiếu thì sao ạ", "thế còn hộ chiếu?", "tôi hỏi về vụ sổ đỏ", "dạ
# khai sinh nhé". A message made of a name and these follows up on the last aspect. "sao"
# only in "thì sao": "làm hộ chiếu sao", like "làm hộ chiếu thế nào", asks how (an alias
# may hold the "làm").
# fmt: off
_FOLLOW_UP_WORDS = frozenset((
    "a", "ah", "ak", "ad", "admin", "ay", "ban", "can", "cai", "chi", "con", "cua", "da",
    "day", "di", "do", "e", "em", "ha", "hoi", "la", "luon", "minh", "muon", "nha", "nhe",
    "nhen", "nghen", "nua", "oi", "ok", "the", "thi", "thoi", "toi", "vang", "vay", "ve",
    "voi", "vu", "xin",
))
# fmt: on


def only_names(text: str, spans: Iterable[tuple[int, int]]) -> bool:
    """True when ``text`` without the ``spans`` (the procedure entities) is only
    follow-up words: "còn [bằng lái] thì sao" yes, "làm [bằng lái] thế nào" no."""
    spans = sorted(spans)
    if not spans:
        return False
    rest, at = [], 0
    for start, end in spans:
        rest.append(text[at:start])
        at = max(at, end)
    rest.append(text[at:])
    words = WHAT_ABOUT.sub(" ", fold_words(" ".join(rest))).split()
    return all(w in _FOLLOW_UP_WORDS for w in words)


# Between two names, what joins them into one question about each: "kết hôn và xác nhận
# tình trạng hôn nhân cần giấy tờ gì", "hộ chiếu hay căn cước", "khai sinh, thường trú"
# (folded); "từ tạm trú sang thường trú", "căn cước để làm hộ chiếu" ask about one.
_JOINS = frozenset(("va", "voi", "hay", "hoac", "lan"))
_AFTER_JOIN = frozenset(("ca", "thu", "tuc", "lam"))  # "và cả", "với thủ tục", "hay làm"
MAX_NAMED_ANSWERED = 3


# "khác gì nhau" asks what each is: the overview, whatever aspect was guessed ("khác nhau
# chỗ nào" reads as ask_location).
_DIFFER_WORDS = r"khac nhau|khac gi|khac j|khac the nao|phan biet|giong nhau"
_DIFFERS = re.compile(r"\b(?:" + _DIFFER_WORDS + r")\b")
# A comparison of the procedures named (folded): "cái nào nhanh hơn", "khác gì nhau".
_COMPARES = re.compile(
    r"\b(?:cai nao|nao (?:nhanh|re|lau|de|truoc)|(?:nhanh|re|lau|de) hon|" + _DIFFER_WORDS + r")\b"
)


def asks_of_them(text: str) -> bool:
    """True when a message naming procedures asks something of them: an aspect, what to
    do, a comparison or a yes/no question, "?" included ("mất ví, trong đó có cả căn cước
    và bằng lái" asks nothing)."""
    return asks_something(text) or asks_yes_no(text) or bool(_COMPARES.search(fold_words(text)))


def names_jointly(text: str, spans: Iterable[tuple[int, int]]) -> bool:
    """True when ``text`` names 2 or 3 procedures (``spans``) joined by "và", "với",
    "hay" or a comma, and asks something of them (:func:`asks_of_them`) (pure)."""
    spans = sorted(spans)
    if not 2 <= len(spans) <= MAX_NAMED_ANSWERED:
        return False
    if not asks_of_them(text):
        return False
    for (_, end), (start, _) in itertools.pairwise(spans):
        between = text[end:start]
        words = fold_words(between).split()
        if words:
            if words[0] not in _JOINS or not all(w in _AFTER_JOIN for w in words[1:3]):
                return False
            if len(words) > 3:
                return False
        elif between.strip(" ,;/&+"):
            return False
    return True


# "cần làm gì", "làm giấy gì", "làm thế nào", "thủ tục", "được hưởng gì": what to do, the
# overview (folded).
_WHAT_TO_DO = re.compile(
    r"\b(?:lam gi|lam j|lam giay|the nao|nhu nao|ntn|lam sao|ra sao|thu tuc|kieu gi|huong gi|xin phep)\b"
)


def asks_something(text: str) -> bool:
    """True when ``text`` asks an aspect in so many words, or what to do ("con em mới đẻ,
    giờ cần làm gì"); a word that only leans to one does not count ("thay dầu" is no "ở
    đâu")."""
    return bool(aspects_asked(text)) or bool(_WHAT_TO_DO.search(fold_words(text)))


STATUS_ACTION = "action_dossier_form_submit"  # answers again by the slots it left
STATUS_CHECK = "action_check_dossier_status"  # answers the code in the message or slot
# After a status that was not given (not found, one-stop busy, too many tries): the date
# is on the citizen's receipt, and the official or another code can still help.
MSG_DOSSIER_DATE_UNKNOWN = (
    "Tôi chưa tra được hồ sơ đó nên chưa biết khi nào xong. Ngày hẹn trả kết quả có ghi "
    "trên Giấy tiếp nhận hồ sơ của bạn. Bạn có thể gửi lại mã hồ sơ để tôi tra lại, hoặc "
    "bấm nút dưới đây để gặp cán bộ."
)
BUTTONS_OFFICIAL = [{"title": "Gặp cán bộ", "payload": "/request_human"}]
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
# "?", "hả", "không hiểu" right after an answer (:mod:`actions.confused`).
MSG_WHAT_MORE = (
    "Bạn muốn biết thêm gì về {name} ạ? Bạn chọn một mục dưới đây, hoặc hỏi lại ngắn gọn "
    "giúp tôi nhé."
)


def asks_when_the_dossier_is_done(
    intent: str | None, turn: BotTurn, *, names_a_procedure: bool
) -> bool:
    """True for "bao giờ thì xong", "hẹn trả ngày nào" (read as ``ask_duration``, naming
    no procedure) right after a dossier's status, found or not (pure); a found one left
    its code in ``turn.slots``."""
    return intent == "ask_duration" and not names_a_procedure and turn.gave_status


def asks_about_papers(text: str, spans: Iterable[tuple[int, int]]) -> bool:
    """True when every procedure named is a paper asked for in a yes/no question: "có
    cần mang căn cước không" after hộ chiếu asks about hộ chiếu's papers, not căn cước."""
    spans = list(spans)
    return (
        bool(spans)
        and asks_yes_no(text)
        and all(names_a_paper(text, start, end) for start, end in spans)
    )


def choose_aspect(
    intent: str | None, last_aspect: str | None, *, follows_up: bool, repeats_last: bool = False
) -> str:
    """The aspect to answer: the intent's, or the last one for an ``ask_procedure``
    follow-up or for "X thì sao" (``repeats_last``), whatever aspect was guessed. Another
    intent (the rules send none here) keeps the last aspect."""
    if last_aspect in ASPECTS and (repeats_last or (intent == DEFAULT_ASPECT and follows_up)):
        return last_aspect
    if intent in ASPECTS:
        return intent
    if last_aspect in ASPECTS:
        return last_aspect
    return DEFAULT_ASPECT


def button_payload(aspect: str, procedure_id: str) -> str:
    """``/ask_fee{"procedure":"khai_sinh"}``: a click asks the original question again."""
    return f"/{aspect}{json.dumps({'procedure': procedure_id}, separators=(',', ':'))}"


def aspect_buttons(procedure_id: str) -> list[dict[str, str]]:
    """One button per aspect of ``procedure_id``, each asking it ("Lệ phí" → ask_fee)."""
    return [
        {"title": ASPECT_LABELS[a].capitalize(), "payload": button_payload(a, procedure_id)}
        for a in ASPECTS
    ]


def _offer(dispatcher: CollectingDispatcher, p: Procedure, template: str) -> list[Any]:
    """Offer ``p``'s aspects as buttons, with ``template`` naming it; ``p`` becomes the
    procedure discussed (not answered: no aspect is set)."""
    dispatcher.utter_message(text=template.format(name=p.name), buttons=aspect_buttons(p.id))
    return [SlotSet("procedure", p.id)]


# The readings of "ko phai cai do", "à nhầm, xe máy" (a request for an official that says
# "không phải" still wants the official).
CORRECTION_READINGS = frozenset({"deny", "out_of_scope", "nlu_fallback", "affirm"})
# The least match score by which a message points at one of the procedures offered.
MIN_POINTED_SCORE = 0.5


def _unique(procedures: list[Procedure]) -> list[Procedure]:
    seen: dict[str, Procedure] = {}
    for p in procedures:
        seen.setdefault(p.id, p)
    return list(seen.values())


def plan_reply(
    kb: KnowledgeBase,
    *,
    intent: str | None,
    entity_values: list[str],
    slot_procedure: str | None,
    last_aspect: str | None,
    text: str,
    follows_up: bool = False,
    repeats_last: bool = False,
    papers_only: bool = False,
    offered: Sequence[str] = (),
    who_goes: bool = False,
    jointly: bool = False,
) -> Reply:
    """Decide the reply for one turn (pure: no tracker, no I/O). ``follows_up``: the
    message only names a procedure, or answers the bot's question which one.
    ``repeats_last``: the message asks the last question again ("X thì sao").
    ``papers_only``: the names in the message are papers of ``slot_procedure``, which is
    asked about. ``offered``: the procedures of the bot's "which one?" just before, offered
    again for a question that still names none. ``who_goes``: the message asks who must
    go or who may go instead (:mod:`actions.who_goes`). ``jointly``: the procedures
    named are joined by "và", "hay"… (:func:`names_jointly`), each gets its answer."""
    aspect = choose_aspect(intent, last_aspect, follows_up=follows_up, repeats_last=repeats_last)
    if jointly and _DIFFERS.search(fold_words(text)):
        aspect = DEFAULT_ASPECT

    chosen: Procedure | None = None
    choices: list[Procedure] = []
    values = [] if papers_only else entity_values
    named = _unique([p for v in values for p in resolve_procedure(kb, v)])
    also: list[Procedure] = []
    if len(named) == 1:
        chosen = named[0]
    elif jointly and len(named) == len(values) and len(named) <= MAX_NAMED_ANSWERED:
        # Each name is one procedure (no "công chứng", which is two): answer each.
        chosen, *also = named
    elif named:
        choices = named
        if not asks_of_them(text):
            # "mất ví, trong đó có cả căn cước và bằng lái" asks nothing: the aspect the
            # classifier guessed (ask_duration) is no question; a pick gets the overview.
            aspect = DEFAULT_ASPECT
    else:
        # One matching pass serves both the names written out whole and, at the end,
        # the closest procedures to offer (2–15 ms a message since 877d5b8).
        found = closest_procedures(kb, text, limit=5)
        whole = [] if papers_only else [m.procedure for m in found if m.score == 1.0]
        if len(whole) == 1:
            chosen = whole[0]
        elif whole and not (slot_procedure and asks_yes_no(text)):
            # A name several procedures share beats the one carried over ("công chứng ở
            # đâu" after xác nhận độc thân: which công chứng?), but a yes/no question asks
            # what the procedure discussed needs ("có cần công chứng hợp đồng không").
            choices = whole
        if chosen is None and not choices and not papers_only:
            # "bà nội em mới mất thì cần giấy tờ gì": the event names the procedure.
            told = situation_procedures(kb, text)
            if len(told) == 1:
                chosen = told[0]
            else:
                choices = told
        if chosen is None and not choices and slot_procedure:
            from_slot = resolve_procedure(kb, slot_procedure)
            if len(from_slot) == 1:
                chosen = from_slot[0]
            else:
                choices = from_slot
        if chosen is None and not choices:
            choices = _unique([p for v in offered for p in resolve_procedure(kb, v)])
            # Of several offered, the one the message points at ("ho kd thi nop o dau"
            # after hộ kinh doanh or doanh nghiệp?): the only one it loosely matches.
            loose = {m.procedure.id for m in found if m.score >= MIN_POINTED_SCORE}
            pointed = [p for p in choices if p.id in loose]
            if len(choices) == 1 or len(pointed) == 1:
                # The only procedure offered, not picked but asked about further ("phí
                # hết bn" after "sang tên … thì lm sao" offered đăng ký xe alone).
                chosen, choices = (choices if len(choices) == 1 else pointed)[0], []
        if chosen is None and not choices:
            choices = [m.procedure for m in found[:MAX_CHOICES]]

    if chosen is not None and asks_for_a_copy(text, chosen.id) and COPY_PROCEDURE in kb:
        chosen = kb.procedures[COPY_PROCEDURE]
    if chosen is not None:
        # Each aspect asked in a clause of its own, in the order asked; an overview
        # ("thủ tục thế nào") already holds the fee and the time.
        asked = separate_questions(text) if aspect != DEFAULT_ASPECT else []
        order = asked if aspect in asked else [aspect, *asked]
        if who_goes and aspect == DEFAULT_ASPECT:
            # "bố mẹ có phải đi cùng không" reads as an overview question: it gets who
            # goes (or that the entry does not say), then any aspect asked beside it
            # ("…, cần giấy tờ gì").
            order = [WHO_GOES, *aspects_asked(text)]
        elif who_goes and chosen.who_goes:
            order.append(WHO_GOES)
        first, *more = (
            compose_answer(p, a)
            for p in (chosen, *also)
            for a in order
            if p is chosen or a != WHO_GOES or p.who_goes
        )
        return Reply(text=first, aspect=aspect, procedure_id=chosen.id, more=tuple(more))
    choices = choices[:MAX_CHOICES]
    return Reply(
        text=clarification_question(aspect, has_candidates=bool(choices)),
        aspect=aspect,
        buttons=[{"title": p.name, "payload": button_payload(aspect, p.id)} for p in choices],
    )


def _procedures_named(tracker: Tracker) -> list[dict[str, Any]]:
    """The ``procedure`` entities of the latest message, in order."""
    entities = tracker.latest_message.get("entities") or []
    return [e for e in entities if e.get("entity") == "procedure"]


def _names_whole(kb: KnowledgeBase, text: str) -> bool:
    """Whether ``text`` writes out a procedure's name or alias whole."""
    return any(m.score == 1.0 for m in closest_procedures(kb, text, limit=3))


def _background(text: str, entity: dict[str, Any]) -> bool:
    """Whether the ``procedure`` entity tells the citizen's situation rather than what is
    asked (:mod:`actions.background`); a button's payload gives no offsets: never."""
    if "start" not in entity or "end" not in entity:
        return False
    return told_as_background(text, int(entity["start"]), int(entity["end"]))


def procedure_entities(tracker: Tracker) -> list[str]:
    """Values of the ``procedure`` entities of the latest message, in order."""
    return [str(e["value"]) for e in _procedures_named(tracker) if e.get("value")]


class ActionAnswerProcedure(Action):
    """Answers ask_procedure/documents/fee/duration/location/online."""

    def __init__(self, *, store: KnowledgeBaseStore | None = None) -> None:
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

    def _event_told(self, tracker: Tracker) -> Procedure | None:
        """The one procedure a life event in the latest message calls for, when the
        message names none (:mod:`bot.kb.situations`)."""
        kb = None if procedure_entities(tracker) else self.knowledge_base()
        if kb is None:
            return None
        told = situation_procedures(kb, tracker.latest_message.get("text") or "")
        return told[0] if len(told) == 1 else None

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        turn = turn_before_latest_message(tracker.events)
        if asks_when_the_dossier_is_done(
            intent, turn, names_a_procedure=bool(procedure_entities(tracker))
        ):
            # "bao giờ thì xong" right after a dossier's status: that dossier's date, from
            # the status answer again (the one-stop answer is cached), not a procedure's.
            if turn.found_dossier:
                log.info("kb.answer.dossier_date")
                return [FollowupAction(STATUS_ACTION)]
            log.info("kb.answer.dossier_date_unknown")
            dispatcher.utter_message(text=MSG_DOSSIER_DATE_UNKNOWN, buttons=BUTTONS_OFFICIAL)
            return []
        more = self.answer_more_documents(dispatcher, tracker, turn)
        if more is not None:
            return more
        return self.answer(dispatcher, tracker, intent=intent, turn=turn)

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
        picked = button_picked(text, turn.buttons)
        if picked is not None:
            # "2" right after buttons: the second one, as if pressed.
            answered = self.answer_button(dispatcher, str(picked.get("payload") or ""))
            if answered is not None:
                return answered
        procedure = turn.answered
        if procedure is None:
            return None
        more = self.answer_more_documents(dispatcher, tracker, turn)
        if more is not None:
            return more
        if is_confused(text):
            return self.offer_aspects(dispatcher, tracker, procedure)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in CORRECTION_READINGS and is_correction(text):
            # "ko phai cai do, y toi la …", "à nhầm, xe máy": the answer missed.
            log.info("kb.follow_up.correction", read_as=intent, procedure=procedure)
            if procedure_entities(tracker):  # "không phải, ý tôi là hộ chiếu"
                last = tracker.get_slot("last_aspect")
                aspect = last if last in ASPECTS else DEFAULT_ASPECT
                return self.answer(dispatcher, tracker, intent=aspect, turn=turn)
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
        if aspect is None:
            return None
        log.info("kb.follow_up.answered", read_as=intent, aspect=aspect, procedure=procedure)
        return self.answer(dispatcher, tracker, intent=aspect, turn=turn)

    def answer_button(
        self, dispatcher: CollectingDispatcher, payload: str
    ) -> list[dict[str, Any]] | None:
        """What pressing the button with ``payload`` gives: an aspect of a procedure
        answered, or an official asked for; None, saying nothing, for another payload."""
        if payload_intent(payload) == "request_human":
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
        last = tracker.get_slot("last_aspect")
        return [
            SlotSet("procedure", procedure),
            SlotSet("last_aspect", last if last in ASPECTS else DEFAULT_ASPECT),
        ]

    def offer_situation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        """After the out-of-scope reply to a message that tells a life event calling for
        one procedure but asks nothing of it ("vợ mới sinh nên ăn gì cho lợi sữa", "cty
        cho em nghỉ việc rồi"): offer that procedure's aspects as buttons, and keep it as
        the procedure discussed, so "hạn nộp là bao lâu" next asks about it. Nothing,
        otherwise."""
        told = self._event_told(tracker)
        if told is None:
            return []
        log.info("kb.situation.offered", procedure=told.id)
        return _offer(dispatcher, told, MSG_EVENT_OFFER)

    def offer_named(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        """After the reply to a request for an official that names one procedure ("có ai
        trực không, mình muốn hỏi về giấy phép xây dựng"): offer what the bot can say of
        it meanwhile, and keep it as the procedure discussed. Nothing, otherwise."""
        kb = self.knowledge_base()
        if kb is None:  # the reply is out; the offer is a bonus
            return []
        named = _unique([p for v in procedure_entities(tracker) for p in resolve_procedure(kb, v)])
        if len(named) != 1:
            return []
        log.info("kb.named.offered", procedure=named[0].id)
        return _offer(dispatcher, named[0], MSG_MEANWHILE_OFFER)

    def answer_situation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]] | None:
        """Answer the latest message, read as out of scope or unclear, when it tells a
        life event that calls for one procedure and asks something ("anh em muốn cưới
        vợ người Trung Quốc thì đăng ký ở đâu", :mod:`bot.kb.situations`); None, saying
        nothing, otherwise."""
        text = tracker.latest_message.get("text") or ""
        told = self._event_told(tracker) if asks_something(text) else None
        if told is None:
            return None
        aspect = next(iter(aspects_asked(text)), DEFAULT_ASPECT)
        log.info("kb.situation.answered", procedure=told.id, aspect=aspect)
        return self.answer(dispatcher, tracker, intent=aspect)

    def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        *,
        intent: str | None,
        turn: BotTurn | None = None,
    ) -> list[dict[str, Any]]:
        """Answer the latest message as ``intent`` (the message's own, or the aspect a
        follow-up was read as, :mod:`actions.follow_ups`). ``turn``: the bot's turn before
        the message, when the caller has read it already."""
        kb = self._knowledge_base_or_apologise(dispatcher)
        if kb is None:
            return []
        text = tracker.latest_message.get("text") or ""
        named = _procedures_named(tracker)
        # The message's own entities have filled the slot by now; the procedure discussed
        # is the one before them.
        earlier = slot_before_latest_message(tracker.events, "procedure")
        asked = [e for e in named if not _background(text, e)]
        blanked = text
        for e in named:
            if e not in asked:
                start, end = int(e["start"]), int(e["end"])
                blanked = blanked[:start] + " " * (end - start) + blanked[end:]
        if len(asked) < len(named) and (asked or earlier or _names_whole(kb, blanked)):
            # "có sổ hồng rồi", "ny a hộ khẩu hải phòng": told, not asked about. Blanked
            # out (offsets kept), so the name is not matched in the text again; another
            # procedure is left: named, discussed before, or written out whole ("có cccd
            # rồi thì có cần hộ chiếu nữa không", where no entity was found).
            log.info("kb.answer.background_dropped", dropped=len(named) - len(asked))
            text, named = blanked, asked
            current = asked[-1]["value"] if asked else earlier
        else:
            current = tracker.get_slot("procedure")
        values = [str(e["value"]) for e in named if e.get("value")]
        spans = [(int(e["start"]), int(e["end"])) for e in named if "start" in e and "end" in e]
        if turn is None:
            turn = turn_before_latest_message(tracker.events)
        papers_only = earlier is not None and asks_about_papers(text, spans)
        # "cái sau lệ phí bao nhiêu" after answers about two procedures: the second one;
        # "làm cái nào" after them: which of them, asked back.
        referred, which = None, []
        if not spans:
            recent = recent_bot_texts(tracker.events, turns=3)
            referred = procedure_referred(kb, text, recent, current=current)
            which = asked_which_of_them(kb, text, recent)
        slot_procedure = referred or (earlier if papers_only else current)
        reply = plan_reply(
            kb,
            intent=intent,
            entity_values=values,
            slot_procedure=None if which else slot_procedure,
            last_aspect=tracker.get_slot("last_aspect"),
            text=text,
            follows_up=only_names(text, spans) or turn.asked_which_one,
            repeats_last=turn.answered is not None
            and asks_what_about(without_place(text) if referred else text),
            papers_only=papers_only,
            offered=which or turn.offered,
            who_goes=asks_who_goes(text),
            jointly=not papers_only and names_jointly(text, spans),
        )
        if reply.is_answer and reply.aspect == FEE and asks_about_a_penalty(text):
            # "xay ko phep thi phat bn" reads as a fee question; the fee is no penalty.
            log.info("kb.answer.beyond_data", procedure=reply.procedure_id, why="penalty")
            return self.offer_aspects(
                dispatcher, tracker, str(reply.procedure_id), template=MSG_BEYOND_DATA
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
        else:
            log.info("kb.answer.clarify", aspect=reply.aspect, choices=len(reply.buttons))
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return [SlotSet("procedure", reply.procedure_id), SlotSet("last_aspect", reply.aspect)]
