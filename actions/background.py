"""Procedure names told as the citizen's situation, not asked about: "có sổ hồng rồi", "ny
anh hộ khẩu Hải Phòng".

"gia đình tôi vừa mua căn chung cư, có sổ hồng rồi, giờ muốn chuyển hộ khẩu về đây thì
thủ tục thế nào" names sổ đỏ and thường trú, and asks only about the second; "ny a hộ khẩu
hải phòng thì đk ở đâu", right after an answer about kết hôn, asks where to register the
marriage. A name is background when

- it is owned already: "có"/"đã có" (and "giấy", "thẻ"…) before it and "rồi" just after
  ("có sổ hồng rồi", "đã có sổ đỏ rồi", "đã có giấy khai sinh r"), or "(e) có rồi" just
  after it ("cccd e có rồi"), or done already ("mới làm khai sinh xong");
- it has ended: "hết" before it and "rồi" after ("hết tctn rồi thì bhyt …");
- it is not held yet, and that is the whole remark: "chưa có" before it and nothing or
  "thì sao" after it ("bé chưa có cccd (thì sao)" after the documents of a passport);
  "chưa có cccd, làm ở đâu" and "con tôi chưa có hộ khẩu thì làm thế nào" ask about it;
- it is a paper to bring: "mang", "đem", "cầm (theo)" just before it ("có cần đem căn
  cước của ôn không" while khai tử is discussed), or one a copy is certified of:
  "photo", "công chứng", "chứng thực" just before it ("photo công chứng sổ hộ khẩu");
- it is someone's paper handed in or kept ("cái căn cước của bố em … có phải nộp lại
  k"), done already ("vừa chuyển hộ khẩu", "từng kết hôn"), or a company that exists
  ("Công ty cổ phần … của chúng tôi", no founding verb before it);
- it is denied: "không phải" just before it ("à nhầm, không phải bằng lái, là hộ
  chiếu"), and then every mention of it is ("cho hỏi khai sinh… à nhầm ko phải khai sinh
  mà là khai tử", :func:`denied`);
- it is a bare "hộ khẩu"/"thường trú"/"tạm trú" saying where someone lives: a person or
  "nơi"/"chỗ" just before it ("ny a hộ khẩu hải phòng", "vợ em hộ khẩu ở Hà Nội", "làm ở
  nơi đang ở hay nơi thường trú"), "đang" before it and a place after ("đang tạm trú Móng
  Cái") or "ở"/"tại" just after it ("hộ khẩu ở Uông Bí");
  "nhập hộ khẩu", "chuyển hộ khẩu" are the procedure.

While a copy of a civil status record (trích lục) is discussed, "đăng ký khai sinh ở Hải
Dương" tells where the record is kept (:func:`registered_there`).

The procedure action drops such a name when another procedure is left to answer: one more
named in the message, or the one discussed before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.nlu.text import CLAUSE_END, fold, fold_words

_RESIDENCE = frozenset(("ho khau", "thuong tru", "tam tru", "ho khau thuong tru"))
# The residence registrations, whose life events ("ở trọ", "mới chuyển về ở") also say
# where someone lives, and the words that register a residence rather than live in it.
_RESIDENCE_IDS = frozenset(("tam_tru", "thuong_tru"))
_REGISTERS = re.compile(
    r"\b(?:dang ky|dang ki|dk|dky|khai bao|gia han|nhap khau|nhap ho khau|tam tru|thuong tru)\b"
)
# fmt: off
_PEOPLE = frozenset((
    "ny", "a", "anh", "em", "e", "chi", "vo", "vk", "chong", "ck", "toi", "minh", "mk", "t",
    "bo", "me", "con", "ong", "ba", "ban", "yeu", "ay", "no", "chu",
    "nho",  # "tụi nhỏ hộ khẩu bắc giang" (batch 57)
))
# fmt: on
_AT = frozenset(("o", "tai"))
_WHERE = frozenset(("dau", "cho", "noi"))  # "ở đâu", "ở chỗ nào", "ở nơi nào"
_WHEN = frozenset(("nam", "tu", "vao", "hoi", "thang", "truoc", "ngay", "luc"))
# After "đang tạm trú": words that go on about the registration itself (folded).
_ABOUT_IT = frozenset(("ma", "het", "gia", "sap", "can", "muon", "roi", "r", "xong", "thi"))
# "… thì sao ad" (batch 72): a form of address ends the remark too.
_FILLERS = frozenset((
    "a", "ak", "ah", "ha", "nua", "ma", "co", "ca", "luon", "nhe", "nha", "ad", "admin", "oi",
    "vay", "z", "v",
))  # fmt: skip
_MAX_OWNER_WORDS = 2  # "hộ khẩu vợ tôi ở …"
_STILL = frozenset(("van", "dang", "hien"))  # "hộ khẩu em vẫn ở …"
_PLACE = frozenset(("noi", "cho"))  # "làm ở nơi đang ở hay nơi thường trú"
_OWN_MAX_GAP = 1  # words between the name and "rồi": "có sổ hồng rồi", "có sổ đỏ đỏ rồi"
_DONE = frozenset(("roi", "r"))
_PAPER = frozenset(("giay", "the", "so", "ban"))  # "có [giấy] khai sinh rồi"
# A paper not held yet (folded): "chưa có", "chưa làm", "không có" before its name; in its
# clause after it, nothing, "thì sao" or "(thì) (có) (làm) được không"; or, in the next
# clause, what is held instead.
# fmt: off
_NOT_HELD = frozenset((
    ("chua", "co"), ("chua", "lam"), ("khong", "co"), ("ko", "co"), ("k", "co"),
    # "bo me no chua dk ket hon thi co sao ko" (batch 106): not registered yet.
    ("chua", "dk"), ("chua", "dky"), ("chua", "dki"),
))
# fmt: on
_NOT_REGISTERED = (["chua", "dang", "ky"], ["chua", "dang", "ki"])
_AS_REMARK = re.compile(
    r"|thi (?:sao|rang)|(?:thi )?(?:co )?(?:lam )?(?:duoc|dc) (?:khong|ko|k|kg)"
    # "… thì có sao ko" (batch 106): whether it matters.
    r"|(?:thi )?(?:co )?sao (?:khong|ko|k|kg)"
    # "chưa có căn cước thì có làm hộ chiếu đc k": whether the other can be done without it.
    r"|thi (?:co )?(?:\w+ ){1,5}(?:duoc|dc) (?:khong|ko|k|kg)"
)
_VERBS = frozenset(("dang", "dk", "lam", "xin", "cap"))
# Before a name followed by "xong": done already ("mới làm khai sinh xong").
_DONE_BY = _VERBS | {"ky", "nop"}
_NOT_YET = frozenset(("chua", "khong", "ko", "k"))
# Done already: "vừa", "mới", "đã", "từng" before a verb (folded).
_SINCE = frozenset(("vua", "moi", "da", "tung"))
_DONE_VERBS = frozenset(("chuyen", "nhap", "lam", "dang", "dk", "dky", "cap", "xin", "ket"))
# Someone's paper ("của bố em"), and handing it in or keeping it (folded).
# fmt: off
_KIN = frozenset((
    "bo", "me", "cha", "ong", "ba", "vo", "chong", "con", "chau", "anh", "chi", "em", "cu",
    "nguoi",
))
# fmt: on
_HANDED_IN = re.compile(r"\b(?:nop lai|nop|giu lai|giu|thu hoi|tra lai|cat|huy|mang|dem)\b")
# Founding a company (folded): "lập", "thành lập", "mở", "đăng ký".
# "lên", "chuyển": a household business becoming a company ("muốn lên công ty TNHH").
_FOUNDING = frozenset(
    ("lap", "mo", "dang", "dk", "dky", "thanh", "giai", "the", "len", "chuyen", "muon")
)
# Certifying a copy of a paper (folded): "photo", "công chứng", "chứng thực", "sao y".
_COPYING = frozenset(("photo", "copy"))
# fmt: off
_COPYING_PAIRS = frozenset((
    ("cong", "chung"), ("chung", "thuc"), ("sao", "y"), ("pho", "to"),
    ("ban", "sao"),  # "lần đầu thiếu bản sao cccd" (batch 62)
))
# fmt: on
# A household business's names (folded), run already when "đang"/"chủ" comes before.
_HOUSEHOLD_BUSINESS = ("ho kinh doanh", "ho kd", "hkd", "ho ca the", "kinh doanh ho")
_STILL_HELD = frozenset((("van", "con"), ("van", "giu"), ("con", "giu"), ("con", "day")))
_STILL_HELD_MAX_WORDS = 5
_BY_THE_WAY = frozenset(("luon", "them", "ca", "giup", "ho"))
# Bringing a paper along (folded): "mang", "đem", "cầm", "mang theo", "xuất trình".
# "dùng cccd đi khám được rồi" (batch 108, while BHYT is discussed): a paper used.
_BRING = frozenset(("mang", "dem", "cam", "dung", "xai"))
_BRING_PAIRS = frozenset((("mang", "theo"), ("dem", "theo"), ("cam", "theo"), ("xuat", "trinh")))
_HELD_INSTEAD = ("moi co ", "chi co ", "moi lam ", "nhung co ", "ma co ", "co moi ")
# A correction between two names (folded, offsets kept): the later one is meant.
_CORRECTION = re.compile(
    r"\b(?:a nham|nham roi|nham|a (?:khong|ko|k)|y (?:la|em la|e la|minh la|toi la))\b"
)
# "không phải X" (folded): X is what the citizen does not mean.
_NOT = (("khong", "phai"), ("ko", "phai"), ("k", "phai"), ("chu", "khong"), ("chu", "ko"))


def corrected_away(text: str, end: int, later_starts: list[int]) -> bool:
    """True when a correction ("à nhầm", "ý là") comes after the name ending at
    ``text[end]`` and before a name starting at one of ``later_starts``: "đăng ký thường
    trú cho mẹ, à nhầm, mẹ chỉ ở vài tháng thôi, ý là tạm trú" means tạm trú (pure)."""
    folded = fold(text).lower()
    return any(
        m.start() >= end and any(m.end() <= s for s in later_starts)
        for m in _CORRECTION.finditer(folded)
    )


