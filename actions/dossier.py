"""Dossier actions: status look-up, the dossier form, subscribe and unsubscribe.

Flow (rules in nlu_data/rules/dossier.yml): ``check_dossier_status`` / ``subscribe_dossier``
→ ``action_start_dossier_form`` (records the purpose, keeps or clears the code) →
``dossier_form`` (asks for the code unless it is known; ``validate_dossier_form`` accepts
any reasonable spelling) → ``action_dossier_form_submit`` (status answer or subscription).
A status answer offers a subscription; ``affirm`` right after it subscribes.

Every look-up is rate-limited per conversation (the current session), per sender (all
sessions) and by the number of codes that found nothing (guessing), and logged with the
code masked (bot.logs masks codes in every value).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
import redis.asyncio as aioredis
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.aspect_words import aspects_asked
from actions.beyond_data import asks_what_if
from actions.code_corrections import corrected_code
from actions.history import BotTurn, turn_before_latest_message
from actions.procedures import BUTTONS_OFFICIAL, MSG_BEYOND_DATA, ActionAnswerProcedure
from bot.dossier_codes import find_codes, looks_like_code_attempt
from bot.kb import ASPECTS
from bot.logs import get_logger
from bot.nlu.text import fold, fold_words
from bot.notifier import SubscriptionStore
from bot.onestop import (
    NATIONAL_LOOKUP_URL,
    CircuitOpen,
    Dossier,
    DossierNotFound,
    Limit,
    OneStopClient,
    OneStopUnavailable,
    RateLimiter,
    status_answer,
    today_vn,
)
from bot.outbox import split_conversation_id
from bot.redis_client import connect
from bot.settings import Settings, load_settings

log = get_logger(__name__)

# --- what the citizen reads -------------------------------------------------------------

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
MSG_BAD_FORMAT = (
    "Mã “{text}” chưa đúng định dạng. Mã hồ sơ gồm mã cơ quan (kết thúc bằng H49), ngày nộp "
    "(6 chữ số) và số thứ tự, nối bằng dấu gạch ngang."
)
MSG_NEED_CODE = "Để tra cứu, tôi cần mã hồ sơ của bạn."
MSG_FORM_STOPPED = "Dạ vâng. Khi cần tra cứu, bạn cứ gửi mã hồ sơ cho tôi nhé."
MSG_FORM_GIVE_UP = (
    "Tôi vẫn chưa nhận được mã hồ sơ hợp lệ. Bạn xem lại Giấy tiếp nhận hồ sơ và hẹn trả kết quả, "
    'hoặc nhắn "gặp cán bộ" để được hỗ trợ nhé.'
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
MSG_FINISHED = "Hồ sơ {code} đã kết thúc ({label}), nên không cần theo dõi nữa."
MSG_NOT_OFFERED = "Dạ vâng. Bạn cần tôi hỗ trợ thêm gì không ạ?"
MSG_UNSUBSCRIBED_ONE = "Đã hủy theo dõi hồ sơ {code}. Tôi sẽ không nhắn về hồ sơ này nữa."
MSG_UNSUBSCRIBED_ALL = (
    "Đã hủy theo dõi {count} hồ sơ: {codes}. Tôi sẽ không nhắn về các hồ sơ này nữa."
)
MSG_NOTHING_TO_UNSUBSCRIBE = "Bạn chưa đăng ký theo dõi hồ sơ nào nên không cần hủy ạ."
MSG_NOT_SUBSCRIBED = "Bạn chưa đăng ký theo dõi hồ sơ {code} ạ."

CHANNEL_NAMES = {"zalo": "Zalo", "telegram": "Telegram", "web": "trang trò chuyện trên web"}
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
# A procedure question sent instead of a code is answered, and the form stops, when the
# classifier is this sure of it; words about the code or the receipt keep the form.
MOVED_ON_CONFIDENCE = 0.9
_ABOUT_THE_CODE = ("ma", "giay hen", "giay tiep nhan", "bien nhan", "phieu hen")
# A status question read with less than this, that names a procedure and asks one of its
# aspects in so many words, with no word of a dossier already filed, is answered as that
# procedure question instead of asking for a code.
SURE_STATUS = 0.9
# Words of a dossier already filed (folded): "đã nộp", "xong chưa", "của tôi", "hôm qua",
# "mã hồ sơ" ("ma" alone is also "mà").
# fmt: off
_FILED = re.compile(r"\b(?:" + "|".join((
    "chua", "den dau", "toi dau", "xong(?! xuoi)", "ket qua", "kq", "tinh trang", "ma ho so",
    "ma hs", "ma so", "nop ho so roi", "ho so cua", "hs cua", "ho so bi", "trang thai",
    "tu choi", "treo", "dung im", "bi ket", "buoc", "giay hen",
    "hen tra", "tre hen", "qua han", "cua toi", "cua em", "cua e", "cua minh", "cua bo",
    "cua me", "da nop", "nop roi", "nop tu", "nop hom", "nop thang", "nop tuan", "nop lau",
    "sao lau", "lau the", "lau vay", "bo sung", "tra cuu", "kiem tra", "ktra", "xem giup",
    "check", "duyet", "vuong", "xu ly", "tiep nhan", "nhan duoc", "lay duoc", "lay dc",
    # A time in the past, when said of a dossier ("hồ sơ hôm qua"), not of a life event
    # ("ông nhà tôi mất hôm thứ 7 tuần trước").
    r"(?:nop|ho so|hs|gui|lam)(?: \w+){0,3} (?:hom qua|tuan truoc|thang truoc|hom truoc)",
)) + r")\b")
# fmt: on
MAX_CODE_ATTEMPTS = 3
# Words that name a dossier itself (folded): "hồ sơ", "mã", "kết quả", "giấy hẹn".
_OF_A_DOSSIER = re.compile(r"\b(?:ho so|hs|ma|ket qua|kq|giay hen|phieu hen|bien nhan)\b")

# --- process-wide resources ---------------------------------------------------------------


@dataclass(kw_only=True)
class DossierServices:
    """What the dossier actions need; built once per event loop (the action server's)."""

    settings: Settings
    redis: aioredis.Redis
    session: aiohttp.ClientSession
    client: OneStopClient
    limiter: RateLimiter
    subscriptions: SubscriptionStore
    loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def create(cls, settings: Settings) -> DossierServices:
        """Must run inside the loop that will use them (aiohttp sessions are loop-bound)."""
        redis = connect(settings.redis.url)
        session = aiohttp.ClientSession()
        prefix = settings.redis.key_prefix
        return cls(
            settings=settings,
            redis=redis,
            session=session,
            client=OneStopClient.from_settings(session=session, redis=redis, settings=settings),
            limiter=RateLimiter(redis=redis, key_prefix=prefix),
            subscriptions=SubscriptionStore(
                redis=redis,
                key_prefix=prefix,
                max_per_conversation=settings.onestop.max_subscriptions_per_conversation,
            ),
            loop=asyncio.get_running_loop(),
        )

    async def close(self) -> None:
        await self.session.close()
        await self.redis.close()


_services: DossierServices | None = None


def use_services(services: DossierServices | None) -> None:
    """Install the services the actions use (tests and benchmarks; None: build from settings)."""
    global _services
    _services = services


def get_services() -> DossierServices:
    global _services
    loop = asyncio.get_running_loop()
    if _services is None or (_services.loop is not None and _services.loop is not loop):
        _services = DossierServices.create(load_settings())
    return _services


# --- pure helpers -------------------------------------------------------------------------


def codes_from_message(tracker: Tracker) -> list[str]:
    """The canonical codes in the latest message, in the order typed, then any that only
    an entity holds (a button's payload)."""
    codes = [m.code for m in find_codes(tracker.latest_message.get("text") or "")]
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "dossier_code" and entity.get("value"):
            codes += [m.code for m in find_codes(str(entity["value"]))]
    return list(dict.fromkeys(codes))


def code_from_message(tracker: Tracker) -> str | None:
    """The first canonical code in the latest message, else None."""
    return next(iter(codes_from_message(tracker)), None)


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


def _is_stop(tracker: Tracker, text: str) -> bool:
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
    words = f" {fold_words(str(message.get('text') or ''))} "
    if any(f" {w} " in words for w in _ABOUT_THE_CODE):
        return None
    return str(intent["name"])


def procedure_question_read_as_status(message: dict[str, Any]) -> str | None:
    """The aspect of a procedure question the classifier was unsure was a status question
    ("Tôi đã hỏi 3 lần rồi mà vẫn không biết nộp hồ sơ xin giấy phép xây dựng ở đâu",
    check_dossier_status 0.73): it names a procedure, asks an aspect in so many words, and
    says nothing of a dossier already filed; None otherwise (the form asks for the code)."""
    intent = message.get("intent") or {}
    if intent.get("name") != "check_dossier_status":
        return None
    if float(intent.get("confidence") or 0.0) >= SURE_STATUS:
        return None
    if not any(e.get("entity") == "procedure" for e in message.get("entities") or []):
        return None
    text = str(message.get("text") or "")
    asked = aspects_asked(text)
    if not asked or find_codes(text) or _FILED.search(fold_words(text)):
        return None
    return asked[0]


def beyond_the_answer_read_as_status(
    answerer: ActionAnswerProcedure, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]] | None:
    """Right after a procedure answer, a question on what follows from a situation that
    says "chưa" and so reads as a status question ("cty chưa trả sổ bh thì sao",
    check_dossier_status 0.74): say the entry holds no answer and offer what it does
    (:data:`MSG_BEYOND_DATA`); None, saying nothing, when it names a dossier or is no such
    question."""
    procedure = turn_before_latest_message(tracker.events).answered
    text = str(tracker.latest_message.get("text") or "")
    if procedure is None or not asks_what_if(text) or _OF_A_DOSSIER.search(fold_words(text)):
        return None
    log.info("dossier.status.read_as_beyond_data", procedure=procedure)
    return answerer.offer_aspects(dispatcher, tracker, procedure, template=MSG_BEYOND_DATA)


