"""The aspects a message asks in so many words: "hết bao nhiêu tiền và mất mấy ngày".

The classifier gives one intent per message, so a message asking two things got one
answer. :func:`aspects_asked` finds the phrases that ask each aspect (accent-folded, with
the abbreviations citizens type); :func:`separate_questions` keeps only aspects asked in
clauses of their own ("lệ phí bao nhiêu và mấy ngày có giấy"), not a word of another
aspect inside one question ("làm online có được giảm phí không" asks the fee, "tờ khai
lấy ở đâu" asks about the documents).
"""

from __future__ import annotations

import re

from bot.nlu.text import fold, fold_words

# fmt: off
PHRASES: dict[str, tuple[str, ...]] = {
    "ask_documents": (
        "giay to gi", "giay to j", "giay to nao", "giay gi", "can gi", "can j",
        "can nhung gi", "can nhung giay", "can mang", "mang gi", "mang j", "mang theo gi",
        "mang theo nhung gi", "chuan bi gi", "chuan bi nhung gi", "ho so gom",
        "can du nhung gi", "gom nhung gi", "nhung giay to gi",
    ),
    "ask_fee": (
        "phi", "bao nhieu tien", "bn tien", "het bao nhieu", "het bn", "mat tien",
        "ton tien", "het tien", "bao tien", "mat bao nhieu",
        # "moi ban bao nhieu" (batch 66; "bạn bao nhiêu" alone is "how old are you")
        "moi ban bao nhieu", "1 ban bao nhieu", "mot ban bao nhieu", "moi trang bao nhieu",
        # "thi tong bao nhieu" (batch 80): the sum for the family told.
        "tong bao nhieu", "tong bn", "tong cong bao nhieu", "tong het bao nhieu",
        # "bn 1 nam" (batch 78, after BHYT): what is paid in a year or a month.
        "bao nhieu 1 nam", "bn 1 nam", "bao nhieu mot nam", "bao nhieu 1 thang", "bn 1 thang",
        "bao nhieu mot thang",
        # "nha 3 nguoi thi tong bnh 1 nam" (batch 93): "bnh" is "bao nhiêu"; "bao nhieu 1
        # trang" (batch 97) after chứng thực.
        "tong bnh", "bnh tien", "het bnh", "bnh 1 nam", "bnh 1 thang", "bao nhieu 1 trang",
        "bn 1 trang", "tong bnh 1 nam", "tong bn 1 nam", "tong bao nhieu 1 nam",
    ),
    "ask_duration": (
        "bao lau", "may ngay", "bao nhieu ngay", "may hom", "bao gio co", "bao gio xong",
        "bao gio lay", "khi nao co", "khi nao xong", "khi nao lay", "thoi gian",
        "trong ngay", "lay ngay", "lay luon",
    ),
    "ask_location": (
        "o dau", "cho nao", "noi nao", "di dau", "den dau", "nop dau", "lam dau", "len dau",
        "ra dau", "o mo", "tai dau",
        # "sua o day dc k" (batch 61): whether it can be done here.
        "o day duoc", "o day dc", "tai day duoc", "tai day dc", "o day dc k", "o day dc ko",
        "o day duoc khong", "o day duoc ko", "o day dc khong",
    ),
    "ask_online": (
        "online", "onl", "truc tuyen", "qua mang", "tren mang", "dich vu cong", "dvc",
        "vneid",
    ),
}
# fmt: on
# Words that lean towards an aspect without asking it on their own ("hồ sơ", "nộp",
# "tiền"), and the overview's ("thế nào", "thủ tục", "các bước").
# fmt: off
_LEANING = (
    "giay to", "ho so", "to khai", "chuan bi", "mang theo", "tien", "mien", "bn", "lau",
    "bao gio", "khi nao", "dau", "nop", "mang", "the nao", "lam sao", "ra sao", "thu tuc",
    "buoc", "quy trinh", "cach",
)
# fmt: on
# Whether it can be done in a place named, at the question's end (folded): "thì làm ở hà
# nội được ko" (batch 80), "có phải về tận Thái Bình k" (batch 76). The place is part of
# the phrase, so that the question still asks nothing else; "làm ở nhà được không" asks
# whether it can be done online or at home, not where.
_PARTICLE_END = (
    r"(?: (?:khong|ko|k|kg|kh|hok|hong|chu|a|ah|ak|ha|nhe|nha|nhi|vay|z|v|nua|ad|chau))*$"
)
_THERE = (
    # "phải lên tận nơi" (batch 98: "làm online dc ko hay phải lên tận nơi") is in person.
    r"(?:co )?(?:phai|can) (?:ve|vao|ra|len|xuong|den|toi|sang|qua|di) tan(?! noi\b)(?: \w+){1,3}?"
    + _PARTICLE_END
    + r"|(?:lam|nop|xin|dang ky|dang ki|dk|dky|doi|cap|khai) (?:o|tai) (?!nha\b)(?:\w+ ){1,3}?"
    r"(?:duoc|dc)" + _PARTICLE_END
)