def denied(text: str, start: int) -> bool:
    """True when "không phải" comes just before the name starting at ``text[start]``, or
    "(mà) trả lời" (the bot's answer it complains of: "hỏi kết hôn mà trả lời khai sinh là
    sao", batch 65)."""
    before = fold_words(text[:start]).split()
    return any(before[-len(n) :] == list(n) for n in _NOT) or before[-2:] == ["tra", "loi"]


def told_to_do_it(text: str, start: int, end: int) -> bool:
    """True when "bao tu" typed without marks is "bảo tự (làm)", told to do it oneself,
    not "báo tử" ("chu tro bao tu lam di", batch 64; pure)."""
    if text[start:end].lower() != "bao tu":
        return False
    after = fold_words(text[end:]).split()
    return after[:1] in (["lam"], ["di"], ["nop"], ["dang"], ["dk"], ["khai"], ["xin"])


def registered_there(text: str, start: int, end: int) -> bool:
    """True when the name at ``text[start:end]`` is followed by a place ("khai sinh ở Hải
    Dương", "kết hôn năm 2005 ở xã khác"), not by "ở đâu" (pure)."""
    after = fold_words(text[end:]).split()
    # "kết hôn năm 2005 ở xã khác": a time may come between.
    # "lúc khai tử là ở xã cũ" (batch 107): "là" too.
    while after and (after[0] in _WHEN or after[0] == "la" or after[0].isdigit()):
        after = after[1:]
    return len(after) >= 2 and after[0] in _AT and after[1] not in _WHERE


