"""Yes/no questions: "có cần mang căn cước không", "cần giấy khai sinh ko ạ", "phải mang sổ
hộ khẩu hả", told by a question mark or the particle that ends them."""

from __future__ import annotations

import re

from bot.nlu.text import fold_words, typed_words

_CLAUSES = re.compile(r"[,;.]")

# Particles that end a yes/no question (accent-folded): "có cần mang căn cước không",
# "cần giấy khai sinh ko ạ", "phải mang sổ hộ khẩu hả".
_YES_NO_ENDINGS = frozenset(
    {"khong", "ko", "k", "kg", "kh", "khg", "hok", "hong", "hem", "chua", "ha", "nhi"}
)
# And the one addressed, after them: "ko đki thì có bị phạt ko c" (batch 104), "… đc ko
# chị ơi". Not "có", "bán", "chứ": "giấy tờ gì cũng ko có" tells.
_ENDING_POLITE = frozenset(
    {"a", "ad", "admin", "ah", "nha", "nhe", "vay", "z", "the", "c", "chi", "e", "em", "anh"}
    | {"bac", "oi", "chau"}
)
# As typed: "à" ends a question ("ko cần cắt khẩu ở quê à"); folded it is "ạ", which ends a
# polite statement ("dạ em cảm ơn ạ").
# "ak" is "à" typed short ("2 ng phai cung di ak", batch 51).
_QUESTION_ENDINGS_TYPED = frozenset({"à", "ak"})


def asks_yes_no(text: str) -> bool:
    """True for a yes/no question: a question mark, or one of the particles that end
    one (before polite words such as "ạ", "ad")."""
    if "?" in text:
        return True
    typed = typed_words(text)
    if typed and typed[-1] in _QUESTION_ENDINGS_TYPED:
        return True  # "ko cần cắt khẩu ở quê à"
    words = fold_words(text).split()
    while words and words[-1] in _ENDING_POLITE:
        words.pop()
    return bool(words) and words[-1] in _YES_NO_ENDINGS


def asks_yes_no_in_a_clause(text: str) -> bool:
    """True when a clause of two words or more of ``text`` is a yes/no question, also
    when another clause follows it: "mẹ e đi thay e dc ko, e đang đi làm ở bắc ninh" (a
    bare "ko, …" answers, it does not ask)."""
    return any(asks_yes_no(clause) for clause in _CLAUSES.split(text) if len(clause.split()) >= 2)
