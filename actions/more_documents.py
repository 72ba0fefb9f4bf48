"""The rest of a documents list too long for one screen.

A documents answer shows as many papers as fit a phone screen and ends with how many are
left (:func:`bot.kb.answers.document_pages`). Right after it, "giấy tờ còn lại", "còn gì
nữa không", "cần thêm gì nữa" or "xem tiếp" gets the next page; after the last page, the
bot says the list is complete rather than repeating it. The page shown is read from the
texts the bot sent, so no slot keeps it.
"""

from __future__ import annotations

import re

from actions.aspect_words import aspects_asked
from bot.kb import Procedure
from bot.kb.answers import document_pages
from bot.nlu.text import fold_words

MAX_WORDS = 7
# "còn nữa", "gì nữa", "xem tiếp", "còn lại", "thêm gì", "hết chưa" (folded); not "bước
# tiếp theo" (the steps) nor "hết hạn".
_MORE = re.compile(r"\b(?:nua|tiep|con lai|them|het chua|het roi)\b")
_NOT_MORE = re.compile(r"\bbuoc\b")
ALL_SHOWN = (
    "Hồ sơ {name} chỉ gồm các giấy tờ trên ạ. Bạn có thể hỏi tiếp: lệ phí, thời gian, "
    "nơi nộp, nộp trực tuyến."
)


def asks_for_more(text: str) -> bool:
    """True for a short "what else?" that asks no other aspect: "giấy tờ còn lại", "còn
    j nữa k", "cần thêm gì nữa không" (not "còn lệ phí nữa", "nộp ở đâu nữa")."""
    words = fold_words(text)
    return (
        0 < len(words.split()) <= MAX_WORDS
        and bool(_MORE.search(words))
        and not _NOT_MORE.search(words)
        and set(aspects_asked(text)) <= {"ask_documents"}
    )


def next_documents_page(p: Procedure, sent: list[str]) -> str | None:
    """What follows the documents page of ``p`` among the texts ``sent`` by the bot's
    last turn: the next page, or :data:`ALL_SHOWN` after the last; None when the turn
    showed no documents page of ``p`` (pure)."""
    pages = document_pages(p)
    shown = [i for i, page in enumerate(pages) if page in sent]
    if not shown:
        return None
    following = max(shown) + 1
    return pages[following] if following < len(pages) else ALL_SHOWN.format(name=p.name)
