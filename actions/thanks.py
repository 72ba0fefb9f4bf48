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
_SENTENCE_END = re.compile(r"[.!?\n]+")


def thanks_in_passing(text: str) -> bool:
    """True when ``text`` thanks the bot among other words and asks nothing ("uh thế bác
    biết rồi, để bác gọi bảo chúng nó, cảm ơn cháu nhá"; pure): the thanks reply fits."""
    asks = "?" in text or asks_yes_no(text) or aspects_asked(text)
    return bool(_THANKS.search(fold_words(text))) and not asks


def ends_with_thanks(text: str) -> bool:
    """True when the last sentence of ``text`` thanks and asks nothing ("tổng cộng lâu
    vậy à. thôi cảm ơn"; pure)."""
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    return bool(sentences) and thanks_in_passing(sentences[-1])
