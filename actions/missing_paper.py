"""A paper of the procedure just answered that the citizen lacks or lost: "bé đẻ ở nhà nên
ko có giấy chứng sinh", "giay chung sinh mat roi" (batches 48 and 50), or asks whether it
is needed: "có cần khám sức khỏe k" (batch 76).

The classifier reads such a remark as out of scope: it asks nothing in so many words. Right
after an answer about a procedure whose documents name that paper, the documents answer it:
they say what stands in ("Bản chính Giấy chứng sinh; không có thì văn bản của người làm
chứng …"). The paper is told by two words in a row of the entry's documents that at most
``MAX_ENTRIES_PER_PAIR`` entries' documents hold and that are no function words ("giấy
chứng", "chứng sinh"; not "của người"), with a word of lacking or losing before it ("không
có", "chưa có", "thiếu", "mất") or one of losing after it ("… mất rồi", "… bị thất lạc").
Of the labelled out-of-scope examples, ``tests/test_missing_paper.py`` checks how few would
be taken.
"""

from __future__ import annotations

import re
from itertools import pairwise

from actions.aspect_words import MUST
from actions.beyond_data import rare_pairs
from bot.kb import KnowledgeBase, Procedure
from bot.nlu.text import fold_words

MAX_WORDS = 15
MAX_ENTRIES_PER_PAIR = 2
# Up to four words after a word of lacking: "ko có giấy chứng sinh" (folded).
_LACKING = re.compile(
    r"\b(?:khong|ko|k|kg|chua|chang|thieu|mat|lam mat)(?: (?:co|duoc|dc|con|mang|xin|lam))?"
    r" ((?:\w+ ){1,3}\w+)"
)
# Up to four words before a word of losing: "giấy chứng sinh mất rồi" (folded), six when
# where it went is told: "giấy chứng sinh em để đâu mất tiêu rồi" (batch 83).
# Not "mất bao lâu", "mất mấy ngày", "mất phí": what the procedure takes.
_LOST = re.compile(
    r"((?:\w+ ){1,3}\w+|(?:\w+ ){1,3}\w+ (?:\w+ )?de dau) (?:bi |da |cung )?"
    r"(?:that lac|mat(?! (?:bao|bn|may|nhieu|tien|phi"
    r"|lau|it|khoang|het|tam|chung)))\b"
)
# fmt: off
_FUNCTION_WORDS = frozenset((
    "va", "cua", "cho", "la", "co", "khong", "ko", "k", "duoc", "dc", "the", "thi", "o",
    "tai", "nguoi", "ban", "toi", "em", "e", "anh", "chi", "minh", "cac", "mot", "hai",
    "ba", "nhung", "neu", "khi", "da", "se", "lam", "nop", "can", "phai", "voi", "tu",
    "trong", "theo", "ve", "den", "nay", "do", "hoac", "moi", "hay", "bi", "vao", "ra",
    "len", "xuong", "sau", "truoc", "con", "be", "ho", "nha", "xin", "cap", "lai", "doi",
    "le", "phi", "nhan",
))
# fmt: on


def lacks_a_paper(text: str, entry: Procedure, kb: KnowledgeBase) -> bool:
    """True when ``text`` says a paper of ``entry``'s documents is lacking or lost (pure;
    the caller checks that ``entry`` was just answered and how the message was read)."""
    folded, papers = _short_and_papers(text, entry, kb)
    told = [m.group(1) for m in _LACKING.finditer(folded)]
    told += [m.group(1) for m in _LOST.finditer(folded)]
    return any(_pairs(t.split()) & papers for t in told)


# Whether a paper is needed, asked (folded): "bố mình 63 tuổi rồi có cần khám sức khỏe k"
# (batch 76, after bằng lái), "có phải nộp ảnh không": up to four words, then the question.
_NEEDED = re.compile(
    rf"\b{MUST}"
    r"(?: (?:mang|nop|co|lam|xin|di|kem|xuat trinh))? ((?:\w+ ){0,3}\w+)"
    r" (?:khong|ko|k|kg|kh|hok|hong|chu|a|ha|ak|ah)$"
)


def asks_whether_needed(text: str, entry: Procedure, kb: KnowledgeBase) -> bool:
    """True when ``text`` asks whether a paper of ``entry``'s documents is needed (pure;
    the caller checks that ``entry`` was just answered and how the message was read)."""
    folded, papers = _short_and_papers(text, entry, kb)
    return any(_pairs(m.group(1).split()) & papers for m in _NEEDED.finditer(folded))


def _short_and_papers(text: str, entry: Procedure, kb: KnowledgeBase) -> tuple[str, frozenset[str]]:
    """``text`` folded, and the pairs of ``entry``'s documents that few entries' documents
    hold ("giấy chứng", "chứng sinh"); none for a text longer than ``MAX_WORDS``."""
    folded = " ".join(fold_words(text).split())
    if len(folded.split()) > MAX_WORDS:
        return folded, frozenset()
    return folded, rare_pairs(kb, _document_pairs, MAX_ENTRIES_PER_PAIR).get(entry.id, frozenset())


def _pairs(words: list[str]) -> set[str]:
    return {f"{a} {b}" for a, b in pairwise(words) if not {a, b} & _FUNCTION_WORDS}


def _document_pairs(entry: Procedure) -> set[str]:
    return {q for d in entry.documents for q in _pairs(fold_words(d).split())}
