"""What a message in the dossier conversation says: the codes typed, a request to stop, a
procedure question sent instead of a code or read as a status question, a dossier named,
an official asked for in so many words.

Pure functions over Rasa's ``latest_message`` (or its tracker), accent-folded."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rasa_sdk import Tracker

from actions.aspect_words import aspects_asked
from actions.follow_ups import OVERVIEW
from actions.history import earlier_user_texts, previous_user_text, turn_before_latest_message
from actions.ordinals import OTHER, place_referred
from actions.yes_no import asks_yes_no
from bot.dossier_codes import find_codes
from bot.kb import ASPECTS
from bot.nlu.text import fold, fold_words, fold_words_but

_STOP_WORDS = frozenset(
    {"thoi", "huy", "khong", "ko", "k", "khong can", "thoi khoi", "dung", "thoat"}
)
_STOP_INTENTS = frozenset({"deny", "goodbye", "thank"})
# Words that ask to stop notifications (folded): "hủy", "dừng", "tắt", "thôi", "không cần
# báo nữa", "gỡ đăng ký", "off"; 285 of the 292 labelled unsubscribe messages hold one.
_NOT = r"(?:khong|ko|k|kh|khg|hong|hok|chang)"  # "đừng" stops on its own, above
_STOPPING = re.compile(
    r"\b(?:huy|dung|ngung|thoi|tat|stop|unsub\w*|unfollow|off|xoa|bo|khoi|go dang ky|"
    + _NOT
    + r" (?:can|muon|nhan|theo doi|bao|gui))\b"
)
# Notifications named (folded).
_NOTIFICATIONS = re.compile(
    r"\b(?:bao|thong bao|theo doi\w*|tin|tin nhan|nhan|nhac|noti\w*|sms|zalo|telegram"
    r"|follow\w*|cap nhat|unsub\w*|dang ky|dk)\b"
)
# Everyday words that fold like a stop word ("Hoành Bồ" is no "bỏ", "đúng" no "dừng",
# "khuyết tật" no "tắt"; batch 48): typed so, they do not ask to stop.
# fmt: off
_NOT_STOP_TYPED = frozenset((
    "đúng", "dùng", "dũng", "dụng", "đựng", "đứng", "bố", "bộ", "bồ", "bờ", "bó", "bơ", "bổ",
    "bò", "bọ", "bở", "thời", "thổi", "thói", "khối", "khói", "khởi", "khôi", "tất", "tật",
    "tát",
))
# fmt: on
# A procedure question sent instead of a code is answered, and the form stops, when the
# classifier is this sure of it; words about the code or the receipt keep the form.
MOVED_ON_CONFIDENCE = 0.9
_ABOUT_THE_CODE = ("ma", "giay hen", "giay tiep nhan", "bien nhan", "phieu hen")
# A status question read with less than this, that names a procedure and asks one of its
# aspects in so many words, with no word of a dossier already filed, is answered as that
# procedure question instead of asking for a code.
SURE_STATUS = 0.9
MIN_REMARK_WORDS = 4
# Words of a dossier already filed (folded): "đã nộp", "xong chưa", "của tôi", "hôm qua",
# "mã hồ sơ" ("ma" alone is also "mà").
# fmt: off
_FILED = re.compile(r"\b(?:" + "|".join((
    # "chưa" of a dossier ("sao chưa trả"), not of a paper the citizen lacks ("chưa có giấy
    # khai sinh", "chưa làm khai sinh", batch 48).
    r"chua(?! (?:co (?:giay|so|bang|the|cccd|can cuoc|ho chieu|gplx)|ai|lam (?!xong)|dang ky"
    r"|dk|dky|dki|khai|di (?:lam|dang ky|khai)))",
    "den dau", "toi dau", "xong(?! xuoi)", "ket qua", "kq", "tinh trang", "ma ho so",
    "ma hs", "ma so", "nop ho so roi", "ho so cua", "hs cua", "ho so bi", "trang thai",
    "the nao roi", "sao roi", "ra sao roi",
    "tu choi", "treo", "dung im", "bi ket", "buoc", "giay hen",
    "hen tra", "tre hen", "qua han", "da nop", "nop roi", "nop tu", "nop hom", "nop thang",
    "nop tuan", "nop lau",
    "sao lau", "lau the", "lau vay", "bo sung", "tra cuu", "kiem tra", "ktra", "xem giup",
    "check", "duyet", "vuong", "xu ly", "tiep nhan", "nhan duoc", "lay duoc", "lay dc",
    # A time in the past, when said of a dossier ("hồ sơ hôm qua"), not of a life event
    # ("ông nhà tôi mất hôm thứ 7 tuần trước").
    r"(?:nop|ho so|hs|gui|lam)(?: \w+){0,3} (?:hom qua|tuan truoc|thang truoc|hom truoc)",
)) + r")\b")
# Filing or looking up, said in a yes/no question ("mk nộp sổ hồng từ hồi tháng 9, …, giờ
# tra ở đây đc ko"): of a dossier.
_FILING = re.compile(r"\b(?:nop|tra|gui)\b")
# Looking a dossier up here (folded): "giờ tra ở đây đc ko".
_LOOKUP_HERE = re.compile(r"\btra(?: cuu)? (?:o|tai) day\b")
# What a paper is for ("cần bản sao để bổ sung hồ sơ", batch 50): another dossier, not one
# already filed here (folded).
_FOR_ANOTHER = re.compile(r"\bde (?:bo sung|nop|hoan thien|lam|xin) (?:ho so|hs|giay to)\b")
# How it is done, or which first ("h làm lại cái nào trước", batch 50): asked of the
# procedure (folded); "thế nào rồi", "sao rồi" ask a status.
_HOW = re.compile(
    r"\b(?:lam (?:sao|the nao|ntn|nhu nao)|nhu the nao|cai nao|nao truoc|can (?:gi|j|nhung gi)"
    # "giờ đổi sao" (batch 58)
    r"|(?:doi|xin|cap|dang ky|dk) (?:sao|the nao|ntn))\b(?! roi)"
)
# Whose it is ("của tôi"): of a dossier when one is named ("hồ sơ … của tôi"), not of a
# paper ("bằng lái ô tô hạng B2 của tôi hết hạn", batch 28).
_WHOSE = re.compile(r"\bcua (?:toi|em|e|minh|bo|me)\b")
# fmt: on
# Words that name a dossier itself (folded): "hồ sơ", "mã", "kết quả", "giấy hẹn".
# "mã" folded, said of a code: "nhớ mã", "mã số", "mã là" (folded).
_CODE_MA = re.compile(
    r"\b(?:cai|so|nhap|gui|nho|quen|dung|sai|xem|tra) ma\b|\bma (?:ho so|hs|so|la|nay|do|cua)\b"
)
_OF_A_DOSSIER = re.compile(r"\b(?:ho so|hs|ma|ket qua|kq|giay hen|phieu hen|bien nhan)\b")


def codes_from_message(tracker: Tracker) -> list[str]:
    """The canonical codes in the latest message, in the order typed, then any that only
    an entity holds (a button's payload)."""
    codes = [m.code for m in find_codes(tracker.latest_message.get("text") or "")]
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "dossier_code" and entity.get("value"):
            codes += [m.code for m in find_codes(str(entity["value"]))]
    return list(dict.fromkeys(codes))


# Every dossier just told of (folded): "đăng ký báo cho e cả 3 luôn" after three codes, "báo
# tất cả", "theo dõi cả hai hồ sơ".
_ALL = re.compile(
    r"\b(?:tat ca|toan bo)\b|\bca (?:\d|hai|ba|bon|nam|may|cac|nhung|ho so|hs|ma)\b"
    r"|\bhet (?:ca|cac|nhung|ho so|hs|ma)\b|\b(?:bao|theo doi|dang ky|dk) het\b"
)


def codes_told_before(tracker: Tracker) -> list[str]:
    """The canonical codes of the citizen's message before the latest, in the order typed
    (a status asked for several: "H22.12-… , H22.15-… và …")."""
    return list(dict.fromkeys(m.code for m in find_codes(previous_user_text(tracker.events))))


def means_them_all(text: str) -> bool:
    """Whether ``text`` speaks of every dossier just told of ("báo cho e cả 3 luôn", "theo
    dõi tất cả"; pure)."""
    return bool(_ALL.search(fold_words(text)))


def follows_every_code_told(tracker: Tracker) -> bool:
    """Whether the latest message asks to be told of every dossier whose status the bot
    gave just before, for several codes ("đăng ký báo cho e cả 3 luôn"), naming none."""
    text = str(tracker.latest_message.get("text") or "")
    return (
        not codes_from_message(tracker)
        and turn_before_latest_message(tracker.events).gave_status
        and names_notifications(text)
        and means_them_all(text)
        and len(codes_told_before(tracker)) > 1
    )


def code_from_message(tracker: Tracker) -> str | None:
    """The first canonical code in the latest message, else None."""
    return next(iter(codes_from_message(tracker)), None)


def is_stop(tracker: Tracker, text: str) -> bool:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent in _STOP_INTENTS or fold(text).strip(" .!").lower() in _STOP_WORDS


def asks_a_procedure_question(message: dict[str, Any]) -> str | None:
    """The aspect intent of a procedure question asked instead of a dossier code ("lệ phí
    bn", "nộp ở ubnd huyện hay phường"), read with at least ``MOVED_ON_CONFIDENCE``; None
    for anything else, and for a question about the code or the receipt itself ("mã nằm ở
    chỗ nào trên giấy" reads as ask_location 0.87: the form's own reply answers it)."""
    intent = message.get("intent") or {}
    if intent.get("name") not in ASPECTS:
        return None
    if float(intent.get("confidence") or 0.0) < MOVED_ON_CONFIDENCE:
        return None
    if _about_the_code(fold_words(str(message.get("text") or ""))):
        return None
    return str(intent["name"])


def _about_the_code(folded: str) -> bool:
    """Whether the folded text speaks of the code or the receipt itself."""
    return any(f" {w} " in f" {folded} " for w in _ABOUT_THE_CODE)


# A question of the procedure discussed asked instead of a code, which no aspect names.
BEYOND = "beyond"
# Readings that may be a question of the procedure while the form waits for a code.
_MISREAD_IN_FORM = frozenset(("out_of_scope", "nlu_fallback"))
MIN_ASPECT_IN_FORM = 0.5


def question_instead_of_a_code(message: Mapping[str, Any], procedure: str | None) -> str | None:
    """What a reply without a code asks of ``procedure`` (the one discussed) while the form
    waits for a code: an aspect read with at least ``MIN_ASPECT_IN_FORM`` or asked in so
    many words, else ``BEYOND`` for a question or a statement read as out of scope ("giay
    chung sinh mat roi", "nếu ko có trong dữ liệu thì sao", batches 48 and 50: the form had
    asked for a code three times in a row); None when no procedure is discussed, for a
    reply about a dossier, the code or the receipt, and for anything else (pure)."""
    if procedure is None:
        return None
    text = str(message.get("text") or "")
    folded = fold_words(text)
    if _names_a_dossier_in(text, folded) or _about_the_code(folded):
        return None
    intent = message.get("intent") or {}
    name = intent.get("name")
    if name in ASPECTS and float(intent.get("confidence") or 0.0) >= MIN_ASPECT_IN_FORM:
        return str(name)
    if name not in ASPECTS and name not in _MISREAD_IN_FORM:
        return None
    asked = aspects_asked(text)
    if asked:
        return asked[0]
    return BEYOND if name in _MISREAD_IN_FORM and len(folded.split()) >= 3 else None


def procedure_question_read_as_status(message: dict[str, Any]) -> str | None:
    """The aspect of a procedure question the classifier was unsure was a status question
    ("Tôi đã hỏi 3 lần rồi mà vẫn không biết nộp hồ sơ xin giấy phép xây dựng ở đâu",
    check_dossier_status 0.73): it names a procedure, asks an aspect in so many words (or,
    naming no dossier, a yes/no question: the overview), and says nothing of a dossier
    already filed; None otherwise (the form asks for the code). A sure reading counts only
    when the aspect is asked in so many words and no dossier is named."""
    intent = message.get("intent") or {}
    if intent.get("name") != "check_dossier_status":
        return None
    sure = float(intent.get("confidence") or 0.0) >= SURE_STATUS
    if not any(e.get("entity") == "procedure" for e in message.get("entities") or []):
        return None
    text = str(message.get("text") or "")
    folded = _FOR_ANOTHER.sub(" ", fold_words(text))
    if find_codes(text) or _FILED.search(folded):
        return None
    dossier = _names_a_dossier_in(text, folded)
    if (_WHOSE.search(folded) and dossier) or _LOOKUP_HERE.search(folded):
        return None  # "… giờ tra ở đây đc ko": the dossier looked up here
    asked = aspects_asked(text)
    if asked and not (sure and dossier):
        # Sure, it still counts when it names no dossier: "cccd cua e ghi sai ngay sinh …,
        # gio sua o dau a" (status 0.95, batch 107); none of the labelled status questions
        # asks an aspect so.
        return asked[0]
    if sure:
        return None
    # "bằng lái … hết hạn tháng trước rồi, giờ đổi có bị thi lại không" (status 0.49): a
    # yes/no question on the procedure, not on a dossier; so is how it is done, and so is a
    # remark on the paper ("ma cai chung minh thu cua ba la loai cu ngay xua", "Thẻ của cụ
    # vẫn là loại chứng minh 9 số ngày xưa", batches 60 and 70) of a few words. Of the 732
    # labelled status questions, none would qualify even if each named a procedure.
    asks = asks_yes_no(text) or _HOW.search(folded) is not None
    remark = len(folded.split()) >= MIN_REMARK_WORDS
    return OVERVIEW if (asks or remark) and not dossier and not _FILING.search(folded) else None


def _names_a_dossier_in(text: str, folded: str) -> bool:
    """Like :func:`names_a_dossier` on ``folded`` (``text`` folded, purposes cut), where a
    bare "ma" is "mã" only when typed so or said of a code ("mà chưa có giấy khai sinh",
    batch 48, is not)."""
    if _OF_A_DOSSIER.search(folded.replace(" ma ", " ").removeprefix("ma ")):
        return True
    return "mã" in text.lower() or _CODE_MA.search(folded) is not None


def names_a_dossier_as_typed(text: str) -> bool:
    """Like :func:`names_a_dossier`, a bare "ma" counting only when typed "mã" or said of a
    code ("sao lai the, nha ben canh … ma co so roi" names none)."""
    return _names_a_dossier_in(text, fold_words(text))


def names_a_dossier(text: str) -> bool:
    """Whether ``text`` names a dossier itself: "hồ sơ", "mã", "kết quả", "giấy hẹn"."""
    return bool(_OF_A_DOSSIER.search(fold_words(text)))


def names_notifications(text: str) -> bool:
    """Whether ``text`` speaks of notifications or of a dossier followed ("báo", "thông
    báo", "theo dõi", "nhắn tin", "hồ sơ", a code)."""
    folded = fold_words(text)
    return bool(_NOTIFICATIONS.search(folded) or _OF_A_DOSSIER.search(folded)) or bool(
        find_codes(text)
    )


# Turning notifications off in so many words (folded): "tắt kiểu gì", "hủy nhận tin"; not
# "thôi" ("thôi báo tin khi xong nhé" asks for them, batch 62).
_TURN_OFF = re.compile(
    r"\b(?:tat|huy|dung|ngung|stop|unsub\w*|bo theo doi|go dang ky|"
    + _NOT
    + r" (?:nhan|muon nhan) (?:tin|thong bao|tb) nua)\b"
)


def turns_them_off(text: str) -> bool:
    """Whether ``text`` asks in so many words to turn notifications off ("… vẫn nhắn, tắt
    kiểu gì"), where a subscription reading would ask for a code (pure)."""
    return bool(_TURN_OFF.search(fold_words_but(text, _NOT_STOP_TYPED)))


def stops_notifications(text: str) -> bool:
    """Whether ``text`` asks to stop notifications ("hủy", "thôi", "không cần báo nữa").
    Typed with marks, a word that folds like a stop word counts only as that word ("Hoành
    Bồ" is no "bỏ", "đúng" no "dừng", batch 48)."""
    return bool(_STOPPING.search(fold_words_but(text, _NOT_STOP_TYPED)))


# An official asked for in so many words (folded): "(cần) gặp/nói chuyện với/liên hệ/kết nối
# (trực tiếp) cán bộ/người thật/nhân viên". "chuyển cán bộ" is left out: "hồ sơ đã chuyển
# cán bộ thụ lý chưa" asks a status.
_OFFICIAL = re.compile(
    r"\b(?:gap|noi chuyen|lien he|ket noi)(?: (?:voi|vs|truc tiep|ngay))* "
    r"(?:can bo|nguoi that|nhan vien|chuyen vien|nguoi phu trach)\b"
    # "đưa số điện thoại trưởng phòng đây" (batch 109): an official's number asked for.
    r"|\b(?:so dien thoai|sdt|so dt)(?: cua)? (?:truong phong|can bo|lanh dao|chu tich"
    r"|giam doc|nguoi phu trach|truong ban)\b"
)


def asks_for_an_official(text: str) -> bool:
    """True when ``text`` asks for an official in so many words ("Tôi cần nói chuyện với
    cán bộ phụ trách đất đai, hồ sơ của tôi nộp từ tháng 4 chưa có kết quả", read as a
    status question 0.65)."""
    return bool(_OFFICIAL.search(fold_words(text)))


# Words pointing back at a dossier named earlier in the conversation (folded): "lúc nãy",
# "vừa rồi", "hồ sơ đó/này", "mã đó", "cái đó" ("mà nay" is "now", "hồ sơ trên cổng" a
# portal).
_BEFORE = re.compile(
    r"\b(?:luc nay|vua nay|hoi nay|ban nay|vua roi|(?:ho so|hs) (?:do|nay|kia|ay)|"
    r"(?:ma|cai) (?:do|kia|ay))\b"
)


def refers_to_the_dossier_before(text: str) -> bool:
    """True when a status question points back at a dossier named earlier ("thế hs của e
    lúc nãy có bị thiếu giấy đó ko", "hồ sơ đó xong chưa")."""
    return bool(_BEFORE.search(fold_words(text)))


MAX_MESSAGES_BACK = 3  # how far back "cái thứ 2" looks for the codes it picks from


def code_referred(text: str, events: Sequence[Mapping[str, Any]]) -> str | None:
    """The code ``text`` points at by its place among the codes of the citizen's latest
    earlier message that gave two or more ("tra giúp 2 hồ sơ: … và …", then "cái thứ 2 …
    sao vẫn chưa xử lý": the second), looking back ``MAX_MESSAGES_BACK`` messages; None
    otherwise (pure)."""
    place = place_referred(text)
    if place is None or place == OTHER:
        return None
    for earlier in reversed(earlier_user_texts(events)[-MAX_MESSAGES_BACK:]):
        codes = list(dict.fromkeys(m.code for m in find_codes(earlier)))
        if len(codes) >= 2:
            return codes[place] if -len(codes) <= place < len(codes) else None
    return None