def not_held(text: str, start: int, end: int) -> bool:
    """True when the name at ``text[start:end]`` is a paper the citizen does not have yet,
    and saying so is the remark: "chưa có"/"chưa làm"/"không có" before it, and in its
    clause nothing more, "thì sao" or "được không" ("bé chưa có cccd thì sao", "ko có đăng
    ký kết hôn dc ko"), or the next clause tells what is held instead ("chưa có sổ hồng,
    mới có hợp đồng mua bán"; pure). "chưa có cccd, làm ở đâu" asks about it."""
    before = fold_words(text[:start]).split()
    if before[-1:] and before[-1] in _PAPER:  # "chưa có giấy khai sinh"
        before = before[:-1]
    name = fold_words(text[start:end]).split()
    # "chưa đk kết hôn": a name that opens with its verb needs only the "not".
    verb_led = bool(name) and name[0] in _VERBS and bool(before) and before[-1] in _NOT_YET
    # "chủ trọ ko cho mượn sổ đỏ": not lent is not held either.
    not_lent = len(before) >= 3 and before[-2:] == ["cho", "muon"] and before[-3] in _NOT_YET
    registered = before[-3:] in _NOT_REGISTERED
    if tuple(before[-2:]) not in _NOT_HELD and not (verb_led or not_lent or registered):
        return False
    clauses = CLAUSE_END.split(text[end:])
    clause = fold_words(clauses[0]).split()
    whose = clause[:1] == ["cua"]
    if whose:
        # "ba ko co giay dang ky ket hon cua bo me no, …" (batch 108): whose, then nothing.
        clause = clause[1:]
        while clause and clause[0] in _KIN | _PEOPLE:
            clause = clause[1:]
    if set(clause) <= _FILLERS and len(clauses) > 1:
        clause = fold_words(clauses[1]).split()
        if " ".join(clause).startswith(_HELD_INSTEAD):
            return True
        if (whose or clause[:1] == ["co"]) and _tells_a_story(clause):
            # "bé chưa có căn cước, có mã định danh thôi" (batch 109): what is held instead.
            return True  # "…, chung no cuoi nhau o que nhung chua dang ky": the story goes on
    if clause[:1] == ["ma"] and len(clause) > 1:
        # "chưa đăng ký kết hôn mà có em bé rồi" (batch 63): the story goes on.
        return True
    return _AS_REMARK.fullmatch(" ".join(w for w in clause if w not in _FILLERS)) is not None


