"""A citizen puzzled by the answer just given ("?", "hả", "không hiểu", "sao cơ"), or
saying it missed ("ko phai cai do", "ý tôi là…", "à nhầm").

Such a message reads as out of scope ("?" 0.89, "hả" 0.96, "nghĩa là gì" 0.97) or deny
("không hiểu" 0.77); the reply for either ("việc này nằm ngoài phạm vi", "Dạ vâng") would
be wrong right after an answer. Instead the bot asks what more the citizen wants to know
about the procedure just discussed, with one button per aspect and one to reach an
official (:meth:`actions.procedures.ActionAnswerProcedure.answer_follow_up`).

A bare case of the procedure ("lần đầu", "cấp lại", "đổi", "gia hạn"), answering what
the answer listed (căn cước's "cấp, cấp đổi, cấp lại"), reads as out of scope too; the
entry has one answer for every case, so it gets the same offer (:func:`names_a_case`).

A correction ("ko phai cai do, y toi la lam cho con toi 14t lan dau", deny 0.84; "à nhầm,
xe máy", out of scope) used to get "Dạ vâng" or "ngoài phạm vi": it gets the same offer,
or, when it names another procedure ("không phải, ý tôi là hộ chiếu"), the last question
answered about that one.
"""

from __future__ import annotations

import re

from bot.nlu.text import fold_words

# Folded, the whole message, particles at the end dropped: "là sao", "ý là sao", "sao
# cơ", "nghĩa là gì", "hả", "(em) (vẫn) không/chưa hiểu (lắm)".
_CONFUSED = re.compile(
    r"^(?:"
    r"ha|sao co|gi co|(?:y |the )?la sao|nghia la gi|(?:the )?la the nao|"
    # "dai qua k hieu, noi ngan thui" (batch 54): too long to follow.
    r"(?:(?:dai|nhieu chu|dai dong)(?: qua| the)? )?"
    r"(?:(?:toi|em|e|minh|tui|chau|bac|t|mk) )?(?:van )?(?:khong|ko|k|kh|chua|cha|kho) hieu"
    r"(?:(?: gi| j| lam| nua| gi het| qua)+)?(?: (?:noi|viet) ngan(?: gon)?(?: thoi| thui| lai)?)?"
    r"|(?:noi|viet) ngan(?: gon)?(?: thoi| thui| lai)?(?: (?:duoc|dc) (?:khong|ko|k))?"
    r")$"
)
_PARTICLES = frozenset(("a", "ah", "ak", "vay", "z", "nhi", "the", "ta", "ban", "ad", "oi"))
_MARKS = frozenset("?!.…")
_CASE_PARTICLES = frozenset(("thoi", "nhe", "nha", "e", "em", "ma"))


def is_confused(text: str) -> bool:
    """True for a short sign of not understanding: "?", "??", "hả", "sao cơ", "ý là
    sao", "em không hiểu lắm", "nghĩa là gì ạ" (not "?" inside a question)."""
    stripped = text.strip()
    if stripped and all(c in _MARKS or c.isspace() for c in stripped):
        return True
    words = fold_words(text).split()
    while len(words) > 1 and words[-1] in _PARTICLES:
        words.pop()
    return bool(words) and bool(_CONFUSED.match(" ".join(words)))


# Folded: "không phải cái đó/vậy/ý đó", "ý (tôi) là", "nhầm" ("à nhầm", "gõ nhầm").
_CORRECTION = re.compile(
    r"\b(?:(?:khong|ko|k|kg|hok|chang) phai (?:cai|thu tuc|y|vay|the|dau)|"
    r"y (?:(?:toi|em|e|minh|mk|tui|t|chau|bac|anh|a|chi|c) )?la|nham)\b"
)


def is_correction(text: str) -> bool:
    """True when the message says the answer before missed: "ko phai cai do", "ý tôi là
    làm cho con", "à nhầm, xe máy" (not a bare "không phải")."""
    return bool(_CORRECTION.search(fold_words(text)))


# Folded, the whole message, particles dropped: a case of a procedure, as a reply.
_CASE = re.compile(
    r"^(?:the |thi )?(?:cai |la )?(?:lan dau|cap moi|lam moi|doi|cap doi|doi moi|cap lai|"
    r"lam lai|gia han|sang ten)$"
)


def names_a_case(text: str) -> bool:
    """True for a bare case of a procedure, as a reply to an answer that listed several:
    "lần đầu", "cấp lại", "đổi ạ", "gia hạn thôi" (not "cấp lại mất bao lâu")."""
    words = fold_words(text).split()
    while len(words) > 1 and words[-1] in _PARTICLES | _CASE_PARTICLES:
        words.pop()
    return bool(words) and bool(_CASE.match(" ".join(words)))