# --- the look-up shared by status and subscribe ---------------------------------------------


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


# --- actions ----------------------------------------------------------------------------------


class ActionStartDossierForm(Action):
    """Records why the form runs; a status question without a code gets asked for one."""

    def name(self) -> str:
        return "action_start_dossier_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        purpose = "subscribe" if intent == "subscribe_dossier" else "status"
        # A code typed whole, else one corrected by its digits ("0015 chứ k phải 0051").
        code = code_from_message(tracker) or corrected_code(
            tracker.latest_message.get("text") or "",
            turn_before_latest_message(tracker.events),
            tracker.events,
            tracker.get_slot("dossier_code"),
        )
        if code is None:
            # An unsure status reading of a question about who goes, right after an answer
            # ("nhờ con trai đi nộp hồ sơ thay đc k"), or of a procedure question: answer
            # it, and do not ask for a code (the rule would run the form next).
            answerer = ActionAnswerProcedure()
            answered = answerer.answer_follow_up(dispatcher, tracker)
            if answered is None:
                aspect = procedure_question_read_as_status(tracker.latest_message)
                if aspect is not None:
                    log.info("dossier.status.read_as_procedure_question", aspect=aspect)
                    answered = answerer.answer(dispatcher, tracker, intent=aspect)
            if answered is None and purpose == "status":
                answered = beyond_the_answer_read_as_status(answerer, dispatcher, tracker)
            if answered is not None:
                return [*answered, FollowupAction("action_listen")]
            if purpose == "status" and answer_still_not_found(dispatcher, tracker):
                # "sao lâu thế, nộp từ tháng trước rồi mà" right after a code not found.
                return [FollowupAction("action_listen")]
        events = [SlotSet("dossier_purpose", purpose), SlotSet("dossier_code_attempts", 0)]
        if code or purpose == "status":
            # Subscribing without a code means "the dossier we just talked about".
            events.append(SlotSet("dossier_code", code))
        return events