def _phrases_pattern(aspect: str, phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = r"\b(?:" + "|".join(sorted(phrases, key=len, reverse=True)) + r")\b"
    if aspect == "ask_location":
        alternatives += rf"|\b(?:{_THERE})"
    return re.compile(alternatives)


_PATTERNS = {aspect: _phrases_pattern(aspect, p) for aspect, p in PHRASES.items()}
_ANY = re.compile(
    r"\b(?:"
    + "|".join(
        sorted({*_LEANING, *(w for p in PHRASES.values() for w in p)}, key=len, reverse=True)
    )
    + r")\b"
)
# Particles and forms of address around a short question (folded): "thế … hả cháu".
# fmt: off
_PARTICLES = frozenset((
    "the", "thi", "con", "vay", "ha", "a", "ak", "ah", "ad", "admin", "chau", "em", "e",
    "anh", "chi", "ban", "oi", "z", "v", "nhe", "nha", "nhi", "roi", "r", "zay", "day", "do",
    "ma", "luon", "nua", "hen", "bac", "co", "chu", "thoi",
))
# fmt: on
# Every phrase that asks or leans towards an aspect, longest first, and the words that
# may stand around them in a question asked again ("cần giấy tờ gì", "lệ phí thì sao").
_EVERY_PHRASE = tuple(
    re.compile(rf"\b{re.escape(p)}\b")
    for p in sorted({*_LEANING, *(w for p in PHRASES.values() for w in p)}, key=len, reverse=True)
)
_AROUND_AN_ASPECT = _PARTICLES | {"can", "phai", "nhung", "gi", "j", "thi", "sao", "le", "la"}

# Whether a procedure must be done at all (folded): "có phải đăng ký tạm trú cho các bạn
# k", "có cần xin giấy phép không", "bắt buộc phải làm à".
# "có phải", "có cần", "bắt buộc (phải)" (folded): whether something must be done or had.
MUST = r"(?:co phai|co can|can phai|bat buoc|co bat buoc)(?: phai)?"
_WHETHER_REQUIRED = re.compile(
    rf"\b{MUST} (?:dang ky|dang ki|dk|dky|dki|lam|xin|khai bao|khai|doi|bao|thong bao)\b"
    # Whether the citizen is entitled at all: "đóng bh đc 3 năm, giờ có đc hưởng thất
    # nghiệp ko ạ" (batch 104, ask_duration 0.49).
    r"|\bco (?:duoc|dc) (?:huong|nhan tro cap)\b"
    # Whether at that age: "em gai e 10t lam can cuoc dc ko ad" (batch 111, ask_duration).
    r"|\b\d{1,2} ?(?:t|tuoi)\b(?: \w+){0,3} (?:lam|cap|xin|dang ky|dk)(?: \w+){0,3}"
    r" (?:duoc|dc) (?:khong|ko|k|kg|chua)\b"
)

# Where one question ends and another starts: punctuation, "và", "với", "thêm" ("còn" is
# also "con", a child: "đóng học phí cho con online được không").
_CLAUSE_BREAK = re.compile(r"[,;?.!\n]|\b(?:va|voi|vs|them|cung nhu)\b")


def aspects_asked(text: str) -> list[str]:
    """The aspects whose phrases ``text`` holds, in the order they first appear."""
    words = fold_words(text)
    found = []
    for aspect, pattern in _PATTERNS.items():
        match = pattern.search(words)
        if match:
            found.append((match.start(), aspect))
    return [aspect for _, aspect in sorted(found)]


def asks_only_an_aspect(text: str) -> str | None:
    """The one aspect ``text`` asks when little else is said: its phrase and at most one
    more word, not counting particles and forms of address ("Thế mua ở đâu hả cháu",
    "còn phí?"); None otherwise ("học bơi ở đâu", "mua vàng ở đâu rẻ" say what of)."""
    found = aspects_asked(text)
    if len(found) != 1:
        return None
    words = fold_words(text)
    match = _PATTERNS[found[0]].search(words)
    if match is None:  # cannot be: aspects_asked found it
        return None
    rest = f"{words[: match.start()]} {words[match.end() :]}".split()
    return found[0] if len([w for w in rest if w not in _PARTICLES]) <= 1 else None


def asks_nothing_but_aspects(text: str) -> bool:
    """True when ``text`` is made of aspect words and particles alone ("hồ sơ gồm những
    gì", "nộp ở đâu vậy ạ"): a question asked again, not a new one that reads alike."""
    rest = fold_words(text)
    for phrase in _EVERY_PHRASE:  # longest first: "gom nhung gi" before "ho so gom"
        rest = phrase.sub(" ", rest)
    return bool(aspects_asked(text)) and all(w in _AROUND_AN_ASPECT for w in rest.split())


def asks_an_aspect(text: str) -> bool:
    """True when ``text`` holds a word that asks or leans towards an aspect: "còn lệ phí
    thì sao", "nộp thì sao" (not "nhà em ở Cô Tô thì sao")."""
    return bool(_ANY.search(fold_words(text)))


# Where the fee is paid (folded): "phí đó nộp ở đâu" (batch 67), "còn trước bạ nộp ở đâu,
# bn %" (batch 98) ask the fee and the place.
_FEE_PAID_WHERE = re.compile(
    r"\b(?:le phi|phi|tien|truoc ba)(?: \w+)? (?:nop|dong|tra|thanh toan) (?:o dau|cho nao|dau)\b"
)


def separate_questions(text: str) -> list[str]:
    """The aspects asked in clauses of their own, in order: one per clause, a clause
    asking two aspects counts for none of them ("làm online có được giảm phí không"), but
    where a fee is paid asks both ("phí đó nộp ở đâu")."""
    if _FEE_PAID_WHERE.search(fold_words(text)):
        return ["ask_fee", "ask_location"]
    clauses = _CLAUSE_BREAK.split(fold(text).lower())
    asked: list[str] = []
    for clause in clauses:
        found = aspects_asked(clause)
        if len(found) == 1 and found[0] not in asked:
            asked.append(found[0])
    return asked if len(asked) >= 2 else []


def asks_whether_required(text: str) -> bool:
    """True when ``text`` asks whether a procedure must be done at all ("có phải đăng ký
    tạm trú cho các bạn k") or whether the citizen is entitled to it ("có đc hưởng thất
    nghiệp ko"): the overview answers it, not an aspect."""
    return bool(_WHETHER_REQUIRED.search(fold_words(text)))


# The citizen cannot apply online (folded): "bác không có điện thoại thông minh, chỉ có cái
# điện thoại bấm số thôi", "mẹ mình ko dùng smartphone, ko có vneid" (batch 76). The place
# to apply in person answers it.
_CANNOT_ONLINE = re.compile(
    r"\b(?:k|ko|khong|kg|kh|hong|hok|chua|chang) (?:co|dung|biet|biet dung|xai|su dung|ranh)"
    # "toi khong biet dung may cai online" (batch 104): "mấy cái online".
    r"(?: (?:cai|duoc|dc|may|mang|nhung|cac)){0,2} (?:smartphone|smart phone"
    r"|dien thoai thong minh|dt thong minh|dien thoai cam ung|vneid|vneld|may tinh|internet"
    r"|mang|tai khoan|app|ung dung|cong nghe|online|truc tuyen|may moc)\b"
    r"|\bdien thoai (?:bam so|bam phim|cuc gach)\b"
    # "ba gia roi mat kem, lam tren dien thoai kho lam" (batch 108)
    r"|\b(?:lam|dung|nop|khai) (?:tren|bang|qua) (?:dien thoai|dt|mang|may)(?: \w+){0,2} kho\b"
)
# The citizen will go in person (folded): "thôi để chở mẹ ra làm trực tiếp, ở đâu" (batch
# 76, read as a request for an official 0.55).
IN_PERSON = re.compile(
    r"\b(?:lam|nop|ra|den|len|di|dang ky|dk) truc tiep\b"
    # "ba ra tan noi duoc ko" (batch 108): to the office itself.
    r"|\b(?:ra|len|den|di|xuong) tan noi\b"
)


def cannot_apply_online(text: str) -> bool:
    """True when ``text`` says the citizen cannot apply online: no smartphone, no VNeID
    account, no computer (pure)."""
    return bool(_CANNOT_ONLINE.search(fold_words(text)))


def goes_in_person(text: str) -> bool:
    """True when ``text`` says the citizen will apply in person ("ra làm trực tiếp") (pure)."""
    return bool(IN_PERSON.search(fold_words(text)))
