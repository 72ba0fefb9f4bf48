"""Answers composed from a procedure entry: pure functions, one per aspect intent.

Every answer fits a phone screen (``MAX_CHARS``), ends with ``Nguồn: <url>`` and the date
the facts were checked ("kiểm tra ngày 30/09/2026"), and, where
it helps, the online link; a field marked ``uncertain`` adds the sentence asking the
citizen to check with the one-stop desk instead of presenting a guess as fact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.kb._model import Procedure

# The first line of a who-goes answer (:func:`answer_who_goes`).
WHO_GOES_HEAD = "Ai phải có mặt, ai được làm thay – {name}:"
MAX_CHARS = 600
ELLIPSIS = "…"
CHECK_WITH_DESK = (
    "Thông tin này chưa được xác minh đầy đủ, vui lòng kiểm tra lại với bộ phận một cửa."
)
MORE_DOCUMENTS = "… còn {n} giấy tờ, nhắn «giấy tờ còn lại» để xem."
MORE_QUESTIONS = "Bạn có thể hỏi tiếp: giấy tờ, lệ phí, thời gian, nơi nộp, nộp trực tuyến."
ASPECT_LABELS: dict[str, str] = {
    "ask_procedure": "cách làm",
    "ask_documents": "giấy tờ cần nộp",
    "ask_fee": "lệ phí",
    "ask_duration": "thời gian giải quyết",
    "ask_location": "nơi nộp",
    "ask_online": "nộp trực tuyến",
}


def _truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)].rsplit(" ", 1)[0].rstrip(" ,;:.–-")
    return cut + ELLIPSIS


def _fit(
    head: Sequence[str],
    items: Sequence[str],
    tail: Sequence[str],
    *,
    mark_dropped: bool,
    max_chars: int = MAX_CHARS,
) -> str:
    """Join head, as many ``items`` as fit, and tail; the tail (sources) is never cut."""
    fixed = [line for line in (*head, *tail) if line]
    budget = max_chars - sum(len(line) + 1 for line in fixed)
    kept: list[str] = []
    for i, item in enumerate(items):
        room = budget - (len(item) + 1)
        rest = len(items) - i - 1
        if room >= (2 if rest and mark_dropped else 0):
            kept.append(item)
            budget = room
            continue
        if mark_dropped:
            kept.append(ELLIPSIS)
        break
    lines = [line for line in head if line]
    # A head that alone overflows (very long summary) is shortened, never the tail.
    overflow = sum(len(x) + 1 for x in (*lines, *kept, *tail) if x) - 1 - max_chars
    if overflow > 0 and lines:
        lines[-1] = _truncate(lines[-1], max(len(lines[-1]) - overflow, 20))
    return "\n".join([*lines, *kept, *(line for line in tail if line)])


def _footer(p: Procedure, *fields: str, with_online: bool = False) -> list[str]:
    lines = []
    if with_online and p.online.available and p.online.link:
        lines.append(f"Nộp trực tuyến: {p.online.link}")
    lines.append(f"Nguồn: {p.source_for(*fields)} ({verified_label(p)})")
    return lines


def verified_label(p: Procedure) -> str:
    """ "kiểm tra ngày 30/09/2026": when an editor last checked the facts against the
    source, so the citizen can judge how fresh they are."""
    year, month, day = p.verified_on.split("-")
    return f"kiểm tra ngày {day}/{month}/{year}"


def _check(p: Procedure, *fields: str) -> str:
    return CHECK_WITH_DESK if p.is_uncertain(*fields) else ""


def _join(*parts: Sequence[str]) -> str:
    return "\n".join(line for part in parts for line in part if line)


def answer_overview(p: Procedure) -> str:
    """``ask_procedure``: what it is, who handles it, and as many steps as fit."""
    head = [f"{p.name} ({p.level})", p.summary]
    tail = [
        _check(p, "summary", "level", "agency", "steps"),
        *_footer(p, "summary", with_online=True),
    ]
    steps = [f"{i}. {s}" for i, s in enumerate(p.steps, 1)]
    # One step alone reads oddly: show at least two, or point to the other questions.
    for n in range(len(steps), 1, -1):
        text = _join(head, ["Các bước:", *steps[:n]], tail)
        if len(text) <= MAX_CHARS:
            return text
    return _fit(head, [MORE_QUESTIONS], tail, mark_dropped=False)


def answer_documents(p: Procedure) -> str:
    """``ask_documents``: the papers as a bullet list; a list too long for one screen
    ends with how to see the rest (:func:`document_pages`)."""
    return document_pages(p)[0]


def document_pages(p: Procedure) -> list[str]:
    """The documents answer in pages that each fit a phone screen, each with the source:
    the first is the answer to ``ask_documents``; every page but the last ends with how
    many papers are left and how to see them ("giấy tờ còn lại")."""
    items = [f"• {d}" for d in p.documents]
    tail = [_check(p, "documents"), *_footer(p, "documents")]
    pages: list[str] = []
    start = 0
    while start < len(items) or not pages:
        head = [f"Hồ sơ {p.name} gồm:" if not pages else f"Hồ sơ {p.name} (tiếp):"]
        budget = MAX_CHARS - len(_join(head, tail)) - 1
        rest = items[start:]
        if sum(len(i) + 1 for i in rest) <= budget:
            pages.append(_join(head, rest, tail))
            break
        room = budget - len(MORE_DOCUMENTS.format(n=len(items))) - 1
        kept: list[str] = []
        for item in rest:
            if len(item) + 1 > room:
                break
            kept.append(item)
            room -= len(item) + 1
        if not kept:  # one paper longer than a page: shortened rather than never shown
            kept = [_truncate(rest[0], max(room - 1, 20))]
        start += len(kept)
        pages.append(_join(head, kept, [MORE_DOCUMENTS.format(n=len(items) - start)], tail))
    return pages


def answer_fee(p: Procedure) -> str:
    """``ask_fee``: the fee and who is exempt (the list shortened when long)."""
    head = [f"Lệ phí {p.name}:", p.fee.text]
    tail = [_check(p, "fee"), *_footer(p, "fee")]
    if not p.fee.exemptions:
        return _fit(head, [], tail, mark_dropped=False)
    exempt = "Được miễn: " + "; ".join(p.fee.exemptions) + "."
    room = MAX_CHARS - len(_join(head, tail)) - 1
    if room < 40:
        return _fit(head, [], tail, mark_dropped=False)
    return _join(head, [_truncate(exempt, room)], tail)


def answer_duration(p: Procedure) -> str:
    """``ask_duration``: how long it takes."""
    head = [f"Thời gian giải quyết {p.name}:", p.processing_time]
    tail = [_check(p, "processing_time"), *_footer(p, "processing_time")]
    return _fit(head, [], tail, mark_dropped=False)


def answer_location(p: Procedure) -> str:
    """``ask_location``: where to submit and receive, and which level handles it."""
    head = [f"Nơi nộp hồ sơ {p.name}:", p.where]
    items = [f"Cơ quan giải quyết: {p.agency}"]
    tail = [_check(p, "where", "agency", "level"), *_footer(p, "where", with_online=True)]
    return _fit(head, items, tail, mark_dropped=False)


def answer_online(p: Procedure) -> str:
    """``ask_online``: whether it can be done online, and the link."""
    if p.online.available:
        head = [f"{p.name}: có thể làm trực tuyến.", p.online.note]
    else:
        head = [f"{p.name}: hiện chưa làm trực tuyến được.", p.online.note]
    tail = [_check(p, "online"), *_footer(p, "online", with_online=True)]
    return _fit(head, [], tail, mark_dropped=False)


def answer_who_goes(p: Procedure) -> str:
    """Who must come in person and who may go for the citizen ("bố mẹ có phải đi cùng
    không", "nhờ người nộp hộ được không"); an entry that says nothing gets an honest
    "not known" and the one-stop desk, never a guess."""
    if not p.who_goes:
        return _join(
            [
                f"Dữ liệu của tôi chưa ghi rõ ai phải có mặt, ai được làm thay khi làm {p.name}.",
                "Bạn vui lòng hỏi bộ phận một cửa, hoặc nhắn «gặp cán bộ» để được cán bộ trả lời.",
            ],
            _footer(p, "summary"),
        )
    head = [WHO_GOES_HEAD.format(name=p.name), p.who_goes]
    tail = [_check(p, "who_goes"), *_footer(p, "who_goes")]
    return _fit(head, [], tail, mark_dropped=False)


# The citizen's own deadline in an entry: "… trong 60 ngày kể từ ngày sinh", not the
# office's ("quyết định trong 20 ngày kể từ ngày nhận đủ hồ sơ").
_DEADLINE = re.compile(
    r"[^.;]*\btrong (?:vòng )?\d+ (?:ngày|tháng)(?: làm việc)? kể từ "
    r"(?!ngày nhận|khi nhận|ngày tiếp nhận|khi có quyết định|ngày có quyết định)[^.;]*"
)


def deadline_sentence(p: Procedure) -> tuple[str, str] | None:
    """The sentence of ``p`` (and its field) that tells the citizen's deadline ("Cha mẹ
    phải đi khai sinh cho con trong 60 ngày kể từ ngày sinh"), else None."""
    fields = (("processing_time", p.processing_time), ("summary", p.summary))
    for name, text in fields:
        found = _DEADLINE.search(text)
        if found:
            return found.group().strip(), name
    return None


def answer_deadline(p: Procedure) -> str | None:
    """A deadline question ("hạn cuối là khi nào") answered from the sentence that tells
    it; None when the entry tells none (the caller says the data does not hold it)."""
    found = deadline_sentence(p)
    if found is None:
        return None
    sentence, name = found
    head = [f"Thời hạn phải làm thủ tục {p.name}:", sentence[:1].upper() + sentence[1:] + "."]
    return _fit(head, [], [_check(p, name), *_footer(p, name)], mark_dropped=False)


# Not an intent: asked in words (:mod:`actions.who_goes`), whatever the intent.
WHO_GOES = "who_goes"

ANSWERS: dict[str, Callable[[Procedure], str]] = {
    "ask_procedure": answer_overview,
    "ask_documents": answer_documents,
    "ask_fee": answer_fee,
    "ask_duration": answer_duration,
    "ask_location": answer_location,
    "ask_online": answer_online,
    WHO_GOES: answer_who_goes,
}


def compose_answer(p: Procedure, aspect: str) -> str:
    """The answer to ``aspect`` (an aspect intent name; unknown → overview)."""
    return ANSWERS.get(aspect, answer_overview)(p)


def clarification_question(aspect: str, *, has_candidates: bool) -> str:
    """What the bot asks when it does not know which procedure is meant."""
    label = ASPECT_LABELS.get(aspect, "thủ tục")
    if has_candidates:
        return f"Bạn muốn hỏi {label} của thủ tục nào ạ? Bạn chọn một thủ tục dưới đây, hoặc gõ tên thủ tục nhé."
    return (
        f"Bạn muốn hỏi {label} của thủ tục nào ạ? Ví dụ: khai sinh, căn cước, "
        "đăng ký thường trú, hộ chiếu, sổ đỏ… Bạn gõ tên thủ tục giúp tôi nhé."
    )
