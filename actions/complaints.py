"""Complaints about the bot itself ("bot ngu thế, hỏi mãi ko hiểu", "trả lời vòng vo
quá") and about the service ("ko hài lòng, muốn khiếu nại", "làm ăn kiểu gì vậy").

They read as out of scope, and the usual reply (what the bot can do) would only repeat
itself to someone already annoyed. The bot apologises instead and offers an official
(``utter_sorry_offer_official``, with a button that asks for one); a grievance about the
service gets :data:`MSG_GRIEVANCE`: an official, or the feedback channel of the national
public service portal.
"""

from __future__ import annotations

import re

from bot.nlu.text import fold_words, fold_words_but

# Accent-folded. "ngu" alone is also "ngủ" ("bot có ngủ không", "giấy xuất ngũ ko"): only
# beside a word that makes it an insult. "chán quá" alone is boredom, and small talk.
# fmt: off
_PHRASES = (
    "bot ngu", "may ngu", "ngu the", "ngu qua", "ngu vay", "ngu vl", "ngu vcl", "ngu nhu",
    "do hoi", "vo dung", "vo dug", "vo tich su", "vong vo", "tra loi lung tung",
    "noi lung tung", "tra loi linh tinh", "noi linh tinh", "tra loi sai", "noi sai",
    "hoi mai", "noi mai", "ko hieu gi", "khong hieu gi", "k hieu gi", "chang hieu gi",
    "ko hieu y", "khong hieu y", "thoi chan", "bot kem", "tra loi nhu khong",
    "chang giup duoc gi", "ko giup duoc gi", "khong giup duoc gi", "khong tra loi duoc",
    "ko tra loi duoc", "k tra loi duoc", "ko tra loi dc", "k tra loi dc",
    # "dm hoi may lan r ko tra loi" (batch 54)
    "hoi may lan", "hoi bao nhieu lan", "ko tra loi", "khong tra loi", "k tra loi",
    "chang tra loi",
    # "chan the, hoi gi cung k biet" (batch 62)
    "hoi gi cung k biet", "hoi gi cung ko biet", "hoi gi cung khong biet",
    "hoi gi cung chang biet", "cai gi cung k biet", "cai gi cung ko biet",
    "cai gi cung khong biet",
    # "thế thì ích gì" (batch 108), after "out of scope" for a land dispute.
    "thi ich gi", "co ich gi", "vo ich",
    "lam an nhu",  # "dm lam an nhu c" (batch 109)
)
# fmt: on
# "đồ hôi" is an insult, "(dạo) đó hồi đó" a time (batch 63): no insult before a time word.
_COMPLAINT = re.compile(
    r"\b(?:" + "|".join(map(re.escape, _PHRASES)) + r")\b"
    r"(?<!\bdo hoi)|\bdo hoi\b(?! (?:do|nay|xua|truoc|ay|kia|nao)\b)"
    # "bot chả biết j cả" (batch 85): the bot knows nothing; not "e chả biết gì về …".
    r"|\b(?:bot|ad|admin|may|tro ly|chatbot)(?: \w+)? (?:cha|chang|k|ko|khong) biet (?:gi|j)\b"
)
_NOT_NGU = frozenset(("ngủ", "ngũ", "ngụ", "ngừ"))


# A swear word on its own (folded): "vl" (batch 65), "dm", "vcl".
_SWEARS = frozenset(("vl", "vcl", "vkl", "dm", "dmm", "dcm", "clm", "vai", "wtf", "cc"))


def is_complaint(text: str) -> bool:
    """True when ``text`` complains about the bot's answers ("bot ngu thế", "trả lời vòng
    vo quá", "hỏi mãi ko hiểu gì"), not about something else ("mất ngủ", "buồn ngủ quá":
    typed with marks, "ngủ" is no "ngu", batch 58)."""
    words = fold_words(text).split()
    if words and set(words) <= _SWEARS:
        return True  # "vl" alone, after an answer that did not help
    return bool(_COMPLAINT.search(fold_words_but(text, _NOT_NGU)))


# Accent-folded: a grievance about the service or its staff, not about the bot. "khiếu
# nại ở đâu" alone asks where to complain about anything (an electricity bill): no.
# fmt: off
_GRIEVANCES = (
    "muon khieu nai", "muon phan anh", "khong hai long", "ko hai long", "k hai long",
    "chua hai long", "bat tien qua", "lam an kieu", "lam viec kieu", "lam viec the a",
    "nhung nhieu", "hach dich", "gay kho de", "vo trach nhiem", "thai do",
    # A bribe asked for, fear of being made trouble for (batch 59).
    "boi duong", "phong bi", "hoi lo", "dut lot", "so bi lam kho",
    "hanh dan", "hanh ha dan",  # "can bo dia chinh xa e hanh dan" (batch 66)
    "buc xuc qua", "rat buc xuc", "buc minh qua",  # "Bức xúc quá. … " (batch 71)
)
# fmt: on
_GRIEVANCE = re.compile(r"\b(?:" + "|".join(map(re.escape, _GRIEVANCES)) + r")\b")
MSG_GRIEVANCE = (
    "Xin lỗi bạn vì sự chậm trễ, bất tiện. Để phản ánh, khiếu nại, bạn bấm nút dưới đây để "
    "gặp cán bộ, hoặc gửi phản ánh, kiến nghị trên Cổng Dịch vụ công quốc gia "
    "(https://dichvucong.gov.vn). Nếu có mã hồ sơ, bạn gửi để tôi tra giúp tình trạng nhé."
)


def is_grievance(text: str) -> bool:
    """True when ``text`` complains about the service or its staff ("ko hài lòng, muốn
    khiếu nại", "các anh làm việc kiểu gì vậy", "thái độ cán bộ"), not about the bot."""
    return bool(_GRIEVANCE.search(fold_words(text)))
