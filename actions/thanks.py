"""Thanks among other words: "uh thế bác biết rồi, để bác gọi bảo chúng nó, cảm ơn cháu
nhá" (read as unclear), "tổng cộng lâu vậy à. thôi cảm ơn" (read as the time just given).

The classifier reads such messages by their other words; the thanks reply fits them
better than "chưa hiểu" or "nothing more".
"""

from __future__ import annotations

import re

from actions.aspect_words import aspects_asked
from actions.yes_no import asks_yes_no
from bot.nlu.text import fold_words

# Thanks (folded): "cảm ơn", "cám ơn", "thanks", "tks".
_THANKS = re.compile(r"\b(?:cam on|camon|thank|thanks|tks|thank you)\b")
# Praise on its own (folded): "ok hay quá" (batch 63), "tuyệt vời", "bot giỏi thế".
_PRAISE = re.compile(
    r"(?:(?:ok|oke|okie|uh|u|a|da|vang|wow|ui|oi) )*(?:(?:bot|ban|ad|em|e|chau|may) )?"
    # "may ma noi chuyen ngot the" (batch 108): "mà", "nói chuyện" before the praise.
    r"(?:ma )?(?:noi chuyen |tra loi )?"
    # "cháu ngoan lắm" (batch 83)
    r"(?:hay|tuyet|tuyet voi|gioi|xin|tot|nhanh|chuan|de hieu|chi tiet|ro rang|ngoan|ngot"
    r"|de thuong|lich su)"
    r" (?:qua|the|vay|ghe|lam|that|ma|ha)(?: (?:ad|ban|bot|em|e|a|nhe|nha))*"
)
_SENTENCE_END = re.compile(r"[.!?\n]+")


def thanks_in_passing(text: str) -> bool:
    """True when ``text`` thanks the bot among other words and asks nothing ("uh thế bác
    biết rồi, để bác gọi bảo chúng nó, cảm ơn cháu nhá"; pure): the thanks reply fits."""
    asks = "?" in text or asks_yes_no(text) or aspects_asked(text)
    return bool(_THANKS.search(fold_words(text))) and not asks


# "uh bot mà trả lời cũng nhanh nhỉ 😂" (batch 74): the bot's answers praised.
_ANSWERS_PRAISED = re.compile(
    r"\btra loi (?:cung |rat |kha |qua )?(?:nhanh|hay|de hieu|chi tiet|ro rang)"
    r"(?: (?:qua|the|vay|ghe|nhi|ha|nhe|nha|ma))*$"
)


def praises(text: str) -> bool:
    """True for praise on its own ("ok hay quá", "bot giỏi thế", "bot mà trả lời cũng nhanh
    nhỉ"; pure): thanked back."""
    folded = fold_words(text)
    return bool(_PRAISE.fullmatch(folded) or _ANSWERS_PRAISED.search(folded))


def ends_with_thanks(text: str) -> bool:
    """True when the last sentence of ``text`` thanks and asks nothing ("tổng cộng lâu
    vậy à. thôi cảm ơn"; pure)."""
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    return bool(sentences) and thanks_in_passing(sentences[-1])
