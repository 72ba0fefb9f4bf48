"""A message read as out of scope or unclear, right after a procedure answer, taken as a
follow-up on that procedure.

The classifier sees one message at a time. "cấp ở đâu" or "ở Cẩm Phả thì làm đâu" name
no procedure, and on their own they read like everyday questions; right after the bot
answered about căn cước, they ask where to apply for it. So a message is answered as an
aspect of the procedure just discussed when:

- the bot's turn before it answered a procedure question (not a "which one?" question);
- the classifier read it as ``out_of_scope`` or fell back, but not because every word is
  unknown (:mod:`bot.nlu.unknown_words`: keyboard mashing is no question);
- it names no procedure and has at most ``MAX_WORDS`` words: a long message carries its
  own subject ("mở ví momo thì cần những gì ạ");
- the classifier's best aspect intent has at least ``THRESHOLD``, or the message is an
  aspect's own words and hardly anything else ("Thế mua ở đâu hả cháu", out_of_scope 0.82:
  :func:`actions.aspect_words.asks_only_an_aspect`; 1 of the 1,641 labelled out-of-scope
  examples is such, "nhà bot ở đâu").

``THRESHOLD`` and ``MAX_WORDS`` were chosen on the held-out predictions of 5-fold
cross-validation (``docs/nlu.md``, "Follow-ups the classifier reads as out of scope").
Like Rasa's two-stage fallback it second-guesses an unsure reading, but from the
conversation rather than by asking: the answer's first line names the procedure and the
aspect, so a wrong guess is plain to see.

Three kinds of follow-up are read from their words rather than from the ranking:

- "X thì sao" with no aspect of its own ("nhà em ở Cô Tô thì sao", "nhà có 4 người thì
  sao") asks the last question again about X (:func:`asks_what_about`); the procedure
  action uses it too, whatever aspect the classifier guessed;
- a bare statement of where the citizen lives ("e ở Quảng Yên", "nha em o Ha Long", where
  "o" also reads as "ờ", affirm) tells the bot where to submit (:func:`states_residence`);
- a question about who must go or may go instead ("ca 2 dua co phai di cung ko", "chu nha
  phai ky k", read as deny 0.90; "có cần bố mẹ đi cùng không", read as request_human
  0.51; "nhờ con trai đi nộp hồ sơ thay đc k", check_dossier_status 0.46) is answered
  from the entry's ``who_goes`` (:mod:`actions.who_goes`), even when longer than
  ``MAX_WORDS``: "chồng e đi làm xa k về đc thì e đi một mình có đc k".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from actions.aspect_words import (
    IN_PERSON,
    asks_an_aspect,
    asks_only_an_aspect,
    aspects_asked,
    cannot_apply_online,
    goes_in_person,
)
from actions.who_goes import asks_either_or, asks_who_goes
from actions.yes_no import asks_yes_no_in_a_clause
from bot.kb import ASPECTS
from bot.nlu.text import CLAUSE_END, fold_words
from bot.nlu.unknown_words import is_unknown_words_fallback

THRESHOLD = 0.3
MAX_WORDS = 7
MAX_PAYS_WORDS = 12
# A residence statement may name the ward and the town: "nha e o phuong cao xanh ha long".
MAX_RESIDENCE_WORDS = 9
MAX_RESIDENCE_QUESTION_WORDS = 16
_RESIDENCE_CLAUSE = re.compile(r"\b(?:thi|con|nhung|va|voi|vs)\b")
MISREAD = frozenset({"out_of_scope", "nlu_fallback"})
# "o" typed for "ở" also reads as "ờ" (affirm); only a residence statement is rescued then.
MISREAD_STATEMENT = MISREAD | {"affirm"}
LOCATION = "ask_location"
ONLINE = "ask_online"
OVERVIEW = "ask_procedure"
FEE = "ask_fee"
# An amount paid in ("đóng tối thiểu bao nhiêu 1 tháng", "người thứ 2 giảm bao nhiêu %"
# after BHYT's fee, "mức đóng thấp nhất bn 1 tháng"): the fee's answer says what is paid
# (folded).
_PAYS = re.compile(
    r"\b(?:dong|giam)(?: muc)?(?: (?:toi thieu|it nhat|thap nhat|moi thang|1 thang|"
    r"mot thang|hang thang|thang|moi nam|1 nam|mot nam|hang nam|nam))? (?:bao nhieu|bn)\b"
    # "it nhat 1 thang bao nhieu" (batch 52): the least, by the month or the year.
    r"|^(?:toi thieu|it nhat|thap nhat) (?:1|mot|moi) (?:thang|nam) (?:bao nhieu|bn)\b"
    # "1 trang 2k phai k" (batch 110, after the copies' papers): a sum to confirm.
    r"|\b\d+ ?(?:k|nghin|ngan|dong|trieu|tr)\b.*\b(?:phai|dung) (?:k|ko|khong|kg|hong)\b"
    # "dong theo 6 thang duoc khong" (batch 105, after BHYT's fee): how often it is paid.
    r"|\bdong (?:theo |tung |moi lan )?(?:\d+|mot) (?:thang|quy|nam)(?: (?:1|mot) lan)?"
    r" (?:duoc|dc)\b"
)
# The least paid in, in a longer message: "đóng mức thấp nhất bao nhiêu 1 tháng" (folded;
# "tiền rác mỗi tháng đóng bao nhiêu, đóng cho ai" is no insurance).
_PAYS_LEAST = re.compile(r"\b(?:dong|muc dong)(?: muc)? (?:toi thieu|it nhat|thap nhat)\b")
# Who-goes questions are read as any of these; a request for an official or a status
# question only when unsure, since "nhờ cán bộ làm hộ được không" may well want an official
# ("nhờ con trai đi nộp hồ sơ thay đc k" reads as check_dossier_status 0.46).
UNSURE_ONLY = frozenset({"request_human", "check_dossier_status"})
MISREAD_WHO_GOES = MISREAD_STATEMENT | {"deny"} | UNSURE_ONLY
UNSURE_BELOW = 0.7
MAX_WHO_GOES_WORDS = 16
MIN_DENY_ASKING_WORDS = 4
MAX_FIRST_CLAUSE_WORDS = 6
# A longer message may tell its circumstances first and ask last: "vay nha e 2 nguoi lon 2
# dua nho 4 tuoi voi 9 tuoi thi tong bao nhieu" (batch 80); the last clause, after a comma
# or "thì", asks hardly more than an aspect.
MAX_TOLD_FIRST_WORDS = 20
_THEN = re.compile(r"\bthi\b")
# What the earlier clauses may not say for the last to ask of the procedure discussed:
# something else done or wanted ("chồng em … muốn gia hạn visa thì làm ở đâu", "công ty nợ
# lương 3 tháng thì kiện ở đâu"; folded).
_ANOTHER_DOING = re.compile(
    r"\b(?:muon|can|dinh|lam|xin|dang ky|dang ki|dk|dky|gia han|mo|lap|kien|bao|phan anh|doi"
    r"|gui|nop|sua|thi|huong|mua|ban|cap|mat|bi|no|lua|hoi)\b"
)
# Nor the last clause ask of a doing no procedure is: "thì kiện ở đâu", "phản ánh ở đâu".
_DONE_ELSEWHERE = re.compile(r"\b(?:kien|phan anh|to cao|khieu nai|bao (?:o|tai|cho)|co lai)\b")
# "ca 2 nguoi phai cung den a" (batch 70): "phải … à" asks.
_MUST_A = re.compile(r"\bphai\b.* (?:a|ha|ah|ak|sao)$")

# "thì sao" (folded): "X thì sao" asks the last question again, about X.
WHAT_ABOUT = re.compile(r"\bthi sao\b")

# A residence statement: who (optional), "ở"/"sống ở"/"thuê trọ ở"…, then the place, with
# no question word: "em đang ở Vân Đồn", "nhà em ở hạ long ạ", "e thuê trọ ở Cẩm Phả".
# fmt: off
_WHO = frozenset((
    "da", "vang", "ma", "nhung", "em", "e", "toi", "t", "minh", "tui", "chau", "con", "anh",
    "chi", "nha", "que", "gia", "dinh", "bo", "me", "vo", "chong", "ba", "ong", "dang",
    "hien", "tai", "nay", "thi", "van", "cung", "song", "thue", "tro", "cu", "tru", "tam",
    "thuong", "sinh", "lam", "viec", "hoc", "ban", "ad", "vk", "ck", "ny", "vo", "chong",
    # "nó đang học tiếng ở Hà Nội" (batch 52)
    "no", "tieng", "nghe",
))
# Words that make it no residence statement: a question ("đâu", "mô", "hay", "không"),
# or "ơ"/"ờ" before "là", "kìa", "thế", "đúng rồi". None is found in a place name ("Hà
# Lầm", "Cô Tô", "Hồng Hải", "Cần Thơ" hold "lam", "co", "hong", "can").
_NOT_A_STATEMENT = frozenset((
    "dau", "nao", "sao", "gi", "j", "khong", "ko", "k", "kg", "kh", "khg", "hok", "chua",
    "duoc", "dc", "phai", "nop", "hay", "mo", "rua", "lau", "la", "kia", "the", "dung",
))
_TRAILING = frozenset(
    ("a", "ah", "ak", "ad", "nha", "nhe", "day", "do", "thoi", "luon", "roi")
)
# fmt: on


def _asked_first(text: str) -> str | None:
    """The one aspect a short yes/no first clause asks, the rest telling why ("lm online
    dc k, e chay xe du lich o bai chay k nghi dc", batch 61); else None."""
    # "Có mất tiền không cháu . Lương hưu bác ít" (batch 70): a comma or a sentence's end.
    first = CLAUSE_END.split(text, maxsplit=1)[0]
    if len(fold_words(first).split()) > MAX_FIRST_CLAUSE_WORDS:
        return None
    asked = aspects_asked(first)
    if len(asked) == 1 and asks_yes_no_in_a_clause(first):
        return asked[0]
    return asks_only_an_aspect(first)  # "Có mất tiền không cháu . Lương hưu bác ít"


def _asked_last(text: str) -> str | None:
    """The one aspect the last clause of ``text`` asks in hardly another word ("…, giờ ở
    Đông Triều thì có phải về tận Thái Bình k"); None otherwise or with no earlier clause."""
    *told_before, after_comma = text.rsplit(",", 1)
    *told, last = _THEN.split(fold_words(after_comma))
    told_words = " ".join([*map(fold_words, told_before), *told])
    if not told_words.strip() or not last.strip() or _ANOTHER_DOING.search(told_words):
        return None
    if _DONE_ELSEWHERE.search(last):
        return None
    # "toi khong co dien thoai thong minh, lam truc tiep can mang gi" (batch 105): how the
    # citizen will apply is no other matter.
    return asks_only_an_aspect(IN_PERSON.sub(" ", last))


# An age told (folded): "nó 15 tuổi, học lớp 10", "bé dưới 6 tuổi ạ" (batches 104, 105),
# or a birth date: "cháu sinh tháng 2 năm 2011" (batch 108).
_AGE = re.compile(
    r"\b(?:(?:duoi|tren|tron|du|hon|gan) )?\d{1,2} tuoi\b"
    r"|\bsinh (?:ngay \d{1,2} )?(?:thang \d{1,2} )?(?:nam )?(?:19|20)\d\d\b"
)
MAX_AGE_WORDS = 8


def states_an_age(text: str) -> bool:
    """True for a short statement of someone's age, asking nothing ("no 15 tuoi, hoc lop
    10", "bé dưới 6 tuổi ạ"; pure): right after an answer, the case it is about."""
    words = fold_words(text)
    return (
        len(words.split()) <= MAX_AGE_WORDS
        and bool(_AGE.search(words))
        and not aspects_asked(text)
        and not asks_yes_no_in_a_clause(text)
    )


def asks_what_about(text: str) -> bool:
    """True for "X thì sao" that asks no aspect of its own: the last question again,
    about X ("nhà em ở Cô Tô thì sao", "thế còn khai sinh thì sao"); "còn lệ phí thì
    sao" asks the fee."""
    return bool(WHAT_ABOUT.search(fold_words(text))) and not asks_an_aspect(text)


def states_residence(text: str) -> bool:
    """True for a short statement of where the citizen lives, asking nothing: "e ở
    Quảng Yên", "nhà em ở hạ long ạ", "em thuê trọ ở Cẩm Phả" (not "em ở Cô Tô nộp được
    không", not "ở đâu")."""
    words = fold_words(text).split()
    if not words or len(words) > MAX_RESIDENCE_WORDS or "?" in text:
        return False
    if "o" not in words or any(w in _NOT_A_STATEMENT for w in words):
        return False
    at = words.index("o")
    place = words[at + 1 :]
    while place and place[-1] in _TRAILING:
        place.pop()
    # "ở Ba Chẽ thì …" goes on to ask something ("thị xã Quảng Yên" starts with "thi").
    return bool(place) and "thi" not in place[1:] and all(w in _WHO for w in words[:at])


def tells_residence_and_asks_where(text: str) -> bool:
    """True for where to submit asked with where people live told in a clause of its own
    ("vk e ở Móng Cái, e ở Hạ Long thì đky ở đâu", out of scope 0.70 right after kết hôn's
    fee), in at most ``MAX_RESIDENCE_QUESTION_WORDS`` words."""
    if len(fold_words(text).split()) > MAX_RESIDENCE_QUESTION_WORDS:
        return False
    if aspects_asked(text) != [LOCATION]:
        return False
    # Commas part clauses too: "e dang lm o quang ninh, que o nam dinh, sua o day dc k".
    clauses = [c for part in text.split(",") for c in _RESIDENCE_CLAUSE.split(fold_words(part))]
    # "thì đky ở đâu" asks where in hardly another word; "thì mua vàng ở đâu" says what of.
    asks_where = any(asks_only_an_aspect(c) == LOCATION for c in clauses)
    return asks_where and any(states_residence(c) for c in clauses)


_SENTENCE_END = re.compile(r"[.!?]\s+")
# A question opening with "who" (folded): "ai đi khai" (batch 35, nlu_fallback 0.45).
_ASKS_WHO = re.compile(r"(?:(?:the|vay|con|thi|rua|ri|z|v) )*ai\b")


def misread_who_goes(text: str, intent: Mapping[str, Any], n_words: int) -> bool:
    """True for a who-goes yes/no question (:mod:`actions.who_goes`) read as ``intent``,
    one of ``MISREAD_WHO_GOES``, that may follow up an answer."""
    sure_request = (
        intent.get("name") in UNSURE_ONLY and float(intent.get("confidence") or 0.0) >= UNSURE_BELOW
    )
    return (
        not sure_request
        and 0 < n_words <= MAX_WHO_GOES_WORDS
        and (
            asks_yes_no_in_a_clause(text)
            or asks_either_or(text)
            or _ASKS_WHO.match(fold_words(text))
            or _MUST_A.search(fold_words(text))
        )
        and asks_who_goes(text)
    )


def follow_up_aspect(message: Mapping[str, Any], *, last_aspect: str | None = None) -> str | None:
    """The aspect a misread follow-up asks about, from the parsed ``message`` (Rasa's
    ``latest_message``: text, intent, intent_ranking, entities) and the aspect last
    answered; None when the message is not one (pure: the caller checks that the bot has
    just answered)."""
    intent = message.get("intent") or {}
    name = intent.get("name")
    if name not in MISREAD_WHO_GOES or is_unknown_words_fallback(intent):
        return None
    if any(e.get("entity") == "procedure" for e in message.get("entities") or []):
        return None
    text = str(message.get("text") or "")
    words = fold_words(text).split()
    # A clause telling why may come first: "ck e đi làm ở Móng Cái, e đi một mình làm được
    # ko hay phải cả 2 vc" (batch 29) asks in what follows the comma.
    asked = text.partition(",")[2]
    shorter = asked if asked and len(words) > MAX_WHO_GOES_WORDS else text
    if len(words) > MAX_WHO_GOES_WORDS:
        # "có bắt buộc cả 3 anh em phải có mặt k, em út tôi đang làm ở Đài Loan" (batch
        # 107): the clause that asks who goes, wherever it is.
        shorter = next((c for c in text.split(",") if asks_who_goes(c)), shorter)
    if len(fold_words(shorter).split()) > MAX_WHO_GOES_WORDS:
        # "Trong số này có 5 em mới 17 tuổi. Các em có tự kê khai được không hay cần bố mẹ
        # đồng ý?" (batch 55): the sentence that asks, after one that tells.
        shorter = _SENTENCE_END.split(text.strip(" ?!."))[-1]
    if len(fold_words(shorter).split()) > MAX_WHO_GOES_WORDS:
        # "tôi làm ở tphcm, lo đám xong phải bay vào luôn, em gái tôi ở nhà đi làm thay
        # được không" (batch 106): the last clause asks.
        shorter = shorter.rsplit(",", 1)[-1]
    if misread_who_goes(shorter, intent, len(fold_words(shorter).split())):
        return OVERVIEW  # the procedure action answers it from ``who_goes``
    if name == "request_human" and goes_in_person(text) and aspects_asked(text):
        # "thôi để chở mẹ ra làm trực tiếp, ở đâu": going in person, not to an official.
        return aspects_asked(text)[0]
    if name in MISREAD and cannot_apply_online(text) and set(aspects_asked(text)) <= {ONLINE}:
        # "bác không có điện thoại thông minh" right after an answer: where to go instead.
        return LOCATION
    if name in MISREAD_STATEMENT and states_residence(text):
        return LOCATION
    if name in MISREAD and tells_residence_and_asks_where(text):
        return LOCATION
    if name == "deny" and len(words) >= MIN_DENY_ASKING_WORDS:
        # "thế đi thi ở đâu, có cần học lại k" (deny: it ends in "k", batch 53): the aspect
        # asked in so many words (no labelled affirm or deny example of 4 words asks one).
        return next(iter(aspects_asked(text)), None)
    if name not in MISREAD_STATEMENT or not words or name not in MISREAD:
        return None
    if len(words) > MAX_WORDS:
        # "đóng mức thấp nhất bao nhiêu 1 tháng": an amount paid in, however put.
        least = _PAYS_LEAST.search(" ".join(words))
        if len(words) <= MAX_PAYS_WORDS and least:
            return FEE
        first = _asked_first(text)
        if first is None and len(words) <= MAX_TOLD_FIRST_WORDS:
            return _asked_last(text)
        return first
    if last_aspect in ASPECTS and asks_what_about(text):
        return last_aspect
    for ranked in message.get("intent_ranking") or []:
        if ranked.get("name") in ASPECTS:
            if float(ranked.get("confidence") or 0.0) >= THRESHOLD:
                return str(ranked["name"])
            break
    if _PAYS.search(" ".join(words)):
        return FEE
    clauses = [c for c in CLAUSE_END.split(text) if fold_words(c)]
    if len(clauses) > 1 and all(map(asks_only_an_aspect, clauses)):
        # "doi o dau, het bn" (batch 107, out of scope 0.67): an aspect a clause, the
        # first answered first (the procedure action answers the others after it).
        return asks_only_an_aspect(clauses[0])
    # "Thế mua ở đâu hả cháu" (out_of_scope 0.82, ask_location 0.16): the aspect's own
    # words and hardly anything else.
    return asks_only_an_aspect(text)
