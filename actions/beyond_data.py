"""A question about the procedure just answered that the knowledge base holds no answer
for: "có bị phạt ko", "thế cái trợ cấp đó đc bao nhiêu tháng", "vốn điều lệ tối thiểu
bao nhiêu".

The classifier reads such questions as out of scope (or falls back): they ask no aspect the
knowledge base holds. Right after a procedure answer they are still about that procedure,
so "việc này nằm ngoài phạm vi" is the wrong reply: the bot says it has no information on
that for the procedure, points to the one-stop desk or an official, and offers what it
can answer. The question is still kept for editors (:mod:`bot.kb.unanswered`), with the
procedure: these are the gaps they fill.

A message counts when it asks something (a question mark, a yes/no ending, a question
word, "thì sao") and is tied to the conversation: it opens as a follow-up does ("thế",
"vậy thì", "nếu"…), says "thì sao" or asks about a penalty ("phạt"; ``MAX_WORDS`` at
most); or it uses words of paperwork ("nộp muộn", "quá hạn", "ủy quyền", "cắt khẩu"…,
``MAX_PAPERWORK_WORDS``); or, short (``MAX_SHORT_WORDS``), it shares two words in a row
with the procedure's entry that at most two entries hold ("vốn điều lệ" and "Điều lệ công
ty"). A question with its own subject ("mua xe máy trả góp cần giấy tờ gì", "giá vàng
hôm nay bn vậy") stays out of scope: of the labelled out of scope examples,
``tests/test_beyond_data.py`` checks how few would be taken.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Any

from actions.aspect_words import aspects_asked
from actions.yes_no import asks_yes_no
from bot.kb import KnowledgeBase, Procedure
from bot.kb.situations import SITUATION_GAP
from bot.nlu.text import fold, fold_words, typed_words
from bot.nlu.unknown_words import is_unknown_words_fallback

MAX_WORDS = 20
_CLAUSE = re.compile(r"[.;:,()•\n–]+")
MAX_PAPERWORK_WORDS = 10
MAX_SHORT_WORDS = 8
MAX_ENTRIES_PER_PAIR = 2
# Distinctive pairs a question shares with the answer just sent (a three-word name).
MIN_SHARED_PAIRS = 2
MISREAD = frozenset({"out_of_scope", "nlu_fallback"})
# "ko cần cắt khẩu ở quê à" reads as deny: a yes or no that asks (none of the 272 labelled
# affirm and deny examples would be taken).
YES_NO_READINGS = frozenset({"affirm", "deny"})

# fmt: off
# Accent-folded. "mấy" (may) is left out: folded it is also "máy" ("xe máy").
_QUESTION_WORDS = frozenset(("sao", "gi", "j", "nao", "bn", "ntn", "nhieu", "lau"))
# How a follow-up opens; "còn", "mà", "vậy", "thì" alone are left out, folded they are
# also "con" (child), "ma" (mã số), "vay" (borrow), "thi" (exam); "thế" is below.
_OPENERS = (
    "neu ", "vay thi ", "vay con ", "vay neu ", "vay co ", "z thi ", "con neu ",
    "nhung neu ", "voi lai ", "vs lai ", "the con ", "the thi ",
)
# A penalty ("có bị phạt ko", "quá hạn thì phạt bn"): the knowledge base holds none, and a
# question about one is about the procedure whatever its length. Pairs: "phát" folds
# alike ("chuyển phát nhanh").
_PENALTY = frozenset((
    "bi phat", "nop phat", "xu phat", "muc phat", "an phat", "phat bn", "phat bao",
    "phat tien", "phat khong", "phat ko", "phat k", "phat hanh",
))
# When an office is open: a day it may be closed with a word of being open ("sáng thứ 7 có
# làm ko", "cuối tuần công an phường có làm k"), unless the question counts days ("tính cả
# thứ bảy chủ nhật không" is the time a dossier takes, in working days); or a phrase of
# opening hours. Folded; "mấy giờ" alone is also "xe máy giờ làm sao".
_CLOSED_DAYS = frozenset(("thu 7", "thu bay", "chu nhat", "cuoi tuan", "ngay le", "ngay nghi"))
_PAST_DAY = re.compile(
    r"\bhom (?:thu (?:7|bay)|chu nhat|t7)\b"
    r"|\b(?:thu (?:7|bay)|chu nhat|t7|cuoi tuan) (?:tuan truoc|vua roi|vua qua|roi)\b"
)
# A numbered form asked for or about, bare ("số 1", "xin số mấy"; folded); not a bus
# route ("xe bus số 1").
_FORM_NUMBER = re.compile(
    r"(?:^|\b(?:phieu|xin|lam|can|bao|la|loai|cai|hay) )so (?:1|2|mot|hai)\b"
    r"|\b(?:phieu|xin|lam|can|loai) so may\b"  # not "bão số mấy" (a storm)
)
_OPEN_WORDS = frozenset(("lam", "mo", "truc", "tiep", "nhan", "lamviec"))
# Counting days ("tính cả thứ bảy chủ nhật không"), not "tỉnh" (the province), folded.
_COUNTING = frozenset(("tinh ca", "tinh thu", "tinh ngay", "co tinh", "tinh luon"))
_HOURS = re.compile(
    r"\b(?:gio lam viec|gio hanh chinh|gio mo cua|nghi trua|ngoai gio|"
    r"may (?:gio|h) (?:mo|dong|lam viec|nghi)|(?:mo|dong) cua (?:den |luc |tu )?may (?:gio|h))\b"
)
# How long a paper lasts, read as the time it takes ("đc bao lâu thì phải gia hạn"); what
# follows from not doing it, read as an overview question ("ko đăng ký thì có sao ko").
# Neither holds for any labelled example of that aspect.
_VALIDITY = re.compile(
    r"\b(?:duoc|dc) bao lau\b|\bco (?:thoi )?han (?:su dung )?(?:la |trong )?(?:bao|bn) lau\b|"
    r"\bgia tri (?:trong |duoc )?bao lau\b|"
    # "ho chieu dung dc may nam v", "giấy đấy có hạn ko" (batch 28)
    r"\b(?:dung|xai|co gia tri) (?:duoc|dc) (?:may|bao nhieu|bn) nam\b|"
    r"\bco (?:thoi )?han (?:khong|ko|k|kg|hong)\b|"
    # "hộ chiếu bé cấp 2023 còn hạn k" (batch 63)
    r"\b(?:con|het) han (?:khong|ko|k|kg|hong|chua)\b|"
    # "hộ chiếu có giá trị bao nhiêu năm v" (read as the fee), "bản sao chứng thực có hạn 6
    # tháng đúng ko" (batch 37)
    r"\bgia tri (?:trong |duoc |dc )?(?:may|bao nhieu|bn) nam\b|"
    r"\bco (?:thoi )?han (?:su dung )?(?:\d+|mot|hai|ba|sau|muoi) (?:ngay|thang|nam)\b"
)
# A tax to pay (folded; "thuê", rent, folds alike: "tiền thuê" is no tax): "đóng thuế bao
# nhiêu" (batch 37).
# Not lệ phí trước bạ: the labelled fee questions ask it of đăng ký xe and sổ đỏ.
_TAX = re.compile(r"\b(?:dong|nop) thue\b|\bthue (?:mon bai|thu nhap|gtgt|vat|khoan)\b")
_CONSEQUENCE_WORDS = (
    r"\bco (?:bi )?sao (?:khong|ko|k|kg|hok|hong)\b|\bco van de gi\b"
    # "the cu het han 2 thang r, dong lai co bi j k" (batch 56)
    r"|\bco bi (?:gi|j) (?:khong|ko|k|kg|hok|hong)\b"
)
_CONSEQUENCE = re.compile(_CONSEQUENCE_WORDS)
_SO_WHAT = re.compile(r"\b(?:thi|co) sao\b")
# The procedure itself not done (folded): "không sang tên", "chưa đăng ký", "ko đổi".
_NOT_DONE = re.compile(
    r"\b(?:k|ko|khong|kg|chua) (?:sang ten|dang ky|dang ki|dk|dky|doi|gia han|khai bao|khai)\b"
)
# What may come before the day in a question about when the office is open (folded).
_OFFICE_WORDS = frozenset((
    "sang", "chieu", "toi", "trua", "the", "vay", "con", "thi", "ma", "o", "tai", "cho",
    "xa", "phuong", "ubnd", "uy", "ban", "cong", "an", "mot", "cua", "bo", "phan", "trung",
    "tam", "hanh", "chinh", "noi", "nop", "lam", "co", "ho", "so", "e", "em", "a", "anh",
    "chi", "ad", "oi", "hoi", "minh", "mo",  # "phường mở cửa thứ 7 ko" (batch 56)
    "ben",  # "bên mình chiều thứ 7 có làm việc không" (batch 62)
    "mai",  # "mai t7 xa co lam k" (batch 66)
    "viec",  # "phuong lam viec thu 7 ko ad" (batch 74)
))
_HOURS_TOLD = re.compile(r"\b(?:gio hanh chinh|gio lam viec|thu bay|thu 7|chu nhat)\b")
# "… thì sao", or what follows ("có sao không", above).
_WHAT_IF = re.compile(
    r"\b(?:thi sao|thi lam sao|co sao (?:ha|a|ak)|co sao$|co bi sao)\b|" + _CONSEQUENCE_WORDS
)
# What the citizen receives ("thất nghiệp đc bn tiền", "hưởng được mấy tháng") or must hold
# ("cần bao nhiêu vốn"), which the classifier reads as the fee or the time it takes.
# (Also the overview: "đóng bhtn đc 2 năm thì hưởng mấy tháng", ask_procedure 0.95.)
_AMOUNT_READINGS = frozenset(("ask_fee", "ask_duration", "ask_procedure"))
_RECEIVED = re.compile(
    r"\b(?:duoc|dc|huong|linh|nhan)(?: (?:duoc|dc|tam|khoang|khoan))? (?:bao nhieu|bn)"
    r"(?! ngay| lau| tuan)\b|\b(?:huong|linh)(?: (?:duoc|dc))? (?:bao nhieu|bn|may) thang\b"
    # "mẹ đóng 6 năm thì đc mấy tháng" (batch 57): months of benefit received.
    r"|\bthi (?:duoc|dc) (?:may|bao nhieu|bn) thang\b"
)
_CAPITAL = re.compile(r"\b(?:bao nhieu|bn|toi thieu|it nhat) von\b|\bvon (?:dieu le|toi thieu)\b")
# Words of paperwork, in pairs ("nộp muộn", "quá hạn", "mẫu đơn", "ủy quyền", "chữ ký",
# "điều kiện", "mức hưởng", "được miễn", "cấp lại", "giá trị", "cắt khẩu", "nhập cùng"):
# the words of a pair alone are everyday words too ("muốn", "màu", "hướng", "miền", "cáp").
_PAPERWORK_PAIRS = frozenset((
    "nop muon", "muon han", "qua han", "het han", "tre han", "dung han", "thoi han",
    "han nop", "chu ky", "mau don", "to khai", "dieu kien", "muc huong", "duoc huong",
    "duoc mien", "mien phi", "mien le", "cap lai", "cap doi", "cap moi", "gia tri",
    "uy quyen", "ban sao", "ban chinh", "cong chung", "chung thuc", "cat khau",
    "chuyen khau", "nhap cung", "nhap chung", "nhap vao", "nhap ho", "nop lai", "co han",
))
# "để <purpose> thì …": what the paper answered is for (folded).
_FOR_A_PURPOSE = re.compile(r"de (?:\w+ ){1,4}thi (?:dung|xin|lam|nop|co|can|phai)\b")
# "thế" opens a follow-up before these ("thế con tôi", "thế còn phí"); folded it is also
# "thẻ" ("thẻ ATM bị nuốt").
_AFTER_THE = frozenset((
    "chung", "con", "thi", "neu", "co", "cai", "la", "nop", "lam", "o", "bao", "phai", "can",
    "minh", "em", "e", "toi", "anh", "chi", "bac", "chau", "nguoi", "ai", "khi", "sao", "ra",
))
# Two words in a row that every entry and many questions hold: no tie to the procedure.
_COMMON_PAIRS = frozenset((
    "bao nhieu", "bao lau", "o dau", "co the", "the nao", "thi sao", "duoc khong",
    "co phai", "phai co", "co duoc", "cua ban", "cho ban", "ban co", "ban can", "la gi",
    "nhu the", "khong can", "can phai", "ngay lam", "lam viec", "giay to", "ho so",
    "thu tuc", "nop ho", "tai trung", "trung tam", "co quan", "nguoi dan",
))
# fmt: on


def asks_beyond_the_data(
    message: Mapping[str, Any],
    entry: Procedure,
    kb: KnowledgeBase,
    *,
    readings: frozenset[str] = MISREAD,
    answer_texts: Sequence[str] = (),
) -> bool:
    """True when ``message`` (Rasa's ``latest_message``), read as one of ``readings`` (out
    of scope, by default) right after an answer about ``entry`` of ``kb``, asks something
    about it (pure: the caller checks that the bot has just answered, and that no aspect
    follow-up applies). ``answer_texts``: that answer; a question naming what it says in
    words few entries hold ("giay kham suc khoe thi kham o dau cung dc a" after the
    documents of GPLX: ``MIN_SHARED_PAIRS`` pairs) is about it, however long."""
    intent = message.get("intent") or {}
    if intent.get("name") not in readings or is_unknown_words_fallback(intent):
        return False
    named = {
        e.get("value") for e in message.get("entities") or [] if e.get("entity") == "procedure"
    }
    if named - {entry.id}:
        return False
    text = str(message.get("text") or "")
    words = fold_words(text).split()
    if not words or len(words) > MAX_WORDS:
        return False
    folded = " ".join(words)
    what_about = "thi sao" in folded or "thi the nao" in folded
    # The message, or its last clause ("chỗ e nộp hồ sơ xin việc đòi bản công chứng, thế
    # chứng thực có được ko"), opens as a follow-up does.
    last_clause = fold_words(re.split(r"[,.;]", text.strip(" ?!.,"))[-1]).split()
    opens = any(_opens_a_follow_up(w) for w in (words, last_clause) if w)
    received = _RECEIVED.search(folded) is not None  # "hưởng mấy tháng" asks on its own
    # "giấy đấy có hạn ko ạ, sợ xin sớm quá": how long the paper lasts asks on its own.
    validity = _VALIDITY.search(folded) is not None
    asks = (
        asks_yes_no(text)
        or what_about
        or received
        or validity
        or any(w in _QUESTION_WORDS for w in words)
    )
    if asks_when_the_office_opens(text):
        return True  # "thứ 7 xã có làm k": no entry but căn cước's tells the hours
    if _FORM_NUMBER.search(folded) and "so 1" in _distinctive_pairs(entry, kb):
        # "so 1", "cty bảo số 2", "Phiếu số 1 và phiếu số 2 khác nhau thế nào" after lý lịch
        # tư pháp, whose entry names its forms but not how they differ (batches 50-55).
        return True
    pairs = _pairs(words)
    shared = pairs & _distinctive_pairs(entry, kb) & _pairs_of(answer_texts)
    if len(shared) >= MIN_SHARED_PAIRS and (asks or aspects_asked(text)):
        return True  # "giay kham suc khoe thi kham o dau cung dc a" after GPLX's documents
    if not asks and not (opens and len(words) >= 3):
        return False
    if opens or what_about or pairs & _PENALTY:
        return True
    if len(words) > MAX_PAPERWORK_WORDS:
        return False
    if pairs & _PAPERWORK_PAIRS or received:
        # "được nhận bao nhiêu tiền 1 tháng" after trợ cấp thất nghiệp: an amount received.
        return True
    return len(words) <= MAX_SHORT_WORDS and bool(pairs & _distinctive_pairs(entry, kb))


def _opens_a_follow_up(words: list[str]) -> bool:
    """Whether the folded ``words`` open as a follow-up does ("thế còn", "nếu", "để mua
    nhà thì dùng được k")."""
    folded = " ".join(words)
    return (
        f"{folded} ".startswith(_OPENERS)
        or (len(words) > 1 and words[0] == "the" and words[1] in _AFTER_THE)
        # "để mua nhà thì dùng được k": what the paper is for
        or _FOR_A_PURPOSE.match(folded) is not None
    )


def answered_in(text: str, answer_texts: Iterable[str]) -> bool:
    """Whether the answer already sent (``answer_texts``) speaks of what ``text`` asks:
    they share two words in a row, within a clause, that many questions do not ("ly hôn"
    in "e ly hôn rồi thì cần thêm gì" and "Nếu trước đây đã có vợ/chồng: giấy tờ chứng minh
    đã ly hôn"), with the accent marks typed ("sổ bhxh" is not "hồ sơ; BHXH"; pure)."""
    marked = fold(text) != text.lower()  # typed with marks: compare with them
    words = typed_words if marked else _folded_words
    asked = {p for p in _pairs(words(text)) if fold_words(p) not in _COMMON_PAIRS}
    if not asked:
        return False
    clauses = (c for t in answer_texts for c in _CLAUSE.split(t))
    return any(asked & _pairs(words(c)) for c in clauses)


def _folded_words(text: str) -> list[str]:
    return fold_words(text).split()


def asks_about_a_penalty(text: str) -> bool:
    """True when ``text`` asks about a penalty ("xây ko phép thì phạt bn", read as a fee
    question): no fee answers it."""
    return bool(_pairs(fold_words(text).split()) & _PENALTY)


def asks_about_opening_hours(text: str) -> bool:
    """True when ``text`` asks when an office is open ("sáng thứ 7 có làm ko", "cuối tuần
    công an phường có làm k"): no entry holds opening hours."""
    words = fold_words(text).split()
    if _HOURS.search(" ".join(words)):
        return True
    # A day that was ("mất hôm thứ bảy tuần trước", batch 48) is a date, not when to go.
    words = _PAST_DAY.sub(" ", " ".join(words)).split()
    days = _pairs(words) & _CLOSED_DAYS or "t7" in words
    return bool(days) and bool(_OPEN_WORDS & set(words)) and not _COUNTING & _pairs(words)


def asks_when_the_office_opens(text: str) -> bool:
    """True when ``text`` asks when the office that files dossiers is open ("phường mở cửa
    thứ 7 ko"), not another place ("ngân hàng có mở cửa thứ 7 ko"; pure)."""
    return asks_about_opening_hours(text) and _of_the_office(text)


def _of_the_office(text: str) -> bool:
    """Whether an opening-hours question is about the office that files the dossier: in
    the clause that asks it, nothing but such an office, a time of day or a particle before
    the day or the hours ("thứ 7 xã có làm k", "ok để e lên xã nộp cho chắc, thứ 7 có làm
    không"), not a place of its own ("ngân hàng có mở cửa thứ 7 ko", "chợ Cửa Ông mấy giờ
    mở cửa")."""
    for clause in _CLAUSE.split(text):
        if not asks_about_opening_hours(clause):
            continue
        folded = " ".join(fold_words(clause).split())
        found = [m.start() for m in _HOURS.finditer(folded)]
        found += [folded.find(d) for d in _CLOSED_DAYS if d in folded]
        found += [folded.find("t7")] if "t7" in folded.split() else []
        if found and all(w in _OFFICE_WORDS for w in folded[: min(found)].split()):
            return True
    return False


def asks_what_if(text: str) -> bool:
    """True when ``text`` asks what follows from the situation it tells ("cty chưa trả sổ
    bh thì sao", "ở đc 20 ngày rồi chưa đk có sao ko"), which the classifier reads as a
    status question when it says "chưa" (pure)."""
    return bool(_WHAT_IF.search(fold_words(text)))


def holds_opening_hours(entry: Procedure) -> bool:
    """Whether ``entry`` tells when its office is open, in where to file (căn cước: "Giờ
    hành chính thứ Hai–thứ Sáu và sáng thứ Bảy")."""
    return bool(_HOURS_TOLD.search(fold_words(entry.where)))


# The citizen's deadline asked (folded): "hạn cuối là khi nào", "phải làm trong bao lâu kể
# từ khi đến ở" (batch 61), "chậm nhất mấy ngày phải đăng ký".
_DEADLINE = re.compile(
    r"\b(?:han cuoi|han chot|cham nhat|tre nhat|han nop|thoi han (?:nop|dang ky|dk|khai|lam)"
    r"|phai (?:lam|dang ky|dk|nop|khai|di)(?: \w+){0,3} trong (?:vong )?(?:bao lau|may ngay|bn ngay"
    r"|bao nhieu ngay)"
    # "hạn là 60 ngày đúng k, e sợ quá hạn" (batch 63)
    r"|^(?:thoi )?han (?:la|co phai la) \d+ (?:ngay|thang)"
    # "bà mất 20/12 năm ngoái rồi, giờ có bị quá hạn ko ạ" (batch 73)
    r"|co bi qua han (?:khong|ko|k|kg|chua))\b"
)


# Why, of the answer just given (folded): "sao lại thế", "sao lai the, nha ben canh … co
# so roi", "tại sao vậy" (batch 67).
_WHY = re.compile(
    r"^(?:(?:the|vay|ma|nhung) )?(?:sao|tai sao|vi sao|sao ma) (?:lai )?(?:the|vay|z|v|ky vay|ki vay)\b"
)


def asks_why(text: str) -> bool:
    """True when ``text`` opens by asking why ("sao lại thế", "tại sao vậy"): right after
    an answer, the entry holds no reasons (pure)."""
    return bool(_WHY.match(fold_words(text)))


def asks_a_deadline(text: str) -> bool:
    """True when ``text`` asks by when the citizen must do it ("hạn cuối là khi nào"): not
    the time the office takes (pure)."""
    return bool(_DEADLINE.search(fold_words(text)))


def beyond_the_answer(text: str, aspect: str | None) -> str | None:
    """Why a question the classifier read as ``aspect`` of a procedure asks what no entry
    holds, so that aspect's answer would mislead: "validity" read as the time it takes,
    "consequence" read as an overview question, "penalty" read as the fee ("xây ko phép
    thì phạt bn"; read as another aspect, a penalty is often the situation: "từng bị xử
    phạt hành chính thì có xin được giấy …"), "tax" (a tax read as the fee),
    "opening_hours" ("sáng thứ 7 có làm ko" read as the time it takes), "amount" (what
    the citizen receives or must hold, read as the fee or the time: "thất nghiệp đc bn
    tiền", "cần bao nhiêu vốn"); None when the answer fits (pure)."""
    if aspect == "ask_fee" and asks_about_a_penalty(text):
        return "penalty"
    if aspect == "ask_fee" and _TAX.search(fold_words(text)):
        return "tax"  # "đăng ký hkd xong phải đóng thuế bao nhiêu": no fee is the tax
    if asks_about_opening_hours(text) and not aspects_asked(text):
        # "sao y ở đâu, chủ nhật có chỗ nào làm ko" asks where too: that is answered.
        return "opening_hours"
    folded = fold_words(text)
    if aspect in _AMOUNT_READINGS and (_RECEIVED.search(folded) or _CAPITAL.search(folded)):
        return "amount"
    if aspect in ("ask_duration", "ask_procedure", "ask_fee") and _VALIDITY.search(folded):
        # "tạm trú đc bao lâu thì phải gia hạn": not the time it takes; "hộ chiếu dùng
        # được mấy năm": not the overview.
        return "validity"
    if _NOT_DONE.search(folded) and _SO_WHAT.search(folded):
        # "ko khai thi sao" (batch 66, read as the overview); not "… chưa sang tên, … thì
        # làm sao" (what to do).
        return "consequence"
    if _CONSEQUENCE.search(folded) and (aspect != "ask_documents" or _NOT_DONE.search(folded)):
        # "ko đăng ký thì có sao ko": not how it is done; "quá hạn vài ngày có sao k"
        # (batch 21): not the time it takes. A paper missing "thì có sao k" is asked of
        # the documents, which say what stands in; the procedure not done ("k sang ten
        # thi co sao k", batch 61) is not.
        return "consequence"
    return None


def _pairs(words: list[str]) -> set[str]:
    return {f"{a} {b}" for a, b in pairwise(words)} - _COMMON_PAIRS


def _pairs_of(texts: Sequence[str]) -> set[str]:
    """The pairs of words in a row of ``texts``, accent-folded."""
    return {p for t in texts for p in _pairs(fold_words(t).split())}


def _distinctive_pairs(entry: Procedure, kb: KnowledgeBase) -> frozenset[str]:
    """``entry``'s pairs of words found in at most ``MAX_ENTRIES_PER_PAIR`` entries: "điều
    lệ", "trợ cấp", not "đăng ký" or "Quảng Ninh"."""
    return _distinctive_index(kb).get(entry.id, frozenset())


def _distinctive_index(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    """Each entry's distinctive pairs (worked out once per knowledge base)."""
    return rare_pairs(kb, _entry_pairs, MAX_ENTRIES_PER_PAIR)


@lru_cache(maxsize=8)
def rare_pairs(
    kb: KnowledgeBase, pairs_of: Callable[[Procedure], set[str]], max_entries: int
) -> dict[str, frozenset[str]]:
    """Each entry's pairs of words (``pairs_of`` it) that at most ``max_entries`` entries
    hold, worked out once per knowledge base and way of pairing."""
    found = {p.id: pairs_of(p) for p in kb}
    counts = Counter(pair for pairs in found.values() for pair in pairs)
    return {
        pid: frozenset(p for p in pairs if counts[p] <= max_entries) for pid, pairs in found.items()
    }


def _entry_pairs(entry: Procedure) -> set[str]:
    pairs: set[str] = set()
    for text in _entry_texts(entry):
        pairs |= _pairs(fold_words(text).split())
    return pairs


def _entry_texts(entry: Procedure) -> Iterator[str]:
    yield entry.name
    yield from entry.aliases
    yield entry.summary
    yield from entry.documents
    yield entry.fee.text
    yield entry.processing_time
    yield entry.where
    yield from entry.steps
    yield entry.who_goes
    for event in entry.situations:
        yield from event.split(SITUATION_GAP)  # "xe … sang tên": no pair spans the gap
