"""What the bot says about the citizen's personal data: a question about it ("bot có lưu số
căn cước tôi vừa gửi không", read as unclear or as a subscription), and an ID number sent to
look a dossier up ("số CCCD của tôi là 0221…": the bot looks dossiers up by their code
only).

The answers say what the system does: messages are kept to answer them, to let an official
call back when asked, and (numbers masked) to improve the guidance; phone numbers, ID
numbers and names are masked in every log line (:mod:`bot.privacy`).
"""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

from actions.yes_no import asks_yes_no
from bot.logs import get_logger
from bot.nlu.text import fold_words
from bot.privacy import has_id_number

log = get_logger(__name__)

MSG_PRIVACY = (
    "Tin nhắn của bạn được lưu để trả lời bạn, để cán bộ liên hệ lại khi bạn yêu cầu, và "
    "(đã che số) để cải thiện hướng dẫn. Số điện thoại, số giấy tờ và họ tên được che trong "
    "nhật ký hệ thống. Để tra hồ sơ tôi chỉ cần mã hồ sơ, bạn không cần gửi số căn cước."
)
MSG_ID_NOT_NEEDED = (
    "Tôi không tra hồ sơ bằng số căn cước; bạn không cần gửi số này. Tôi chỉ cần mã hồ sơ."
)

# Folded: what is done with it, and what "it" is.
_DONE_WITH = re.compile(
    r"\b(?:luu|giu|bao mat|bi lo|lo ra|an toan|xoa|ban cho|chia se|lam gi voi|dung de)\b"
)
_PERSONAL = re.compile(
    r"\b(?:so cccd|so can cuoc|so cmnd|so dien thoai|so dt|sdt|thong tin ca nhan|"
    r"thong tin cua|du lieu|cccd cua|so giay to|ho ten|chia se thong tin)\b"
)


_ASKING = re.compile(r"\b(?:khong|ko|k|kg|chua|gi|j|sao|the nao)\b")


def asks_about_personal_data(text: str) -> bool:
    """True for a question on what is done with the citizen's data ("bot có lưu số căn
    cước tôi vừa gửi không", "thông tin của tôi có được bảo mật không"; pure)."""
    words = fold_words(text)
    asks = asks_yes_no(text) or "?" in text or bool(_ASKING.search(words))
    return asks and bool(_DONE_WITH.search(words)) and bool(_PERSONAL.search(words))


def answer_personal_data_question(dispatcher: CollectingDispatcher, text: str) -> bool:
    """Say what is done with personal data when ``text`` asks; True when it did."""
    if not asks_about_personal_data(text):
        return False
    log.info("privacy.question.answered")
    dispatcher.utter_message(text=MSG_PRIVACY)
    return True


def note_id_not_needed(dispatcher: CollectingDispatcher, text: str) -> bool:
    """Say that dossiers are not looked up by ID number when ``text`` holds one; True
    when it did (the number is not said back)."""
    if not has_id_number(text):
        return False
    log.info("privacy.id_number.not_needed")
    dispatcher.utter_message(text=MSG_ID_NOT_NEEDED)
    return True
