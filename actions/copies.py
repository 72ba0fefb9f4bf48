"""A lost civil-status paper is a copy to ask for: "mất giấy khai sinh" is trích lục.

A birth or marriage is registered once; the paper given then is not issued again. A
citizen who lost it, or wants it "again" ("xin lại giấy khai sinh", "cấp lại giấy kết
hôn"), asks for a copy from the civil-status register: ``trich_luc_ho_tich``. The message
names khai sinh or kết hôn, and the classifier's entity says so, so the action swaps the
procedure when :func:`asks_for_a_copy` holds. For khai tử "mất" means a death, so only
the words of a re-issue, or of a paper misplaced or damaged ("thất lạc", "bị rách"), count
there. Several papers asked for ("xin 3 bản luôn được ko") are copies too: one paper is
given at registration, more come from the register at a fee each.
"""

from __future__ import annotations

import re

from bot.kb import Procedure
from bot.nlu.text import fold_words

COPY_PROCEDURE = "trich_luc_ho_tich"
# The paper itself, not the hospital's birth note or the death notice.
_PAPER = r"(?:giay(?! chung sinh| bao tu)|ban chinh|ban goc|hon thu)"
_REISSUE = re.compile(rf"\b(?:xin|cap|lam) lai {_PAPER}")
# What spoils a paper, said of one named or not (folded): torn, soaked, misplaced, eaten by
# termites or rats ("giay dang ky ket hon … bi chuot can nat roi", batch 68).
_SPOILING = r"that lac|rach|nat|mat chu|mo chu|moi an|uot|hu hong|bi chay|chuot can|chuot gam"
# "giấy đăng ký kết hôn của vợ chồng tôi bị mất" (batch 16): up to 8 words in between.
_LOST = re.compile(
    rf"\bmat {_PAPER}|\b{_PAPER}(?: \w+){{0,8}} (?:bi|da) mat\b"
    # "giấy khai sinh của tôi mất lâu rồi" (batch 50), not "mất lâu không", "mất hết bn".
    rf"|\b{_PAPER}(?: \w+){{0,8}} mat (?:roi|lau roi|lau nam|luon|khi|do|vi|sau khi"
    r"|tu (?:nam|hoi|lau|thang|luc|khi))\b"
)
# Misplaced or damaged, which says no death: "giấy chứng tử … bị thất lạc", "giấy khai
# sinh của e bị rách" (batches 25, 26).
_DAMAGED = re.compile(
    rf"\b{_PAPER}(?: \w+){{0,8}} (?:bi |da )?(?:{_SPOILING}"
    # Burnt, soaked, eaten by termites (batch 48); "chạy" folds like "cháy".
    r"|moi xong|lu cuon|troi mat|chay (?:mat|het|luon|roi))\b"
    rf"|\b(?:that lac|lam rach) {_PAPER}"
)
# Several papers asked for ("xin 3 bản luôn được ko", "lấy thêm 2 bản"):
# copies from the register, each charged (folded; "mấy bạn", "vài bạn" are people).
_SEVERAL = re.compile(
    r"\b(?:xin|lay|cap|in|trich|can|muon|them|lam|cho)(?: them)?"
    r" (?:\d+|hai|ba|bon|nam|sau|muoi) ban\b(?! (?:chinh|goc|dich|than|be|hang|ve)\b)"
)
_ASKED_BY = {
    "khai_sinh": (_REISSUE, _LOST, _DAMAGED, _SEVERAL),
    "ket_hon": (_REISSUE, _LOST, _DAMAGED, _SEVERAL),
    "khai_tu": (_REISSUE, _DAMAGED, _SEVERAL),
}
# The records whose papers are copied from the register, and the copies themselves.
COPIED_RECORDS = frozenset((*_ASKED_BY, COPY_PROCEDURE))


def asks_for_copies(text: str) -> bool:
    """True when ``text`` asks for several papers ("xin 3 bản luôn được ko", "lấy 2 bản
    được không"): right after a civil-status record, copies from the register (pure)."""
    return bool(_SEVERAL.search(fold_words(text)))


def asks_for_a_copy(text: str, procedure_id: str) -> bool:
    """True when ``text``, naming ``procedure_id``, asks for its paper again or says it
    was lost: "e làm mất giấy khai sinh gốc", "cấp lại giấy kết hôn" (not "làm giấy khai
    sinh mất bao lâu", not "giấy chứng sinh bị mất")."""
    words = fold_words(text)
    return any(p.search(words) for p in _ASKED_BY.get(procedure_id, ()))


# A paper said to be damaged or lost, naming none (folded): "bằng đó để ở nhà bị chuột cắn
# mất 1 góc r" (batch 60), "thẻ bị rách rồi", "mất rồi".
_SPOILT = re.compile(
    r"\b(?:bi |da )?(?:" + _SPOILING + r"|bi hong"
    r"|bi mat(?! (?:ngu|tien|phi|nhieu|viec))|lam mat|danh mat"
    r"|mat (?:roi|r|luon|1 goc|mot goc)"
    # "say mat vi, mat ca cccd voi cavet xe" (batch 66): the papers themselves (a wallet
    # alone, "mất ví rồi buồn quá", says no paper).
    r"|mat (?:ca |het )?(?:cccd|can cuoc|bang|giay|ho chieu|cavet|ca vet)"
    # "bi moc tui mat vi, trong do co cccd, bang lai …" (batch 90): papers named after it.
    r"|mat (?:vi|tui)\b(?=.* (?:cccd|can cuoc|bang|giay|ho chieu|cavet|ca vet)\b)"
    # "mất cả thẻ ATM" (batch 69) is a bank's card.
    r"|mat (?:ca |het )?the(?! (?:atm|ngan hang|tin dung|visa|ghi no|xe bus|sim)\b)"
    # "bang b2 cua anh e thi het han thang truoc r" (batch 66): expired, told, not asked.
    r"|het han(?! (?:chua|khong|ko|k|kg|hong|bao lau|khi nao|bao gio|may|thi|la)\b))\b"
)


def reissues(entry: Procedure) -> bool:
    """Whether ``entry`` covers issuing its paper again (căn cước, bằng lái: "cấp lại";
    đăng ký xe's certificate: "cấp đổi")."""
    words = fold_words(f"{entry.name} {entry.summary} {entry.fee.text}")
    return "cap lai" in words or "cap doi" in words


def says_it_is_spoilt(text: str) -> bool:
    """True when ``text`` says a paper is damaged or lost ("bằng đó … bị chuột cắn mất 1
    góc r"): right after the answer on a paper issued again, its overview tells how."""
    return bool(_SPOILT.search(fold_words(text)))


# Which to do first, of several papers lost (folded): "giờ làm lại cái nào trước ạ".
_WHICH_FIRST = re.compile(r"\b(?:cai nao|cai gi|gi|j) truoc\b|\btruoc (?:cai nao|cai gi)\b")


def asks_which_first(text: str) -> bool:
    """True when ``text`` asks which of several things to do first (pure)."""
    return bool(_WHICH_FIRST.search(fold_words(text)))