# Words that ask (folded), and the particles that end a yes/no question.
_QUESTION_WORDS = frozenset(("gi", "j", "sao", "nao", "dau", "bn", "ntn", "bao", "lau", "may"))
_YES_NO_ENDINGS = frozenset(("khong", "ko", "k", "kg", "chua", "ha", "hong", "hok"))


def _tells_a_story(words: list[str]) -> bool:
    """Whether a clause's folded ``words`` tell rather than ask (no question word, no
    yes/no ending)."""
    return bool(words) and not _QUESTION_WORDS & set(words) and words[-1] not in _YES_NO_ENDINGS


def not_held_after(text: str, end: int) -> bool:
    """True when "chưa có" follows the name ending at ``text[end]`` and the next clause
    tells what is held instead: "sổ hồng chưa có, mới có hđ mua bán" (batch 50; pure)."""
    clauses = CLAUSE_END.split(text[end:])
    after = fold_words(clauses[0]).split()
    after = after[1:] if after[:1] == ["thi"] else after
    if tuple(after[:2]) not in _NOT_HELD or len(after) > 2 or len(clauses) < 2:
        return False
    return " ".join(fold_words(clauses[1]).split()).startswith(_HELD_INSTEAD)


def brought(text: str, start: int) -> bool:
    """True when the name starting at ``text[start]`` is a paper to bring ("có cần đem
    căn cước của ôn không", "có phải mang sổ hộ khẩu ko"; batch 48): one of the papers
    of the procedure discussed, not another procedure asked about (pure)."""
    # "mang cả sổ hộ khẩu"
    return _said_just_before(text, start, _BRING, _BRING_PAIRS, passing=frozenset(("ca",)))


def done_before(before: list[str], name: list[str], after: list[str]) -> bool:
    """Whether a name (its folded words ``name``, those ``before`` and ``after`` it) is
    done already: "vừa/mới/đã/từng" and a verb before it, or "vừa/mới/đã/từng" before a
    name that opens with its verb ("đã chuyển thường trú …", "từng kết hôn"; batches 53,
    55); not "đã đăng ký kết hôn chưa", which asks."""
    if after[:1] == ["chua"]:
        return False
    if before[-2:-1] and before[-2] in _SINCE and before[-1] in _DONE_VERBS:
        return True
    return (
        bool(before[-1:])
        and before[-1] in _SINCE
        and ((bool(name) and name[0] in _DONE_VERBS) or before[-1] == "tung")
    )


