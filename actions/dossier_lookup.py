"""The look-up shared by the status answer and the subscription: rate limits, the one-stop
call and every way it can fail, each told to the citizen in polite Vietnamese; the status
answer with its offer to follow the dossier; the subscription.

Every look-up is rate-limited per conversation (the current session), per sender (all
sessions) and by the number of codes that found nothing (guessing), and logged with the
code masked (bot.logs masks codes in every value).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dossier_reading import asks_for_an_official
from actions.dossier_services import DossierServices
from actions.handoff_replies import BUTTONS_OFFICIAL
from actions.history import BotTurn, recent_bot_texts, turn_before_latest_message
from bot.dossier_codes import find_codes
from bot.logs import get_logger
from bot.nlu.text import fold_words
from bot.onestop import (
    NATIONAL_LOOKUP_URL,
    CircuitOpen,
    Dossier,
    DossierNotFound,
    Limit,
    OneStopUnavailable,
    status_answer,
    today_vn,
)
from bot.outbox import split_conversation_id
from bot.privacy import has_phone_number, without_phone_numbers
from bot.settings import Settings

log = get_logger(__name__)


MSG_NOT_FOUND = (
    "Tôi không tìm thấy hồ sơ có mã {code}. Bạn kiểm tra lại mã trên Giấy tiếp nhận hồ sơ và "
    "hẹn trả kết quả giúp tôi nhé. Hồ sơ vừa nộp có thể cần ít phút để hệ thống cập nhật."
)
_NOT_FOUND_START = MSG_NOT_FOUND.split("{code}")[0]
# Subscribing to a code that is not found: nothing to follow yet.
MSG_NOT_FOUND_NOT_FOLLOWED = (
    "Tôi không tìm thấy hồ sơ có mã {code} nên chưa đăng ký nhận thông báo được. Bạn kiểm "
    "tra lại mã trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả giúp tôi nhé. Hồ sơ vừa nộp có "
    "thể cần ít phút để hệ thống cập nhật."
)
# Right after a code not found, a message that insists ("đúng mã đó mà"), complains ("sao
# lâu thế") or asks again without a code: the look-up would say the same; an official can
# look further.
MSG_STILL_NOT_FOUND = (
    "Tôi đã tra mã {code} nhưng hệ thống một cửa chưa có hồ sơ này. Hồ sơ vừa nộp có thể cần "
    "ít phút để cập nhật; nếu bạn đã nộp lâu rồi, bạn bấm nút dưới đây để gặp cán bộ, hoặc "
    "gửi mã khác để tôi tra giúp nhé."
)
MSG_BUSY = (
    "Xin lỗi, hệ thống một cửa đang phản hồi chậm nên tôi chưa tra được hồ sơ {code}. "
    "Bạn vui lòng thử lại sau ít phút nhé."
)
MSG_CIRCUIT_OPEN = (
    "Hệ thống một cửa của tỉnh đang tạm gián đoạn, nên tôi tạm dừng tra cứu để bạn không phải "
    "chờ lâu. Bạn vui lòng thử lại sau khoảng {minutes} phút, hoặc tra trên Cổng Dịch vụ công "
    "quốc gia: " + NATIONAL_LOOKUP_URL
)
MSG_RATE_LIMITED = (
    "Bạn đã tra cứu nhiều lần trong thời gian ngắn. Để bảo vệ thông tin hồ sơ của người dân, "
    "tôi tạm dừng tra cứu một lúc; bạn vui lòng thử lại sau khoảng {minutes} phút nhé."
)
MSG_OFFER = "Bạn có muốn tôi nhắn cho bạn khi hồ sơ này có thay đổi không?"
BUTTONS_OFFER = [
    {"title": "Có, báo cho tôi", "payload": "/subscribe_dossier"},
    {"title": "Không cần", "payload": "/deny"},
]
# Several codes in one message: each dossier's offer names it, and its button carries it.
MSG_OFFER_CODE = "Bạn có muốn tôi nhắn cho bạn khi hồ sơ {code} có thay đổi không?"
MAX_CODES_PER_MESSAGE = 3
MSG_TOO_MANY_CODES = (
    "Mỗi lần tôi tra tối đa {limit} hồ sơ; bạn gửi các mã còn lại trong tin nhắn sau giúp tôi nhé."
)
MSG_SUBSCRIBED = (
    "Đã đăng ký. Tôi sẽ nhắn cho bạn qua {channel} khi hồ sơ {code} thay đổi tình trạng "
    '(hiện tại: {label}). Nhắn "hủy theo dõi" nếu bạn muốn dừng.'
)
MSG_ALREADY = "Bạn đã đăng ký theo dõi hồ sơ {code} rồi. Tôi sẽ nhắn ngay khi hồ sơ có thay đổi."
MSG_SUB_LIMIT = (
    "Bạn đang theo dõi {limit} hồ sơ, là số tối đa. Bạn nhắn “hủy theo dõi” kèm mã hồ sơ cũ "
    "rồi đăng ký lại giúp tôi nhé."
)
# A phone number sent right after a subscription reply ("sdt toi 0986 214 337", "dc, sdt
# nay luon", batches 60 and 62, read as a request for an official): notifications come in
# this chat, so the number is neither needed nor kept.
MSG_PHONE_NOT_NEEDED = (
    "Dạ, bạn không cần gửi số điện thoại: tôi nhắn thông báo về hồ sơ ngay trong cuộc trò "
    "chuyện này."
)
MSG_PHONE_NOT_NEEDED_NOT_FOUND = (
    MSG_PHONE_NOT_NEEDED + " Tôi chưa đăng ký được vì chưa tìm thấy hồ sơ có mã {code}; bạn "
    "kiểm tra lại mã trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả giúp tôi nhé."
)
# A phone number sent on its own, with no request before it (batch 88: "0904567321" where a
# dossier code was meant).
MSG_PHONE_ALONE = (
    "Dạ, đây là số điện thoại nên tôi chưa tra được hồ sơ. Để tra cứu, bạn gửi giúp tôi mã "
    "hồ sơ ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ: 000.00.12.H49-251002-0015. "
    "Nếu bạn cần cán bộ gọi lại, bạn nhắn «gặp cán bộ» nhé."
)
# What may stand beside the number in such a message (folded): "sdt e đây ạ".
_AROUND_A_NUMBER = frozenset(
    (
        "sdt",
        "so",
        "dien",
        "thoai",
        "dt",
        "cua",
        "toi",
        "em",
        "e",
        "minh",
        "day",
        "a",
        "nhe",
        "nha",
        "la",
    )
)
PHONE_TURNS = 3
_PHONE_WORDS = re.compile(r"\b(?:sdt|so dien thoai|so dt|dien thoai|so nay)\b")
_FOLLOWED_STARTS = (MSG_SUBSCRIBED.split("{")[0], MSG_ALREADY.split("{")[0])
_NOT_FOLLOWED_START = MSG_NOT_FOUND_NOT_FOLLOWED.split("{")[0]
MSG_FINISHED = "Hồ sơ {code} đã kết thúc ({label}), nên không cần theo dõi nữa."
CHANNEL_NAMES = {"zalo": "Zalo", "telegram": "Telegram", "web": "trang trò chuyện trên web"}


def offer_buttons(code: str) -> list[dict[str, str]]:
    """The subscription offer's buttons for one of several dossiers: the code rides in
    the payload, so "Có" subscribes that one."""
    payload = "/subscribe_dossier" + json.dumps({"dossier_code": code})
    return [{"title": f"Có, báo hồ sơ {code}", "payload": payload}, BUTTONS_OFFER[1]]


def session_id(tracker: Tracker) -> str:
    """The current Rasa session of the conversation (time of its last session start)."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return f"{event.get('timestamp', 0):.0f}"
    return "0"


