"""Planning one procedure reply, pure: which procedure, which aspect, an answer or a
question with choices (:func:`plan_reply`), and the word rules it reads the message by.

No tracker and no I/O: :class:`actions.procedures.ActionAnswerProcedure` reads the
conversation and the knowledge base, calls :func:`plan_reply`, and says the reply.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from actions.aspect_words import asks_whether_required, aspects_asked, separate_questions
from actions.background import residence_as_background
from actions.copies import COPY_PROCEDURE, asks_for_a_copy, asks_for_copies
from actions.follow_ups import WHAT_ABOUT
from actions.history import BotTurn
from actions.who_goes import asks_either_or
from actions.yes_no import asks_yes_no, asks_yes_no_in_a_clause
from bot.kb import (
    ASPECTS,
    KnowledgeBase,
    Procedure,
    closest_procedures,
    compose_answer,
    resolve_procedure,
)
from bot.kb.answers import ASPECT_LABELS, WHO_GOES, clarification_question
from bot.kb.situations import situation_procedures
from bot.nlu.roles import names_a_paper
from bot.nlu.text import fold_words

DEFAULT_ASPECT = "ask_procedure"
FEE = "ask_fee"
DURATION = "ask_duration"
LOCATION = "ask_location"
DOCUMENTS = "ask_documents"
ONLINE = "ask_online"
MAX_CHOICES = 3
MAX_JOINT_OFFERED = 2  # procedures offered that an aspect asked of them all is answered for


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
# "cả" too: "mất cả bằng lái cả cà vẹt xe" (batch 65).
_JOINS = frozenset(("va", "voi", "vs", "hay", "hoac", "lan", "ca"))
# Both asked for after the names, in so many words (folded; batch 48).
_BOTH = re.compile(r"\bca (?:hai|2) (?:viec|thu tuc|cai|loai)\b|\bca (?:hai|2)$")
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
    if _BOTH.search(fold_words(text[spans[-1][1] :])):
        return True  # "… nhập hộ khẩu … và mua bảo hiểm y tế …, hướng dẫn giúp cả hai việc"
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


# Folded: how a question is opened before its verb, "(ad ơi) cho (em) (muốn) …".
ASKING_LEAD = (
    r"(?:(?:ad|admin|ban|bot|oi|alo|chao ban|chao ad|a|chi|anh) )*(?:(?:cho|xin|muon|can|dinh) )?"
    r"(?:(?:toi|em|e|minh|mk|chau|anh|chi|bac|tui|t) )?(?:(?:muon|can|xin) )?"
)
# Folded: "(ad ơi) cho (em) hỏi (về) …", "em muốn hỏi …", "tư vấn giúp … ".
_OPENS_A_QUESTION = re.compile(
    ASKING_LEAD + r"(?:hoi|tu van|huong dan)(?: (?:ve|giup|gium|chut|ti|xiu|thu tuc))* \w"
)
# "cần làm gì", "làm giấy gì", "làm thế nào", "thủ tục", "được hưởng gì": what to do, the
# overview (folded).
_WHAT_TO_DO = re.compile(
    r"\b(?:lam gi|lam j|lam giay|the nao|nhu nao|ntn|lam sao|ra sao|thu tuc|kieu gi|huong gi|xin phep)\b"
)


BIRTH, DEATH = "khai_sinh", "khai_tu"
# A birth registration for an elder (folded): "làm giấy khai sinh cho bà".
_FOR_AN_ELDER = re.compile(
    r"\bkhai sinh cho (?:ba|ong|cu|bo|me|cha|bac)(?: (?:noi|ngoai|chong|vo|nha))?\b"
)


def _for_the_dead(kb: KnowledgeBase, text: str) -> bool:
    """Whether ``text`` tells a death and asks a birth registration for an elder (pure)."""
    if not _FOR_AN_ELDER.search(fold_words(text)):
        return False
    return any(p.id == DEATH for p in situation_procedures(kb, text))


def asks_something(text: str) -> bool:
    """True when ``text`` asks an aspect in so many words, or what to do ("con em mới đẻ,
    giờ cần làm gì"); a word that only leans to one does not count ("thay dầu" is no "ở
    đâu")."""
    return (
        bool(aspects_asked(text))
        or bool(_WHAT_TO_DO.search(fold_words(text)))
        # "muốn xây lại nhà cấp 4 thì có cần xin giấy phép không" (batch 77)
        or asks_whether_required(text)
    )


# A paper someone demands (folded): "bên đó họ đòi giấy xác nhận độc thân" (batch 63),
# "ngân hàng yêu cầu giấy …", "công ty bắt phải có lý lịch tư pháp".
_DEMANDED = re.compile(
    r"\b(?:doi|yeu cau|bat|bao) (?:phai )?(?:co |nop |lam )?(?:giay|ban|phieu|the|so|to)\b"
)


def demands_a_paper(text: str) -> bool:
    """True when ``text`` tells that someone demands a paper ("họ đòi giấy xác nhận độc
    thân"): how to get it is what is wanted, though nothing is asked (pure)."""
    return bool(_DEMANDED.search(fold_words(text)))


# "xin số 1 hay số 2 vậy": a choice between two, ending as a question (folded).
_A_CHOICE = re.compile(r"\S \bhay\b \S.*(?:\?|\b(?:vay|v|z|a|ha|nhi|the|day|ta)\W*)$")


def asks_a_choice(text: str) -> bool:
    """True when ``text`` asks which of two ("xin so 1 hay so 2 vay", "đi Nhật thì xin số 1
    hay số 2?"; pure)."""
    return bool(_A_CHOICE.search(fold_words(text) + ("?" if text.rstrip().endswith("?") else "")))


def opens_a_question(text: str) -> bool:
    """True when ``text`` opens as a question about what follows: "cho hỏi (về) …", "em
    muốn hỏi …" ("cho hỏi đăng ký cư trú", read as out of scope; pure)."""
    return bool(_OPENS_A_QUESTION.match(fold_words(text)))


def asks_when_the_dossier_is_done(
    intent: str | None, turn: BotTurn, *, names_a_procedure: bool
) -> bool:
    """True for "bao giờ thì xong", "hẹn trả ngày nào" (read as ``ask_duration``, naming
    no procedure) right after a dossier's status, found or not (pure); a found one left
    its code in ``turn.slots``."""
    return intent == "ask_duration" and not names_a_procedure and turn.gave_status


# Copies to certify ("15 bản photo", "bản sao", "sao y"), folded: which "chứng thực".
CERTIFIED_COPIES = "chung_thuc_ban_sao"
_COPIES = re.compile(
    r"\b(?:ban (?:photo|sao|chup|copy)|photo|sao y|hoc ba|van bang|chung chi|cai bang|"
    r"bang (?:dai hoc|tot nghiep|cap 3|cap ba|cao dang|dh|tn|diem))\b"  # "bằng đh vs bảng điểm"
)


# A copy or signature done already (folded): "hợp đồng công chứng rồi", "đã chứng thực xong".
_DONE_ALREADY = re.compile(r"\b(?:cong chung|chung thuc)(?: \w+)? (?:roi|r|xong)\b")


# A name followed by the kind of copy asked about: "giấy kết hôn bản photo đc ko" after
# thường trú's documents is a paper of thường trú (folded).
_COPY_AFTER = re.compile(r"(?:\w+ )?(?:ban (?:photo|sao|goc|chinh|copy)|photo|cong chung)\b")


def asks_about_papers(text: str, spans: Iterable[tuple[int, int]]) -> bool:
    """True when every procedure named is a paper asked for in a yes/no question: "có
    cần mang căn cước không" after hộ chiếu asks about hộ chiếu's papers, not căn cước;
    "giấy kết hôn bản photo đc ko" after thường trú, about thường trú's."""
    spans = list(spans)
    return (
        bool(spans)
        and asks_yes_no(text)
        and all(
            names_a_paper(text, start, end) or _COPY_AFTER.match(fold_words(text[end:]))
            for start, end in spans
        )
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


# The least match score by which a message points at one of the procedures offered.
MIN_POINTED_SCORE = 0.5


def unique_procedures(procedures: list[Procedure]) -> list[Procedure]:
    """``procedures`` once each, in order."""
    seen: dict[str, Procedure] = {}
    for p in procedures:
        seen.setdefault(p.id, p)
    return list(seen.values())


# Words too common in names to point at one procedure (folded).
# fmt: off
_NAME_FILLER = frozenset((
    "dang", "ky", "cap", "doi", "lai", "giay", "to", "lam", "xin", "thu", "tuc", "ho", "so",
    "ban", "the", "va", "cho", "cua", "nha", "o", "moi", "lan", "dau", "phep", "chung",
    "nhan", "thuc", "viec", "dk", "dky",
))
# fmt: on


_PORTAL = re.compile(r"\b(?:dich vu cong|dvc)\b")


def _pointed_by_own_words(candidates: Sequence[Procedure], text: str) -> Procedure | None:
    """The one of ``candidates`` that a word of its own names and aliases, which no other
    candidate's hold, names in ``text`` ("xây" of giấy phép xây dựng, not of giấy phép lái
    xe); None when none or several are so named (pure)."""
    # "dịch vụ công" is the portal, not a translator's signature ("người dịch", batch 65).
    words = set(_PORTAL.sub(" ", fold_words(text)).split())
    own = {p.id: _name_words(p) for p in candidates}
    pointed = [
        p
        for p in candidates
        if words & (own[p.id] - set().union(*(own[q.id] for q in candidates if q.id != p.id)))
    ]
    return pointed[0] if len(pointed) == 1 else None


# Before a paper's name (folded): bringing it, needing it, handing it in.
_PAPER_CUES = frozenset(("mang", "dem", "can", "kem", "nop", "photo", "cam"))
_PAPER_NOUNS = frozenset(("so", "giay", "the", "ban", "cai"))
_DOING_VERBS = ("lam ", "dang ky ", "dk ", "xin ", "cap ", "doi ", "gia han ", "nop ")


def _named_as_a_paper(text: str, alias: str) -> bool:
    """Whether the name ``alias`` (folded) written out in ``text`` is a paper to bring or
    need ("… có phải mang sổ hộ khẩu k" while căn cước is discussed, batch 66), not a
    procedure asked about; a name that opens with doing is asked about (pure)."""
    if f"{alias} ".startswith(_DOING_VERBS):
        return False
    folded = fold_words(text)
    at = folded.find(alias)
    before = folded[:at].split() if at >= 0 else []
    while before and before[-1] in _PAPER_NOUNS:
        before.pop()
    return bool(before) and before[-1] in _PAPER_CUES


def _name_words(p: Procedure) -> set[str]:
    """The folded words of ``p``'s name and aliases, but common ones."""
    return {w for t in (p.name, *p.aliases) for w in fold_words(t).split()} - _NAME_FILLER


def _copy_asked_for(kb: KnowledgeBase, named: list[Procedure], text: str) -> Procedure | None:
    """The copy of a civil-status record (trích lục) when ``named`` are that copy and the
    records it copies, and ``text`` asks for one (:func:`actions.copies.asks_for_a_copy`)."""
    ids = {p.id for p in named}
    if COPY_PROCEDURE not in ids or len(ids) < 2 or COPY_PROCEDURE not in kb:
        return None
    records = ids - {COPY_PROCEDURE}
    if all(asks_for_a_copy(text, r) for r in records):
        return kb.procedures[COPY_PROCEDURE]
    return None


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
    background_only: bool = False,
) -> Reply:
    """Decide the reply for one turn (pure: no tracker, no I/O). ``follows_up``: the
    message only names a procedure, or answers the bot's question which one.
    ``repeats_last``: the message asks the last question again ("X thì sao").
    ``papers_only``: the names in the message are papers of ``slot_procedure``, which is
    asked about. ``offered``: the procedures of the bot's "which one?" just before, offered
    again for a question that still names none. ``who_goes``: the message asks who must
    go or who may go instead (:mod:`actions.who_goes`). ``jointly``: the procedures
    named are joined by "và", "hay"… (:func:`names_jointly`), each gets its answer.
    ``background_only``: every name in the message was told as the situation; a life event
    told beside them is situation too, and ``slot_procedure`` stays the one asked about."""
    aspect = choose_aspect(intent, last_aspect, follows_up=follows_up, repeats_last=repeats_last)
    if jointly and _DIFFERS.search(fold_words(text)):
        aspect = DEFAULT_ASPECT

    chosen: Procedure | None = None
    choices: list[Procedure] = []
    values = [] if papers_only else entity_values
    named = unique_procedures([p for v in values for p in resolve_procedure(kb, v)])
    also: list[Procedure] = []
    copy = _copy_asked_for(kb, named, text)
    if copy is not None:
        # "làm mất giấy khai sinh rồi, … cần bản sao giấy khai sinh thì xin lại ở đâu"
        # names khai sinh and trích lục: the copy is asked for.
        chosen = copy
    elif len(named) == 1:
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
        whole = (
            []
            if papers_only
            else [
                m.procedure
                for m in found
                if m.score == 1.0 and not (slot_procedure and _named_as_a_paper(text, m.alias))
            ]
        )
        if slot_procedure and _DONE_ALREADY.search(fold_words(text)):
            # "hđ mua bán công chứng r" while sổ đỏ is discussed: done, not asked about.
            whole = []
        if len(whole) > 1:
            # "giấy ủy quyền … chứng thực ở đâu": of the procedures a shared name is, the
            # one the life event told calls for; "chứng thực 15 bản photo …", the copies.
            told_too = [p for p in situation_procedures(kb, text) if p in whole]
            if len(told_too) != 1 and _COPIES.search(fold_words(text)):
                told_too = [p for p in whole if p.id == CERTIFIED_COPIES]
            whole = told_too if len(told_too) == 1 else whole
        discussed = [p for p in whole if p.id == slot_procedure]
        if len(whole) == 1:
            chosen = whole[0]
        elif discussed:
            # "có chứng thực điện tử không, để gửi mail cho cháu" while chứng thực bản sao
            # is discussed: of the procedures the shared name is, the one discussed.
            chosen = discussed[0]
        elif whole and not (
            # "giấy ủy quyền có phải chứng thực không, nó đang ở Úc" (batch 109): the yes/no
            # clause may come first.
            slot_procedure
            and (
                asks_yes_no(text)
                or (asks_yes_no_in_a_clause(text) and not aspects_asked(text))
                or asks_either_or(text)
            )
        ):
            # A name several procedures share beats the one carried over ("công chứng ở
            # đâu" after xác nhận độc thân: which công chứng?), but a yes/no question asks
            # what the procedure discussed needs ("có cần công chứng hợp đồng không", "giấy
            # mua bán viết tay có đc không hay phải công chứng").
            choices = whole
        if (
            chosen is None
            and not choices
            and not papers_only
            and not (
                # "ba ko co giay dang ky ket hon cua bo me no, chung no cuoi nhau o que …"
                # (batch 108) while khai sinh is discussed: "cưới nhau" is the story too.
                background_only and slot_procedure
            )
        ):
            # "bà nội em mới mất thì cần giấy tờ gì": the event names the procedure.
            told = situation_procedures(kb, text)
            # Of several answered together, the first stands for them ("mat phi k" got
            # căn cước's and khai sinh's fees, batch 107).
            discussed = slot_procedure or next(iter(offered), None)
            if residence_as_background((p.id for p in told), discussed, text):
                told = []  # "e o tro ha long, lm o day dc k" while căn cước is discussed
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
            choices = unique_procedures([p for v in offered for p in resolve_procedure(kb, v)])
            # Of several offered, the one the message points at ("ho kd thi nop o dau"
            # after hộ kinh doanh or doanh nghiệp?): the only one it loosely matches.
            loose = {m.procedure.id for m in found if m.score >= MIN_POINTED_SCORE}
            pointed = [p for p in choices if p.id in loose]
            if len(choices) == 1 or len(pointed) == 1:
                # The only procedure offered, not picked but asked about further ("phí
                # hết bn" after "sang tên … thì lm sao" offered đăng ký xe alone).
                chosen, choices = (choices if len(choices) == 1 else pointed)[0], []
            elif 1 < len(choices) <= MAX_JOINT_OFFERED and aspect != DEFAULT_ASPECT:
                # "xin online được không, ở xa quá" right after "which one: kết hôn or xác
                # nhận tình trạng hôn nhân?": the buttons passed over, an aspect asked of
                # both; each answers it rather than the same question again.
                (chosen, *also), choices = choices, []
        if chosen is None and not choices:
            choices = [m.procedure for m in found[:MAX_CHOICES]]
            # "… định phá cái nhà cấp 4 xây thành nhà 2 tầng, có phải xin giấy phép không":
            # of the closest, the one a word of its own names ("xây").
            pointed = _pointed_by_own_words(choices, text)
            if pointed is not None:
                chosen, choices = pointed, []

    if chosen is not None and chosen.id == BIRTH and _for_the_dead(kb, text) and DEATH in kb:
        # "Mẹ chồng tôi mất rồi. … Tôi muốn làm giấy khai sinh cho bà." (batch 110): the
        # death's registration, named by mistake.
        chosen = kb.procedures[DEATH]
    if chosen is not None and asks_for_a_copy(text, chosen.id) and COPY_PROCEDURE in kb:
        chosen = kb.procedures[COPY_PROCEDURE]
        if asks_for_copies(text) and not aspects_asked(text):
            # "xin 3 bản luôn được ko" (ask_online 0.32) after khai sinh: the copies'
            # overview, which says what each costs.
            aspect = DEFAULT_ASPECT
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
        elif who_goes and aspect != DOCUMENTS and not aspects_asked(text):
            # "chồng tôi có phải đi cùng không hay bố chồng" (ask_location 0.5): who goes
            # is all it asks; the classifier's aspect was a guess. (The documents may say
            # who signs: "có cần chủ nhà ký ko" keeps them.) An entry that does not say
            # who goes gives the guess, then says so ("bác ở nhà làm hộ nó được không",
            # ask_online, of xác nhận tình trạng hôn nhân).
            order = [WHO_GOES] if chosen.who_goes else [aspect, WHO_GOES]
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