def possessed(text: str, start: int, end: int) -> bool:
    """True when the name at ``text[start:end]`` is someone's paper, handed in or kept
    ("cái căn cước của bố em thì sao, có phải nộp lại k", "thẻ căn cước của bà nhà tôi
    thì giữ lại hay phải nộp"; pure)."""
    after = fold_words(CLAUSE_END.split(text[end:])[0]).split()
    if after[:1] != ["cua"] or len(after) < 2 or after[1] not in _KIN:
        return False
    rest = " ".join(fold_words(text[end:]).split())
    return _HANDED_IN.search(rest) is not None


def existing_company(before: list[str], name: list[str]) -> bool:
    """Whether a company's name (folded ``name``) is of one that exists: "công ty", "cty",
    "doanh nghiệp" with no founding verb in the three words before it; or a household
    business run already: "đang" or "chủ" just before it ("mình đang kinh doanh hộ cá
    thể", "chị là chủ hộ kinh doanh"; batch 62)."""
    company = name[:2] in (["cong", "ty"], ["doanh", "nghiep"]) or name[:1] == ["cty"]
    if company:
        return not set(before[-3:]) & _FOUNDING
    household = " ".join(name).startswith(_HOUSEHOLD_BUSINESS)
    # "đang kinh doanh hộ cá thể": past "kinh doanh" to the word before it.
    run = before[:-2] if before[-2:] == ["kinh", "doanh"] else before
    # "tôi đang là hộ kinh doanh xưởng cơ khí" (batch 71)
    run = run[:-1] if run[-2:] == ["dang", "la"] else run
    return household and run[-1:] in (["dang"], ["chu"])


def copied(text: str, start: int, end: int) -> bool:
    """True when the name at ``text[start:end]`` is the paper a copy is certified of:
    "photo", "công chứng", "chứng thực", "sao y" just before it ("photo công chứng sổ hộ
    khẩu"), not the certifying itself ("photo công chứng"; pure)."""
    if fold_words(text[start:end]).split()[:1] in (["cong"], ["chung"], ["sao"], ["ban"]):
        return False
    # "chứng thực luôn bằng lái xe với bằng tốt nghiệp" (batch 56)
    return _said_just_before(text, start, _COPYING, _COPYING_PAIRS, passing=_BY_THE_WAY)


def _said_just_before(
    text: str,
    start: int,
    words: frozenset[str],
    pairs: frozenset[tuple[str, str]],
    *,
    passing: frozenset[str],
) -> bool:
    """Whether one of the folded ``words`` or ``pairs`` comes just before the name starting
    at ``text[start]``, past a paper word ("giấy") and one of ``passing`` ("luôn")."""
    before = _before_the_paper(text, start)
    before = before[:-1] if before[-1:] and before[-1] in passing else before
    return bool(before) and (before[-1] in words or tuple(before[-2:]) in pairs)


def _owned_after(after: list[str]) -> bool:
    """Whether the folded words ``after`` a name say it is held already: "(e) (thì) (đã)
    có rồi" ("cccd e có rồi", "sổ đỏ thì có rồi"), or "(của vợ tôi) vẫn còn/vẫn giữ" to
    end the remark ("giấy khai tử vợ tôi vẫn còn", batch 63)."""
    if 2 <= len(after) <= _STILL_HELD_MAX_WORDS and tuple(after[-2:]) in _STILL_HELD:
        return True
    rest = after[1:] if after[:1] and after[0] in _PEOPLE and after[0] != "co" else after
    rest = rest[1:] if rest[:1] == ["thi"] else rest
    rest = rest[1:] if rest[:1] == ["da"] else rest
    return rest[:1] == ["co"] and rest[1:2] in (["roi"], ["r"])


# No longer held, ending the name's clause (folded): "hộ khẩu cũng k còn" (batch 77, after
# căn cước lost at sea), "sổ hộ khẩu thì không còn nữa".
_NO_LONGER_HELD = re.compile(
    r"(?:(?:cung|thi|cung da|thi cung) )?(?:k|ko|khong|kg|hong|hok|chang) con"
    r"(?: (?:gi|nua|roi|r|luon|a|ak|ah|nhe|nha))*"
)


