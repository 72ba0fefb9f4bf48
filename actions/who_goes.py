"""Questions about who must go and who may go instead: "bố mẹ có phải đi cùng không",
"nhờ bố đi nộp hộ được không", "e đi một mình có đc k", "chủ nhà phải ký không".

The classifier has no intent for them: they read as an overview or documents question, or,
after an answer, as out of scope, "không" (deny), or even a request for an official ("có
cần bố mẹ đi cùng không", request_human 0.51). They are recognised by their words, and
answered from the entry's ``who_goes`` field (:func:`bot.kb.answers.answer_who_goes`).

Typed without diacritics the words are ambiguous: "nop ho" is "nộp hộ" but also "nộp hồ
(sơ)", "co mat" is "có mặt" but also "có mất (phí)", "ky ho" is "ký hộ" and "(đăng) ký hộ
(kinh doanh)". The word after such a phrase decides.
"""

from __future__ import annotations

import re
import unicodedata

from bot.nlu.text import fold_words

# Accent-folded phrases; each line one kind.
# fmt: off
_PHRASES = (
    # presence: "phải đi cùng", "có mặt", "tự đi", "một mình", "cả hai vợ chồng"
    "di cung", "cung di", "co mat", "tu di", "tu minh di", "mot minh", "ca hai nguoi",
    "ca 2 nguoi", "ca hai vo chong", "ca 2 vo chong", "dan theo", "di theo", "mot nguoi di",
    "1 nguoi di", "ai di", "ai ky", "ai nop", "ai phai di", "ai phai den", "ai phai ky",
    "ai phai nop", "ai phai lam", "ai duoc lam", "ai dc lam", "ai khai", "xuong nha",
    "bo phai di", "me phai di", "cha phai di", "vo phai di", "chong phai di", "con phai di",
    "1 minh", "cung den", "den cung",  # "2 dua co phai cung den k" (batch 66)
    "tu den", "tu minh den",  # "Bác phải tự đến ký à" (batch 70)
    "cung ra", "ra cung",  # "2 đứa có phải cùng ra ko hay 1 đứa ra cũng đc" (batch 74)
    # "vk đang ở cữ, mình a đi đc k": alone ("mình" + who + "đi")
    "minh a di", "minh e di", "minh em di", "minh anh di", "minh chi di", "minh toi di",
    # someone else going: "ủy quyền", "làm thay", "nộp hộ", "nhờ bố"
    "uy quyen", "lam thay", "nop thay", "di thay", "xin thay", "ky thay", "nhan thay",
    "lay thay", "lam ho", "nop ho", "xin ho", "di ho", "lay ho", "nhan ho", "ky ho",
    "thay duoc", "thay dc", "nho nguoi", "nho bo", "nho me", "nho con", "nho vo",
    "nho chong", "nho anh", "nho chi", "nho em", "nho ba", "nho ong", "nho chau",
    "nguoi nha di", "nguoi than di", "nop giup", "khai giup", "di giup", "ky giup",
    "nhan giup", "lay giup", "xin giup",
    # "ba di dang ky khai sinh thay cho chau dc ko" (batch 106)
    "thay cho chau", "thay cho con", "thay cho be", "thay cho bo", "thay cho me",
    "thay cho vo", "thay cho chong", "thay cho em", "thay cho nguoi",
    # "tui no tu dang ky hay toi dang ky" (batch 106, read as bot_challenge)
    "tu dang ky hay", "tu dk hay", "tu nop hay", "tu khai hay",
    # whose signature or consent: "chủ nhà phải ký", "bố mẹ đồng ý", "điểm chỉ"
    "phai ky", "can ky", "ky gi", "ky vao", "ky ten", "dong y", "diem chi", "chu nha ky",
    "chu ho ky", "bo me ky", "cha me ky",
    # "nha bo me chong dung ten, co can bo me chong ky k" (batch 110)
    "bo me chong ky", "bo me vo ky", "me chong ky", "bo chong ky", "bo vo ky",
    # "bác tôi ở Nam Định có phải về ký k" (batch 52)
    "ve ky",
    # "co phai mang be theo ko ạ" (batch 97): the child brought along
    "mang be theo", "mang con theo", "mang chau theo", "dua be theo", "dua con theo",
    "dua chau theo", "bong be theo",
)
# "hộ"/"hồ" and "mặt"/"mất" folded alike: the next word tells "nộp hồ sơ", "làm hộ chiếu",
# "đăng ký hộ kinh doanh", "có mất phí" from "nộp hộ", "có mặt".
_NOT_BEFORE = {
    "ho": frozenset(
        ("so", "s", "chieu", "chiu", "khau", "kinh", "gia", "tich", "ngheo", "can", "dan")
    ),
    "mat": frozenset((
        "phi", "tien", "dong", "le", "them", "gi", "khoan", "nhieu", "chi", "bao", "xu",
        "tam", "ngu",
    )),
}
# Words before a phrase that make it something else: "giấy ủy quyền" is a paper (the one
# chứng thực chữ ký certifies), "Yên Tử đi", "nhớ người yêu", "nhờ người thật trả lời",
# "đăng ký gì".
_NOT_AFTER = {
    "uy quyen": frozenset(("giay", "ban", "dong")),
    "tu di": frozenset(("yen", "noi")),
    # "đăng ký gì", "đăng ký vào", "đăng ký tên": "ký" of "đăng ký".
    "ky gi": frozenset(("dang",)),
    "ky vao": frozenset(("dang",)),
    "ky ten": frozenset(("dang",)),
}
_NOT_BEFORE_PHRASE = {"nho nguoi": frozenset(("that", "yeu"))}
# fmt: on
# "bé có phải đến không", "cháu có cần lên không": a person, then whether they must come.
_PERSONS = ("be", "chau", "con", "bo", "me", "cha", "vo", "chong", "ong", "ba", "nguoi do")
_MUST = ("phai", "co phai", "can", "co can")
_COME = ("den", "len", "ra", "toi", "xuong", "tu den")
_PERSON_COMES = tuple(f"{p} {m} {c}" for p in _PERSONS for m in _MUST for c in _COME)
# "còn phải đến đâu nữa" asks where, not who ("còn" folds like "con").
_NOT_BEFORE_PHRASE.update({p: frozenset(("dau", "nua", "noi")) for p in _PERSON_COMES})
_CUE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in (*_PHRASES, *_PERSON_COMES)) + r")\b")


