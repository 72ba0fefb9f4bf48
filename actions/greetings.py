"""A greeting with small talk after it: "Chào buổi sáng nhé bot, nay Hạ Long mưa quá
trời" (batch 106). The classifier reads the weather as out of scope; the citizen only said
hello, and the greeting (which says what the bot does) answers it."""

from __future__ import annotations

import re

from actions.aspect_words import aspects_asked
from actions.yes_no import asks_yes_no_in_a_clause
from bot.nlu.text import CLAUSE_END, fold_words

# Folded: "(em) chào (buổi sáng) (nhé bot)", "xin chào", "hello", "hi".
_GREETING = re.compile(
    r"(?:(?:e|em|a|anh|chi|c|da|alo) )*(?:(?:xin )?chao|hello|helo|hi|hii+)"
    r"(?: (?:buoi sang|buoi trua|buoi chieu|buoi toi|ngay moi|ca nha|moi nguoi))?"
    r"(?: (?:nhe|nha|a|ak|ad|admin|bot|ban|em|e|chau|anh|chi|c|oi|can bo))*"
)
# Words that ask (folded).
# fmt: off
_ASKING = frozenset((
    "gi", "j", "sao", "nao", "dau", "bn", "ntn", "may", "khong", "ko", "k", "cach", "ai",
    "lau", "vay", "z", "the", "hoi", "can", "muon", "bnhiu", "bnhieu", "bao", "hay",
))
# fmt: on
# Folded: leaving, not greeting ("chào nhé, mình đi đây").
_LEAVING = re.compile(
    r"\b(?:di day|di nhe|di nha|off|bye|tam biet|hen|hom khac|tiep|di truoc|quay lai|mai)\b"
)
MAX_SMALL_TALK_WORDS = 12
_HOW_ARE_YOU = re.compile(
    r"\b(?:(?:can bo|ban|bot|ad|em|anh|chi|chau) )?(?:co )?(?:khoe|on) (?:khong|ko|k)\b"
)
_HOW_ARE_YOU_TYPED = re.compile(r"(?i)(?:có )?(?:khỏe|khoẻ|ổn) (?:không|ko|k)\s*\?")


def greets_in_passing(text: str) -> bool:
    """True when ``text`` greets, then says something that asks nothing ("Chào buổi sáng
    nhé bot, nay Hạ Long mưa quá trời"; pure)."""
    first, *rest = CLAUSE_END.split(text, maxsplit=1)
    if not rest or not _GREETING.fullmatch(fold_words(first)):
        return False
    # "Chào cán bộ. Hôm nay trời rét quá. Cán bộ có khỏe không?" (batch 112): asks after
    # the one greeted, which is small talk too.
    said = " ".join(_HOW_ARE_YOU.sub(" ", fold_words(rest[0])).split())
    return (
        0 < len(said.split()) <= MAX_SMALL_TALK_WORDS
        and "?" not in _HOW_ARE_YOU_TYPED.sub(" ", text)
        and not _LEAVING.search(said)
        and not _ASKING & set(said.split())
        and not aspects_asked(said)
        and not asks_yes_no_in_a_clause(said)
    )