def no_longer_held(text: str, end: int) -> bool:
    """True when the clause after the name ending at ``text[end]`` says it is no longer
    held, and nothing more ("hộ khẩu cũng k còn"; pure)."""
    clause = " ".join(fold_words(CLAUSE_END.split(text[end:])[0]).split())
    return _NO_LONGER_HELD.fullmatch(clause) is not None


def _before_the_paper(text: str, start: int) -> list[str]:
    """The folded words before ``text[start]``, without a paper word just before it
    ("đã có giấy khai sinh r": "đã có")."""
    before = fold_words(text[:start]).split()
    return before[:-1] if before[-1:] and before[-1] in _PAPER else before


def told_as_background(text: str, start: int, end: int) -> bool:
    """True when the procedure name at ``text[start:end]`` tells the citizen's situation
    (owned already, or where someone lives) rather than what they ask about (pure)."""
    before = _before_the_paper(text, start)
    after = fold_words(text[end:]).split()
    owned = before[-1:] == ["co"] or before[-2:] == ["da", "co"]
    if owned and _DONE & set(after[: _OWN_MAX_GAP + 1]):
        return True
    if _owned_after(after):
        return True  # "cccd e có rồi, giờ e muốn hỏi … làm hộ chiếu"
    if owned_ending_the_clause(text, before, end):
        return True  # "Bố mẹ nó có giấy kết hôn." (batch 110)
    name = fold_words(text[start:end]).split()
    if after[:1] == ["xong"] and (
        (before[-1:] and before[-1] in _DONE_BY) or (name[:1] and name[0] in _DONE_BY)
    ):
        return True  # "con e mới [làm] khai sinh xong, giờ đăng ký thường trú …"
    if (
        before[-1:] == ["xong"]
        and before[-2:-1]
        and before[-2] in _DONE_BY
        and (after[:1] in (["thi"], ["roi"], ["r"], []) or CLAUSE_END.match(text[end:].lstrip()))
    ):
        # "làm xong khai sinh thì thẻ bhyt cho cháu …" (batch 90); not "đăng ký xong cccd
        # vợ a có phải đổi k" (batch 103), which asks about the card.
        return True
    if done_before(before, name, after):
        return True  # "vừa chuyển hộ khẩu …", "đã chuyển thường trú về Cẩm Phả từ năm 2019"
    if before[-1:] == ["het"] and after[:1] in (["roi"], ["r"]):
        return True  # "het tctn roi thi bhyt cua chi cung het ha em" (batch 107): ended
    if possessed(text, start, end) or existing_company(before, name):
        # "cái căn cước của bố em … có phải nộp lại k" while khai tử is discussed;
        # "Công ty cổ phần … của chúng tôi cần phiếu lý lịch tư pháp" (batches 52, 55).
        return True
    if not_held(text, start, end) or not_held_after(text, end) or no_longer_held(text, end):
        return True  # "bé chưa có cccd (thì sao)", after the documents of a passport
    if brought(text, start) or copied(text, start, end):
        # "có cần đem căn cước của ôn không", while khai tử is discussed; "photo công
        # chứng sổ hộ khẩu" (batch 48) names chứng thực for the copy.
        return True
    if (before[-2:-1] == ["ngoai"] and before[-1:] == ["cai"]) or before[-1:] == ["ngoai"]:
        return True  # "cháu chưa có gì ngoài cái giấy khai sinh" (batch 66): held
    if denied(text, start) or told_to_do_it(text, start, end):
        return True  # "không phải bằng lái, là hộ chiếu"; "chủ trọ bảo tự làm đi"
    return lives_there(text, start, end)


_UP_TO_THE_END = re.compile(r"([^,.;!?\n]*)([,.;!?\n]|$)")
# Before "có": wanting or needing it, not holding it ("để có sổ đỏ", "cần có", "chưa có").
_NOT_HOLDING = frozenset((
    "de", "muon", "can", "phai", "chua", "khong", "ko", "k", "se", "duoc", "dc", "sao", "lam",
))  # fmt: skip


