"""Which procedure a life event in the text calls for: "con em mới đẻ được 1 tuần" is khai
sinh, "bà nội e mới mất hôm qua" khai tử, "muốn mở tiệm tạp hóa" hộ kinh doanh.

Citizens often tell what happened rather than name the procedure. Each entry lists such
events under ``situations``, written by editors with diacritics; they are matched
accent-folded, as whole words. They are not aliases: the NLU never sees them as names
(an alias becomes a ``procedure`` entity), and the bot takes them only when the message
names no procedure (:func:`actions.procedures.plan_reply`) or, read as out of scope,
asks something (:mod:`actions.fallback`).

"mất" is also "lose" ("mới mất căn cước", "vừa mất ví", "mới mất việc") and "cost" ("mới
mất 2 triệu"): an event is not taken when a thing or a number follows it, nor when "của"
comes before it ("thẻ cũ của bà mất rồi": her card lost), nor when a time long past follows
it ("lấy chồng về Cẩm Phả từ năm 1968": a life story). "con" is a child
("vừa mất con", "mới sinh con trai") unless a thing follows it ("mất con xe", "con dấu").
A cancelled event does not hide one that overlaps it: "mới sinh con xong" is still "sinh
con". An event told of a relative may say whose: "bố mất" is also "bố em mất", "ông nhà tôi
mất", "bà nội mất".
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.kb._model import KnowledgeBase, Procedure
from bot.nlu.text import fold_words

# fmt: off
# Words that, right after an event, make it about a thing: "mới mất [căn cước]", "vừa mất
# [ví]", "mới đẻ [trứng]" (folded).
_THINGS = frozenset((
    "cccd", "cmnd", "can", "cuoc", "giay", "vi", "dien", "dt", "dth", "so", "bang", "the",
    "tien", "xe", "ho", "sim", "viec", "hang", "do", "nick", "tai", "khoan", "mang",
    "song", "ngu", "mau", "nuoc", "bao", "trung", "chia", "khoa", "ban", "goc",
    "het", "may", "cai", "nhieu", "phi", "bn", "gplx", "bhyt", "ca", "vet",
))
# Words after "con" that keep it a child: "mất con trai", "vừa sinh con xong", "vừa mất
# con" (nothing after). Any other word makes "con" a classifier before a thing or an
# animal ("con xe", "con chó"), which cancels the event. Not "đầu" ("con đầu lòng"): it
# folds like "dấu" ("mất con dấu công ty").
_CHILD = frozenset((
    "trai", "gai", "ut", "nho", "be", "so", "thu", "em", "e", "toi", "tui", "minh", "mk",
    "roi", "a", "xong", "hom", "tuan", "thang",
    "moi", "cai",  # "chia cho 3 đứa con mỗi đứa một phần", "con cái" (batch 108)
))
# After "hết": a time ("hết tháng trước") keeps the event (folded).
_TIMES = frozenset(("thang", "tuan", "nam", "ngay", "hom", "quy"))
# After "can": "căn cước", "căn hộ", "căn nhà" (a thing); else "cần" (folded).
_CAN_THINGS = frozenset(("cuoc", "ho", "nha", "phong"))
# A relative an event may be told of ("bố mất", folded), and the words that may come
# between them: "bố em mất", "ông nhà tôi mất".
_KIN = frozenset(("bo", "me", "cha", "ong", "ba", "chong", "vo", "ma"))
_WHOSE = r"(?: (?:noi|ngoai))?(?: (?:nha )?(?:em|e|toi|tui|minh|mk|chau|con|anh|chi|ta|to|ban))?"
# After a number, what a building counts in: "xây nhà 3 tầng", "xây 2 phòng" (folded).
_SIZES = frozenset(("tang", "phong", "gian", "m", "m2", "met"))
# fmt: on
# An event long past (folded, right after it): "lấy chồng về Cẩm Phả từ năm 1968" (batch
# 68) tells a life story, not a need now.
_PAST = re.compile(
    r"(?: \w+){0,3} (?:tu nam|nam (?:19|20)\d\d|tu (?:19|20)\d\d|tu hoi|hoi xua|tu lau|lau roi"
    r"|may chuc nam|nam ngoai|nam truoc"
    # "đóng bhxh được 14 tháng" (batch 78, after trợ cấp thất nghiệp): how long, told.
    r"|(?:duoc|dc) (?:\d+|mot|hai|ba|may|vai) (?:thang|nam))\b"
)
_CLAUSE_BREAK = re.compile(r"[,.;:!?\n]+")
# A sum ("mất 2 triệu", "mất 500k", "2tr"), not a model ("mua xe tải 1t25", batch 80).
_SUM = re.compile(r"\d[\d.,]*(?:k|tr|trieu|ty|d|dong|nghin|ngan)?$")
_BREAK = "|"  # stands for a clause break in the folded text
_BETROTHED = (["vo"], ["chong"], ["vk"], ["ck"], ["ny"])
# "đăng ký" as typed short (folded): "có phải đki biển ko" (batch 105) tells "đăng ký biển".
_REGISTER_SHORT = re.compile(r"\b(?:dk|dky|dki|dang ki)\b")


# "…" in an event stands for up to this many words of the same clause: "xe … sang tên"
# is told as "để lại chiếc xe máy đứng tên bố, giờ tôi muốn sang tên" no more than the
# clause allows, "sang tên … xe" as "sang tên con xe máy cũ".
MAX_GAP_WORDS = 10
SITUATION_GAP = "…"


@lru_cache(maxsize=8)
def _index(kb: KnowledgeBase) -> tuple[tuple[re.Pattern[str], str], ...]:
    """One pattern per procedure with situations, longest events first."""
    out = []
    for p in kb:
        events = sorted(
            {SITUATION_GAP.join(map(fold_words, s.split(SITUATION_GAP))) for s in p.situations}
            - {""},
            key=len,
            reverse=True,
        )
        if events:
            pattern = re.compile(r"\b(?:" + "|".join(map(_event_pattern, events)) + r")\b")
            out.append((pattern, p.id))
    return tuple(out)


def _event_pattern(event: str) -> str:
    """The regular expression of a folded ``event``: its words in a row, with whose
    relative it is allowed after a relative ("bo mat" matches "bo e mat"), and a few words
    of the clause where it has "…"."""
    if SITUATION_GAP in event:
        # Unlike the words of an event, a gap may span a comma: "… chiếc xe máy đứng tên
        # bố, giờ tôi muốn sang tên" (batch 76).
        gap = rf"(?: (?:\w+|\{_BREAK})){{0,{MAX_GAP_WORDS}}} "
        return gap.join(re.escape(part.strip()) for part in event.split(SITUATION_GAP))
    first, _, rest = event.partition(" ")
    if first in _KIN and rest:
        return re.escape(first) + _WHOSE + " " + re.escape(rest)
    return re.escape(event)


def situation_procedures(kb: KnowledgeBase, text: str) -> list[Procedure]:
    """The procedures whose events ``text`` tells, in knowledge-base order (pure)."""
    # Clauses are kept apart: no event spans a comma, and "vừa mất con, giờ …" ends at it.
    folded = f" {_BREAK} ".join(fold_words(c) for c in _CLAUSE_BREAK.split(text))
    folded = _REGISTER_SHORT.sub("dang ky", folded)
    found = []
    for pattern, procedure_id in _index(kb):
        # Not finditer: it skips matches overlapping a cancelled one ("mới sinh" cancelled
        # must still let "sinh con" be tried), so search again from the next position.
        position = 0
        while match := pattern.search(folded, position):
            # "thẻ cũ của bà mất rồi" (batch 60): a thing of hers lost, not her death; "vợ
            # sắp cưới của mình" (batch 110): a fiancée, no wedding told.
            previous = folded[: match.start()].split()[-1:]
            owner = previous == ["cua"] or (
                previous in _BETROTHED and match.group().startswith("sap cuoi")
            )
            past = _PAST.match(folded[match.end() :]) is not None
            if not (owner or past) and not _about_a_thing(folded[match.end() :].split(maxsplit=2)):
                found.append(kb.procedures[procedure_id])
                break
            position = match.start() + 1
    return found


def _about_a_thing(following: list[str]) -> bool:
    """Whether the words after an event make it about a thing, a sum or an animal."""
    if not following or following[0] == _BREAK:
        return False
    word = following[0]
    if word == "can":  # "mới mất căn cước", "căn hộ"; not "mới sinh cần gì"
        return len(following) > 1 and following[1] in _CAN_THINGS
    if word == "het" and len(following) > 1 and following[1] in _TIMES:
        return False  # "cho nghỉ việc hết tháng trước": when, not "mất hết tiền"
    if word == "con":
        return len(following) > 1 and following[1] not in _CHILD and following[1] != _BREAK
    if _SUM.match(word):
        # "mất 2 triệu" is a sum; "xây nhà 3 tầng" is still building a house.
        return not (len(following) > 1 and following[1] in _SIZES)
    return word in _THINGS
