"""What the bot says when a citizen asks for an official, and how it tells, from its own
last turn, that such a request is the latest thing in the conversation.

Kept apart from :mod:`actions.handoff` (the action that records the request) so that the
procedure action can recognise "bao giờ thì có người gọi" right after the request without
importing the action that imports it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from actions.aspect_words import aspects_asked
from actions.history import BotTurn, recent_bot_texts
from bot.nlu.text import fold_words

HANDOFF = "action_request_human"
REQUEST_OFFICIAL = "/request_human"  # the payload of the button that asks for an official
BUTTONS_OFFICIAL = [{"title": "Gặp cán bộ", "payload": REQUEST_OFFICIAL}]

REPLY = (
    "Tôi đã ghi nhận yêu cầu gặp cán bộ của bạn. Hiện kênh trò chuyện trực tiếp với cán bộ "
    "đang được triển khai; bạn có thể đến Trung tâm Phục vụ hành chính công gần nhất, hoặc gọi "
    "số điện thoại ghi trên Giấy tiếp nhận hồ sơ. Tôi vẫn có thể giúp bạn về thủ tục và tra cứu hồ sơ."
)


# A phone number or "ghi nhận đi" right after that reply: added to the request.
MSG_CONTACT_NOTED = (
    "Dạ, tôi đã thêm số điện thoại bạn gửi vào yêu cầu gặp cán bộ để cán bộ liên hệ lại với "
    "bạn. Bạn cần hỗ trợ gì thêm thì cứ nhắn cho tôi nhé."
)
# What the matter is, told right after the request ("việc đất đai, nhà tôi bị cấp sổ ghi
# nhầm diện tích", read as out of scope): noted for the official.
MSG_DETAIL_NOTED = (
    "Dạ, tôi đã ghi thêm nội dung này vào yêu cầu gặp cán bộ để cán bộ nắm trước. Bạn cần "
    "hỗ trợ gì thêm thì cứ nhắn cho tôi nhé."
)
MSG_NOTED = (
    "Dạ, yêu cầu gặp cán bộ của bạn đã được ghi lại. Bạn cần hỗ trợ gì thêm thì cứ nhắn cho "
    "tôi nhé."
)

# Impatience right after that reply ("nhanh len, cho 15p roi", "sao chưa có ai"), read as
# out of scope or unclear: the bot says honestly again that no official answers here yet.
MSG_STILL_WAITING = (
    "Xin lỗi để bạn phải chờ. Hiện chưa có cán bộ trả lời trực tiếp trên kênh này; yêu cầu "
    "của bạn đã được ghi lại. Bạn có thể gọi số điện thoại ghi trên Giấy tiếp nhận hồ sơ, "
    "hoặc đến Trung tâm Phục vụ hành chính công gần nhất."
)
# "cho" before a person is "for" ("tôi hỏi việc tách thửa đất cho con", batch 60).
_FOR_SOMEONE = r"(?! (?:con|em|e|toi|minh|mk|bo|me|vo|chong|ong|ba|chau|be|nguoi|gia dinh)\b)"
_IMPATIENT = re.compile(
    r"\b(?:nhanh|lau|cho" + _FOR_SOMEONE + r"|doi|mai|dau roi|sao chua|chua thay|chua co"
    r"|alo|co ai|oi)\b"
)


def is_impatient(text: str) -> bool:
    """True for a short sign of waiting too long: "nhanh lên", "chờ 15p rồi", "alo", "sao
    chưa có ai" (folded)."""
    words = fold_words(text)
    return 0 < len(words.split()) <= 10 and bool(_IMPATIENT.search(words))


def handed_off(turn: BotTurn) -> bool:
    """True when the bot's ``turn`` recorded a request for an official and said so, or
    noted what the citizen added to it (:func:`add_to_the_request`); not
    when ``action_request_human`` answered a question on who goes instead ("có cần bố mẹ đi
    cùng ko", after which "thế làm cho bé út 6 tuổi luôn dc ko" is no impatience)."""
    if turn.action == HANDOFF and REPLY in turn.texts:
        return True
    # What the citizen added right after it was noted: the request is still the latest.
    # So is the honest wait ("tôi hỏi việc tách thửa", then "so toi 0336…, goi sau 5h").
    return bool(
        {MSG_NOTED, MSG_CONTACT_NOTED, MSG_DETAIL_NOTED, MSG_STILL_WAITING} & set(turn.texts)
    )


# "bao giờ thì có người gọi", "khi nào cán bộ liên hệ" right after the request (read as the
# time a procedure takes): the same honest answer (folded).
_WHEN = r"(?:bao gio|khi nao|bao lau|may gio|may h|luc nao)"  # "may h co nguoi tra loi"
_CONTACTED = r"(?:goi|lien he|lien lac|tra loi|nhan tin|co nguoi|can bo)"
_WHEN_CONTACTED = re.compile(rf"\b{_WHEN}\b.*\b{_CONTACTED}\b|\b{_CONTACTED}\b.*\b{_WHEN}\b")


def asks_when_contacted(text: str) -> bool:
    """True for a question on when the official will call or answer ("bao giờ thì có người
    gọi", "khi nào cán bộ liên hệ lại"; pure)."""
    return bool(_WHEN_CONTACTED.search(fold_words(text)))


def is_waiting(text: str) -> bool:
    """True for impatience or a question on when the official will answer
    (:func:`is_impatient`, :func:`asks_when_contacted`): right after the request
    (:func:`handed_off`), the honest wait is the reply (pure)."""
    return is_impatient(text) or asks_when_contacted(text)


# "cán bộ vẫn chưa vào à", "lâu thế" (folded): still waiting, a few turns after the request.
_STILL_NONE = re.compile(
    r"\b(?:van chua|chua (?:vao|thay|co ai|tra loi|tl|rep|lien he|goi)|lau (?:the|qua|vay))\b"
)
# Turns after the request within which such words are about it.
REQUEST_TURNS = 4


def impatient_after_the_request(text: str, events: Sequence[Mapping[str, Any]]) -> bool:
    """True for impatience or asking when ("nhanh len toi dang ban", "may h co nguoi tra
    loi", batch 65; :func:`is_waiting`) within ``REQUEST_TURNS`` turns of the bot after the
    request, though another answer came in between (pure)."""
    if not is_waiting(text) or aspects_asked(text):
        # "mà lần sau nộp online cho nhanh được không" (batch 71) asks something else.
        return False
    return _requested_lately(events)


def waits_for_the_official(text: str, events: Sequence[Mapping[str, Any]]) -> bool:
    """True when ``text`` asks when, or says that no official has come yet ("cán bộ vẫn
    chưa vào à", "bao giờ cán bộ trả lời"), and the request was recorded within the last
    ``REQUEST_TURNS`` turns of the bot: the honest wait, not a second request (pure)."""
    folded = fold_words(text)
    if not (asks_when_contacted(text) or _STILL_NONE.search(folded)):
        return False
    return _requested_lately(events)


def _requested_lately(events: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the request for an official was recorded within the bot's last
    ``REQUEST_TURNS`` turns."""
    return any(REPLY in texts for texts in recent_bot_texts(events, turns=REQUEST_TURNS))