def owned_ending_the_clause(text: str, before: list[str], end: int) -> bool:
    """Whether a name is held, said with "có" just before it and nothing after it in its
    clause ("Bố mẹ nó có giấy kết hôn.", "… ở Hạ Long có tạm trú"; pure)."""
    if before[-1:] != ["co"] or (before[-2:-1] and before[-2] in _NOT_HOLDING):
        return False
    # A sentence's end, not a comma: "trong đó có thẻ căn cước, bằng lái …" (batch 105)
    # lists papers lost.
    found = _UP_TO_THE_END.match(text[end:])
    clause, stop = (found.group(1), found.group(2)) if found else ("", "")
    return all(w in _FILLERS for w in fold_words(clause).split()) and stop in ("", ".", "!", "\n")


def lives_there(text: str, start: int, end: int) -> bool:
    """True when the name at ``text[start:end]`` is a bare "hộ khẩu"/"thường trú"/"tạm
    trú" saying where someone lives ("ny a hộ khẩu hải phòng", "đang tạm trú Móng Cái",
    "hộ khẩu ở Uông Bí"; pure)."""
    if fold_words(text[start:end]) not in _RESIDENCE:
        return False
    before = _before_the_paper(text, start)
    after = fold_words(text[end:]).split()
    # "còn thường trú thì sao", typed without accents, opens with "con": no person.
    person = bool(before) and before[-1] in _PEOPLE and before != ["con"]
    told_of = person or (bool(before) and before[-1] in _PLACE)
    # "đang tạm trú Móng Cái"; not "đang tạm trú mà sắp hết hạn" (the procedure).
    living = before[-1:] == ["dang"] and bool(after) and after[0] not in _ABOUT_IT
    # "hộ khẩu thanh hoá" opening a clause of its own, asking nothing (batch 110).
    clause = fold_words(CLAUSE_END.split(text[end:])[0]).split()
    opens = not CLAUSE_END.split(text[:start])[-1].strip() and _names_a_place(clause)
    return told_of or living or opens or bool(after and after[0] in _AT) or _whose_is_at(after)


# Words that make what follows a residence name something other than a place (folded).
_NOT_A_PLACE = frozenset((
    "thi", "can", "phai", "co", "lam", "nop", "xin", "dang", "ky", "dk", "o", "tai", "la",
    "cua", "moi", "roi", "r", "het", "bao", "may", "gi", "j", "sao", "nao", "dau", "ko", "k",
    "khong", "duoc", "dc", "online", "bn", "mat", "nhu",
))  # fmt: skip
MAX_PLACE_WORDS = 3


def _names_a_place(words: list[str]) -> bool:
    """Whether the folded ``words`` after a residence name, to its clause's end, are a
    place and no more ("thanh hoa", "van don")."""
    return 0 < len(words) <= MAX_PLACE_WORDS and not _NOT_A_PLACE & set(words)


def _whose_is_at(after: list[str]) -> bool:
    """Whether the folded words ``after`` a residence name say whose it is, then where:
    "(hộ khẩu) em ở Uông Bí", "(hộ khẩu) của vợ tôi vẫn ở Hà Nội"; not "… ở đâu"."""
    rest = after[1:] if after[:1] == ["cua"] else after
    owner = 0
    while owner < len(rest) and owner < _MAX_OWNER_WORDS and rest[owner] in _PEOPLE:
        owner += 1
    rest = rest[owner:]
    rest = rest[1:] if rest[:1] and rest[0] in _STILL else rest
    return owner > 0 and len(rest) >= 2 and rest[0] in _AT and rest[1] not in _WHERE


def residence_as_background(told: Iterable[str], discussed: str | None, text: str) -> bool:
    """True when the life events ``text`` tells call for residence registration alone
    ("e ở trọ hạ long, quê thái bình, làm ở đây được k", batch 61) while another procedure
    is discussed and nothing is said of registering: it says where the citizen lives, for
    that procedure (pure)."""
    ids = set(told)
    return (
        bool(ids)
        and ids <= _RESIDENCE_IDS
        and discussed is not None
        and discussed not in _RESIDENCE_IDS
        and not _REGISTERS.search(fold_words(text))
    )