def lookup_limits(settings: Settings, tracker: Tracker) -> list[Limit]:
    s = settings.onestop
    sender = tracker.sender_id
    return [
        Limit(
            key=f"lookup:conv:{sender}:{session_id(tracker)}",
            limit=s.rate_limit_per_conversation,
            window_s=s.rate_limit_window_s,
        ),
        Limit(
            key=f"lookup:sender:{sender}",
            limit=s.rate_limit_per_sender,
            window_s=s.rate_limit_window_s,
        ),
        # Filled only by look-ups that found nothing: enumeration stops after a few misses.
        Limit(
            key=f"lookup:notfound:{sender}",
            limit=s.rate_limit_not_found_per_sender,
            window_s=s.rate_limit_window_s,
            count=False,
        ),
    ]


def _minutes(seconds: float) -> int:
    return max(1, round(seconds / 60))


def code_not_found(turn: BotTurn) -> str | None:
    """The code the bot's ``turn`` said it did not find, else None (pure)."""
    if not turn.gave_status:
        return None
    for text in turn.texts:
        if text.startswith(_NOT_FOUND_START):
            found = find_codes(text)
            return found[0].code if found else None
    return None


def answer_still_not_found(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Right after a code not found, say it is still not there and offer an official
    (:data:`MSG_STILL_NOT_FOUND`); False, saying nothing, when the turn before was no
    such answer."""
    code = code_not_found(turn_before_latest_message(tracker.events))
    if code is None:
        return False
    log.info("dossier.status.still_not_found", code=code)
    dispatcher.utter_message(text=MSG_STILL_NOT_FOUND.format(code=code), buttons=BUTTONS_OFFICIAL)
    return True


def answer_phone_after_subscribing(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Right after a subscription reply, a phone number or "số này" with no official asked
    for: say notifications come in this chat (and, when the code was not found, to check
    it); False, saying nothing, otherwise. The number is not kept."""
    text = str(tracker.latest_message.get("text") or "")
    if not (has_phone_number(text) or _PHONE_WORDS.search(fold_words(text))):
        return False
    if asks_for_an_official(text):
        return False
    # The subscription reply may be a turn or two back ("mà hồ sơ này giờ đang ở bước nào"
    # in between, batch 73).
    texts = [t for turn in recent_bot_texts(tracker.events, turns=PHONE_TURNS) for t in turn]
    missing = next((t for t in texts if t.startswith(_NOT_FOLLOWED_START)), None)
    if missing is not None:
        found = find_codes(missing)
        code = found[0].code if found else ""
        log.info("dossier.subscribe.phone_not_needed", found=False)
        dispatcher.utter_message(text=MSG_PHONE_NOT_NEEDED_NOT_FOUND.format(code=code))
        return True
    if any(t.startswith(_FOLLOWED_STARTS) for t in texts):
        log.info("dossier.subscribe.phone_not_needed", found=True)
        dispatcher.utter_message(text=MSG_PHONE_NOT_NEEDED)
        return True
    return False


def answer_phone_alone(dispatcher: CollectingDispatcher, text: str) -> bool:
    """A phone number with hardly another word, read as nothing the bot understood: say it
    is no dossier code and what to send instead (the number is not kept); False, saying
    nothing, for any other message (the caller has tried the request and subscription
    readings first)."""
    if not has_phone_number(text):
        return False
    rest = fold_words(without_phone_numbers(text)).split()
    if not set(rest) <= _AROUND_A_NUMBER:
        return False
    log.info("dossier.phone_alone")
    dispatcher.utter_message(text=MSG_PHONE_ALONE)
    return True


async def lookup(
    services: DossierServices,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    code: str,
    *,
    not_found: str = MSG_NOT_FOUND,
) -> Dossier | None:
    """Rate-limit, look up, and on any failure tell the citizen why (``not_found``, with
    the code, when there is no such dossier); None then."""
    settings = services.settings
    decision = await services.limiter.acquire(lookup_limits(settings, tracker))
    if not decision.allowed:
        log.warning(
            "dossier.lookup.rate_limited", code=code, retry_after_s=round(decision.retry_after_s)
        )
        dispatcher.utter_message(
            text=MSG_RATE_LIMITED.format(minutes=_minutes(decision.retry_after_s))
        )
        return None
    try:
        dossier = await services.client.get_dossier(code)
    except DossierNotFound:
        await services.limiter.record(
            f"lookup:notfound:{tracker.sender_id}", settings.onestop.rate_limit_window_s
        )
        log.info("dossier.lookup.not_found", code=code)
        dispatcher.utter_message(text=not_found.format(code=code))
        return None
    except CircuitOpen as exc:
        log.warning("dossier.lookup.circuit_open", code=code)
        dispatcher.utter_message(text=MSG_CIRCUIT_OPEN.format(minutes=_minutes(exc.retry_after_s)))
        return None
    except OneStopUnavailable:
        log.warning("dossier.lookup.busy", code=code)
        dispatcher.utter_message(text=MSG_BUSY.format(code=code))
        return None
    log.info("dossier.lookup.ok", code=code, status=int(dossier.status))
    return dossier


async def answer_status(
    services: DossierServices,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    codes: Sequence[str],
) -> list[dict[str, Any]]:
    """The status of each dossier (at most ``MAX_CODES_PER_MESSAGE``), each unfinished one
    not yet followed with an offer to follow it; the last one found stays the dossier
    discussed."""
    several = len(codes) > 1
    found: str | None = None
    offered = False
    subscribed: list[str] | None = None  # read once, when an unfinished dossier needs it
    for code in codes[:MAX_CODES_PER_MESSAGE]:
        dossier = await lookup(services, dispatcher, tracker, code)
        if dossier is None:
            continue
        found = dossier.code
        dispatcher.utter_message(text=status_answer(dossier, today=today_vn()))
        if dossier.status.is_final:
            continue
        if subscribed is None:
            subscribed = await services.subscriptions.codes_of(tracker.sender_id)
        if dossier.code in subscribed:
            continue
        if several:
            text, buttons = MSG_OFFER_CODE.format(code=dossier.code), offer_buttons(dossier.code)
        else:
            text, buttons = MSG_OFFER, BUTTONS_OFFER
        dispatcher.utter_message(text=text, buttons=buttons)
        offered = True
    if len(codes) > MAX_CODES_PER_MESSAGE:
        dispatcher.utter_message(text=MSG_TOO_MANY_CODES.format(limit=MAX_CODES_PER_MESSAGE))
    events = [SlotSet("dossier_code", found)] if found else []
    return [*events, SlotSet("dossier_subscribe_offered", offered)]


async def subscribe(
    services: DossierServices, dispatcher: CollectingDispatcher, tracker: Tracker, code: str
) -> list[dict[str, Any]]:
    done = [SlotSet("dossier_subscribe_offered", False)]
    dossier = await lookup(
        services, dispatcher, tracker, code, not_found=MSG_NOT_FOUND_NOT_FOLLOWED
    )
    if dossier is None:
        return done
    if dossier.status.is_final:
        dispatcher.utter_message(
            text=MSG_FINISHED.format(code=dossier.code, label=dossier.status.label)
        )
        return done
    result = await services.subscriptions.subscribe(
        code=dossier.code,
        conversation_id=tracker.sender_id,
        status=int(dossier.status),
        version=dossier.version,
    )
    channel, _ = split_conversation_id(tracker.sender_id)
    log.info("dossier.subscribe." + result, code=dossier.code, channel=channel)
    if result == "exists":
        dispatcher.utter_message(text=MSG_ALREADY.format(code=dossier.code))
    elif result == "limit":
        dispatcher.utter_message(
            text=MSG_SUB_LIMIT.format(
                limit=services.settings.onestop.max_subscriptions_per_conversation
            )
        )
    else:
        dispatcher.utter_message(
            text=MSG_SUBSCRIBED.format(
                channel=CHANNEL_NAMES.get(channel, "kênh này"),
                code=dossier.code,
                label=dossier.status.label,
            )
        )
    return [*done, SlotSet("dossier_code", dossier.code)]