# A relative going to do it, asked whether they may ("mẹ em đi làm được không", "ck e đi
# nộp dc k"; batch 28), folded.
# "con trai đi dc k", "em là cháu thì đi làm dc ko" (batches 50, 51): the errand may go
# unsaid.
_KIN_GOES = re.compile(
    r"\b(?:bo|me|cha|vo|chong|ck|vk|ong|ba|anh|chi|con|chau)(?: trai| gai)?"
    r" (?:em |e |toi |minh |no )?(?:thi )?"
    r"(?:di|den|ra|len)(?: (?:lam|nop|khai|dang ky|dk|xin|lay|nhan)(?: \w+)?)?"
    r" (?:duoc|dc) (?:khong|ko|k|kg|hong)\b"
)
# "có cần chủ hộ ký ko hay tôi tự đi làm được": "A không hay B" asks too (folded).
_EITHER_OR = re.compile(
    r"\b(?:khong|ko|k|kg|kh|hong|hok|chua)(?: (?:a|ad|nhi|vay))? hay\b"
    # "2 dua phai di cung hay e di 1 minh dc" (batch 52): a choice that ends in "được".
    r"|\bhay\b(?: \w+){1,6} (?:duoc|dc|dk)$"
)


def asks_either_or(text: str) -> bool:
    """True for "A không (ạ) hay B", a question that ends with neither a particle nor "?"."""
    return bool(_EITHER_OR.search(fold_words(text)))


def asks_who_goes(text: str) -> bool:
    """True when ``text`` asks who must be present, sign or consent, or who may go for
    the citizen ("ca 2 dua co phai di cung ko", "nhờ con trai nộp thay đc k"); "nộp hồ sơ
    ở đâu" and "có mất phí không" do not."""
    folded = fold_words(text)
    # Typed with diacritics, "mất" ("có mất tềin ko") is no "mặt", whatever follows.
    lowered = unicodedata.normalize("NFC", text.lower())
    says_mat = "mất" not in lowered or "mặt" in lowered
    for match in _CUE.finditer(folded):
        phrase = match.group(0)
        following = folded[match.end() :].split(maxsplit=1)[:1]
        before = folded[: match.start()].rsplit(maxsplit=1)[-1:]
        if following and (
            following[0] in _NOT_BEFORE.get(phrase.rsplit(" ", 1)[-1], ())
            or following[0] in _NOT_BEFORE_PHRASE.get(phrase, ())
        ):
            continue
        if before and before[0] in _NOT_AFTER.get(phrase, ()):
            continue
        if phrase == "co mat" and not says_mat:
            continue
        return True
    return bool(_KIN_GOES.search(folded))