class ValidateDossierForm(FormValidationAction):
    def name(self) -> str:
        return "validate_dossier_form"

    async def validate_dossier_code(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        text = str(slot_value or "")
        found = find_codes(text) or find_codes(tracker.latest_message.get("text") or "")
        if found:
            return {"dossier_code": found[0].code, "dossier_code_attempts": 0}
        attempts = int(tracker.get_slot("dossier_code_attempts") or 0) + 1
        aspect = asks_a_procedure_question(tracker.latest_message)
        if aspect is not None:
            # The citizen moved on: answer that, and stop waiting for a code.
            log.info("dossier.form.moved_on", aspect=aspect)
            events = ActionAnswerProcedure().answer(dispatcher, tracker, intent=aspect)
            return {
                **{e["name"]: e["value"] for e in events if e.get("event") == "slot"},
                "dossier_code": None,
                "requested_slot": None,
                "dossier_code_attempts": 0,
            }
        if _is_stop(tracker, text):
            dispatcher.utter_message(text=MSG_FORM_STOPPED)
            return {"dossier_code": None, "requested_slot": None, "dossier_code_attempts": 0}
        if attempts >= MAX_CODE_ATTEMPTS:
            dispatcher.utter_message(text=MSG_FORM_GIVE_UP)
            return {"dossier_code": None, "requested_slot": None, "dossier_code_attempts": 0}
        shown = text.strip()[:40]
        if looks_like_code_attempt(text):
            dispatcher.utter_message(text=MSG_BAD_FORMAT.format(text=shown))
        else:
            dispatcher.utter_message(text=MSG_NEED_CODE)
        log.info("dossier.form.bad_code", attempt=attempts)
        return {"dossier_code": None, "dossier_code_attempts": attempts}


class ActionDossierFormSubmit(Action):
    """After the form: the status answer, or the subscription, by ``dossier_purpose``."""

    def name(self) -> str:
        return "action_dossier_form_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        code = tracker.get_slot("dossier_code")
        if not code:  # the citizen stopped the form
            return []
        services = get_services()
        if tracker.get_slot("dossier_purpose") == "subscribe":
            return await subscribe(services, dispatcher, tracker, code)
        # Several codes typed in the message that gave this one: each gets its status.
        typed = codes_from_message(tracker)
        return await answer_status(
            services, dispatcher, tracker, typed if code in typed else [code]
        )


class ActionCheckDossierStatus(Action):
    def name(self) -> str:
        return "action_check_dossier_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        codes = codes_from_message(tracker) or [tracker.get_slot("dossier_code")]
        # Only ever run as a follow-up of another action's reply: listen next, whatever the
        # policies would predict (a fallback predicted here answered the same message again
        # until Rasa's circuit breaker tripped, which leaves the conversation mute).
        if not codes[0]:
            dispatcher.utter_message(response="utter_ask_dossier_code")
            return [FollowupAction("action_listen")]
        answered = await answer_status(get_services(), dispatcher, tracker, codes)
        return [*answered, FollowupAction("action_listen")]


class ActionSubscribeDossier(Action):
    def name(self) -> str:
        return "action_subscribe_dossier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "affirm" and not tracker.get_slot("dossier_subscribe_offered"):
            # "có" with no offer pending: nothing to subscribe to.
            dispatcher.utter_message(text=MSG_NOT_OFFERED)
            return []
        code = code_from_message(tracker) or tracker.get_slot("dossier_code")
        if not code:
            dispatcher.utter_message(response="utter_ask_dossier_code")
            return []
        return await subscribe(get_services(), dispatcher, tracker, code)


class ActionUnsubscribeDossier(Action):
    def name(self) -> str:
        return "action_unsubscribe_dossier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        code = code_from_message(tracker)
        if code is None:
            answered = self.answer_misread(dispatcher, tracker)
            if answered is not None:
                return answered
        store = get_services().subscriptions
        conversation = tracker.sender_id
        if code:
            removed = await store.unsubscribe(code=code, conversation_id=conversation)
            text = (MSG_UNSUBSCRIBED_ONE if removed else MSG_NOT_SUBSCRIBED).format(code=code)
            dispatcher.utter_message(text=text)
            log.info("dossier.unsubscribe.one", code=code, removed=removed)
            return []
        codes = await store.unsubscribe_all(conversation)
        if not codes:
            dispatcher.utter_message(text=MSG_NOTHING_TO_UNSUBSCRIBE)
        elif len(codes) == 1:
            dispatcher.utter_message(text=MSG_UNSUBSCRIBED_ONE.format(code=codes[0]))
        else:
            dispatcher.utter_message(
                text=MSG_UNSUBSCRIBED_ALL.format(count=len(codes), codes=", ".join(codes))
            )
        log.info("dossier.unsubscribe.all", count=len(codes))
        return []

    @staticmethod
    def answer_misread(
        dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]] | None:
        """ "còn nữa ko" reads as unsubscribe 0.89: right after a procedure answer, a
        message that says nothing of stopping gets the rest of a documents list, or what
        more to ask, and cancels nothing; None when it does ask to stop."""
        turn = turn_before_latest_message(tracker.events)
        text = tracker.latest_message.get("text") or ""
        if turn.answered is None or _STOPPING.search(fold_words(text)):
            return None
        answerer = ActionAnswerProcedure()
        more = answerer.answer_more_documents(dispatcher, tracker, turn)
        if more is not None:
            return more
        log.info("dossier.unsubscribe.read_as_follow_up")
        return answerer.offer_aspects(dispatcher, tracker, turn.answered)


__all__ = [
    "ActionCheckDossierStatus",
    "ActionDossierFormSubmit",
    "ActionStartDossierForm",
    "ActionSubscribeDossier",
    "ActionUnsubscribeDossier",
    "DossierServices",
    "ValidateDossierForm",
    "get_services",
    "use_services",
]
