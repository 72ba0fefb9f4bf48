"""Of the procedures a long message names, the one its question names.

"Em đã ly hôn năm 2019 …, giờ em muốn đăng ký kết hôn với người mới ở Hải Phòng. Em cần
xin giấy xác nhận tình trạng hôn nhân ở đâu" tells a story in one sentence and asks in
the next: the procedure asked about is the one the asking sentence names (xác nhận tình
trạng hôn nhân), not kết hôn, which only tells why. So is "Chồng em người Trung Quốc, bọn
em đăng ký kết hôn ở Móng Cái rồi. Giờ em sinh con … thì làm khai sinh cho con ở đâu"
(batch 34). A sentence asks when it asks an aspect or what to do, a yes/no question, or
a choice between two.

Only a message of two sentences or more is narrowed, only when the sentences that ask
name one procedure between them and another sentence names a different one.
"""

from __future__ import annotations

import re
from typing import Any

from actions.planning import asks_a_choice, asks_something
from actions.who_goes import asks_either_or
from actions.yes_no import asks_yes_no
from bot.nlu.text import fold_words

_SENTENCE = re.compile(r"[^.?!\n]+[.?!]*")


def _asks(sentence: str) -> bool:
    return (
        asks_something(sentence)
        or asks_yes_no(sentence)
        or asks_a_choice(sentence)
        or asks_either_or(sentence)
    )


def named_where_asked(text: str, named: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The ``procedure`` entities of ``named`` whose value is the one procedure the asking
    sentences of ``text`` name, when other sentences name others; None when that does not
    narrow them (one sentence, no entity offsets, no or several procedures asked, or
    every sentence asks; pure)."""
    if len({e.get("value") for e in named}) < 2 or any("start" not in e for e in named):
        return None
    sentences = [m.span() for m in _SENTENCE.finditer(text) if m.group().strip()]
    if len(sentences) < 2:
        return None
    asking = [(s, e) for s, e in sentences if _asks(text[s:e])]
    if not asking or len(asking) == len(sentences):
        return None
    asked = {e.get("value") for e in named if any(s <= int(e["start"]) < end for s, end in asking)}
    if len(asked) != 1:
        return None
    return [e for e in named if e.get("value") in asked]


# Whether one must (folded), just before a name: "có phải (đăng ký) tạm trú k".
_MUST_BEFORE = re.compile(
    r"\b(?:co phai|co can|can phai|bat buoc|co bat buoc)(?: phai)?(?: (?:dang ky|dk|lam|xin))?$"
)


def named_where_required(text: str, named: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The ``procedure`` entities of the one procedure ``text`` asks whether one must do
    ("mấy đứa bạn cùng lập cty … sang ở nhờ nhà mình …, có phải đăng ký tạm trú k ạ", batch
    116: the company is their story), when several are named; None otherwise (pure)."""
    if len({e.get("value") for e in named}) < 2 or any("start" not in e for e in named):
        return None
    required = {
        e.get("value") for e in named if _MUST_BEFORE.search(fold_words(text[: int(e["start"])]))
    }
    if len(required) != 1:
        return None
    return [e for e in named if e.get("value") in required]


def asking_text(text: str) -> str:
    """The sentences of ``text`` that ask, when it tells a story in others ("… 2 bên gia
    đình đồng ý cho cưới cuối tháng 3. … z tui e dk kết hôn ở hạ long dc ko hay phải về
    quê", batch 61: the consent told is not asked about); ``text`` otherwise (pure)."""
    sentences = [m.group() for m in _SENTENCE.finditer(text) if m.group().strip()]
    asking = [s for s in sentences if _asks(s)]
    if len(sentences) < 2 or not asking or len(asking) == len(sentences):
        return text
    return " ".join(asking)
