"""Messages about the bot itself: "bạn là người hay máy" (:mod:`actions.bot_challenge`),
and "bot làm được gì", which the greeting answers (it says what the bot can do).

Kept apart so that the procedure action, which the bot_challenge action builds on, can
tell "vậy bot làm được gì" (read as an overview question) from a procedure question.
"""

from __future__ import annotations

import re
import unicodedata

from bot.nlu.text import fold_words

# Words about who answers (folded): such a message is the challenge, whatever else it says.
_ABOUT_THE_BOT = re.compile(
    r"\b(?:bot|robot|chatbot|chatgpt|chat gpt|gemini|tri tue|phan mem|tu dong|tu tra loi|"
    r"nguoi that|ng that|nguoi hay|con nguoi|phai nguoi|phai la nguoi|la nguoi|co that|"
    r"nguoiwf|nguoi cua|ai dang|ai tra loi|"
    r"(?:ban|bn|b|em|e|ad|admin|chau|anh|a|chi|c|mi) la ai|ai vay|ai day|"
    r"tro ly ao)\b"
    # "máy" typed without marks is also "mấy": only where it can be nothing else.
    r"|\b(?:voi|vs|la|hay|phai|cai) may\b|\bmay (?:tra loi|tu|gui|a|ha|ak|ah|ak)\b"
)
# "máy" typed with its marks, on its own: not "xe máy", "máy giặt", "máy bay", "điện máy".
_MACHINE = re.compile(
    r"(?<!\bxe )(?<!\bđiện )(?<!\bmua )\bmáy\b(?! (?:bay|giặt|lạnh|ảnh|tính|in|photo))"
)
# "AI" typed in capitals; folded, "ai" is also "who" ("ai phải đi").
_AI = re.compile(r"\bAI\b")

# What the bot can do, asked (folded): "vậy bot làm được gì", "bạn giúp được những gì".
# "thế cháu biết làm những việc gì", "vậy bot trả lời đc cái gì" (batches 36, 37).
_WHAT_IT_DOES = re.compile(
    r"\b(?:bot|ban|bn|ad|admin|tro ly|chatbot|chau)(?: nay)? (?:co the |biet )?"
    r"(?:lam|giup|ho tro|tra loi)(?: (?:duoc|dc))?(?: cho (?:toi|minh|em|e|bac|co|chu))?"
    r" (?:nhung )?(?:gi|j|viec gi|cai gi|viec j|cai j)\b"
    # "hoi ban dc nhung gi" (batch 64)
    r"|\bhoi (?:bot|ban|bn|ad|admin|tro ly)(?: nay)? (?:duoc|dc) (?:nhung )?(?:gi|j|cai gi|viec gi)\b"
    # "thế bot biết j" (batch 80), at the message's end: not "bạn biết gì về khai sinh".
    # "thế e biết cái j" (batch 113): the bot called "em".
    r"|\b(?:bot|ban|bn|ad|admin|tro ly|chatbot|chau|may|em|e)(?: nay)? (?:biet|hieu)(?: duoc| dc)?"
    r" (?:nhung )?(?:gi|j|cai gi|cai j)(?: (?:khong|ko|k|vay|z|v|the|ha|a))*$"
    # "vay may biet lam cai gi" (batch 104), after two answers out of scope.
    r"|\b(?:bot|ban|bn|ad|admin|tro ly|chatbot|chau|may) biet lam (?:nhung )?(?:gi|j|cai gi"
    r"|cai j|viec gi)\b"
)


# When the bot answers (folded): "ma ad tra loi ca chu nhat a" (batch 68), "bot có trực
# ban đêm không".
_BOT_HOURS = re.compile(
    r"\b(?:ad|admin|ban|bot|em|e|tro ly|chatbot)(?: co)? (?:tra loi|lam viec|hoat dong|truc|rep)"
    r"(?: ca)? (?:chu nhat|cn|thu 7|t7|thu bay|cuoi tuan|ngay le|le tet|ban dem|dem|buoi toi|toi|24/?7)\b"
    # "tối r mà vẫn rep nhanh ghê, bot có đc nghỉ ko đấy" (batch 116).
    r"|\b(?:bot|ad|admin|tro ly|chatbot)(?: co)? (?:duoc|dc) nghi (?:khong|ko|k|chua)\b"
    # "chao em, …, em lam viec den may gio" (batch 104).
    r"|\b(?:ad|admin|ban|bot|em|tro ly|chatbot) (?:tra loi|lam viec|hoat dong|truc|rep)"
    r" (?:den|toi|tu) may gio\b"
)
MSG_ANSWERS_ANYTIME = (
    "Dạ, tôi trả lời mọi lúc, kể cả ban đêm và ngày nghỉ. Còn hồ sơ thì cơ quan tiếp nhận và "
    "xử lý trong giờ hành chính."
)


# The bot's name asked (folded): "bot có tên không" (batch 109), "em tên gì".
_NAME = re.compile(
    r"\b(?:bot|ban|bn|em|ad|admin|tro ly|chatbot)(?: nay)? (?:co )?ten (?:la )?"
    r"(?:gi|j|khong|ko|k|chua)\b|\bten (?:cua )?(?:bot|ban|em|tro ly)(?: nay)? (?:la )?(?:gi|j)\b"
)


def asks_the_bots_name(text: str) -> bool:
    """True when ``text`` asks the bot's name ("bot có tên không"; pure)."""
    return bool(_NAME.search(fold_words(text)))


def asks_when_the_bot_answers(text: str) -> bool:
    """True for "ad trả lời cả chủ nhật à", "bot có trực ban đêm không" (pure)."""
    return bool(_BOT_HOURS.search(fold_words(text)))


def speaks_of_the_bot(text: str) -> bool:
    """True when ``text`` has words about who answers: "máy" typed with its marks and not
    "xe máy", "AI" in capitals, "người thật", "bạn là ai"… (pure)."""
    if _ABOUT_THE_BOT.search(fold_words(text)) or _AI.search(text):
        return True
    return bool(_MACHINE.search(unicodedata.normalize("NFC", text.lower())))


def asks_what_the_bot_does(text: str) -> bool:
    """True for "vậy bot làm được gì", "bạn giúp được gì cho tôi" (pure)."""
    return bool(_WHAT_IT_DOES.search(fold_words(text)))
