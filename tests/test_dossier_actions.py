"""The real dossier action classes, with rasa_sdk's Tracker and dispatcher, against the simulator."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.dossier as ad
import actions.dossier_lookup as dl
import actions.dossier_reading as dr
import actions.dossier_services as ds
from actions.history import BotTurn
from actions.procedures import MSG_BEYOND_DATA, MSG_WHAT_MORE
from bot.kb import load_knowledge_base
from bot.kb.unanswered import read, unanswered_key
from bot.notifier import SubscriptionStore
from bot.onestop import Limit, OneStopClient, RateLimiter
from bot.settings import PROJECT_ROOT, Settings
from tests.labelled import labelled_examples
from tests.trackers import answered_events, listening_tracker

DOMAIN: dict[str, Any] = {"forms": {"dossier_form": {"required_slots": ["dossier_code"]}}}


@pytest.fixture
async def services(
    settings: Settings, redis_client, sim_url: str
) -> AsyncIterator[ds.DossierServices]:
    s = dataclasses.replace(
        settings,
        onestop=dataclasses.replace(
            settings.onestop,
            url=sim_url,
            timeout_s=0.5,
            retries=1,
            backoff_base_s=0.01,
            breaker_failures=3,
            breaker_reset_s=30,
        ),
    )
    async with aiohttp.ClientSession() as session:
        svc = ds.DossierServices(
            settings=s,
            redis=redis_client,
            session=session,
            client=OneStopClient.from_settings(session=session, redis=redis_client, settings=s),
            limiter=RateLimiter(redis=redis_client, key_prefix=s.redis.key_prefix),
            subscriptions=SubscriptionStore(redis=redis_client, key_prefix=s.redis.key_prefix),
        )
        ds.use_services(svc)
        yield svc
        ds.use_services(None)


def tracker(
    text: str = "",
    *,
    intent: str = "check_dossier_status",
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    sender: str | None = None,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    return listening_tracker(
        sender_id=sender or f"telegram:{uuid.uuid4().int % 10**9}",
        slots={
            "dossier_code": None,
            "dossier_purpose": None,
            "dossier_code_attempts": 0,
            "dossier_subscribe_offered": None,
            **(slots or {}),
        },
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities or [],
        },
        events=events or [],
    )


async def run(action, t: Tracker) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, DOMAIN)
    text = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    return text, events, dispatcher.messages


def slot(events: list[dict[str, Any]], name: str) -> Any:
    values = [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name]
    return values[-1] if values else "<unset>"


async def status_of(code: str, **kw) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    t = tracker(slots={"dossier_code": code, "dossier_purpose": "status"}, **kw)
    return await run(ad.ActionDossierFormSubmit(), t)


# --- status answers: one per national status, plus overdue ---------------------------------

EXPECTED = {
    1: ["Mới đăng ký", "chờ bộ phận một cửa"],
    2: ["Đã được tiếp nhận", "chờ đến ngày hẹn trả"],
    3: ["Không được tiếp nhận", "lý do", "nộp lại"],
    4: ["Đang xử lý", "chưa cần làm gì thêm"],
    5: ["Yêu cầu bổ sung giấy tờ", "• ", "bổ sung"],
    6: ["nghĩa vụ tài chính", "đồng", "thanh toán"],
    7: ["Đã rút hồ sơ", "kết thúc"],
    8: ["Dừng xử lý", "lý do", "liên hệ"],
    9: ["Đã có kết quả", "nhận kết quả tại", "giấy tờ tùy thân"],
    10: ["Đã trả kết quả", "hoàn tất"],
}


@pytest.mark.parametrize("status", list(EXPECTED))
async def test_status_answer_for_every_status(services, admin, status):
    code = (await admin.codes(status=status))[0]
    text, events, messages = await status_of(code)
    assert code in text and "Thủ tục:" in text and "Tình trạng:" in text
    for part in EXPECTED[status]:
        assert part in text, (part, text)
    # Applicant masked; no phone or ID number in the answer.
    assert "Chủ hồ sơ:" in text and "*" in text
    assert not any(ch.isdigit() for ch in text.split("Chủ hồ sơ:")[1].split("\n")[0])
    final = status in (3, 7, 8, 10)
    assert slot(events, "dossier_subscribe_offered") is (not final)
    assert any(m.get("buttons") for m in messages) is (not final)


async def test_dates_are_dd_mm_yyyy(services, admin):
    code = (await admin.codes(status=4))[0]
    d = await services.client.get_dossier(code)
    text, _, _ = await status_of(code)
    assert d.received_at.strftime("%d/%m/%Y") in text
    assert d.due_at.strftime("%d/%m/%Y") in text


async def test_overdue_is_noted(services, admin):
    code = (await admin.codes(status=4, overdue=True))[0]
    text, _, _ = await status_of(code)
    assert "quá hẹn trả" in text and "ngày" in text
    code = (await admin.codes(status=4, overdue=False))[0]
    text, _, _ = await status_of(code)
    assert "quá hẹn" not in text


async def test_missing_papers_are_listed(services, admin):
    code = (await admin.codes(status=4))[0]
    await admin.set_status(code, 5, documents=["Bản sao sổ hộ khẩu", "Ảnh 3x4"])
    text, _, _ = await status_of(code)
    assert "• Bản sao sổ hộ khẩu" in text and "• Ảnh 3x4" in text


async def test_personal_data_never_reaches_the_citizen(services, admin):
    code = (await admin.codes(status=4))[0]
    await admin.faults(leak_personal_data=True)
    async with (
        aiohttp.ClientSession() as s,
        s.get(f"{services.client.base_url}/api/v1/dossiers/{code}") as r,
    ):
        raw = await r.json()
    text, _, _ = await status_of(code)
    assert raw["ChuHoSo"] not in text
    assert raw["SoDienThoai"] not in text and raw["SoGiayTo"] not in text


# --- error paths: each its own answer --------------------------------------------------------


async def test_not_found(services, admin):
    text, events, _ = await status_of("000.00.99.H49-200101-0001")
    assert "không tìm thấy hồ sơ có mã 000.00.99.H49-200101-0001" in text
    assert slot(events, "dossier_subscribe_offered") is False


async def test_busy(services, admin):
    code = (await admin.codes(status=4))[0]
    await admin.faults(outage=True)
    text, _, _ = await status_of(code)
    assert "phản hồi chậm" in text and "thử lại" in text


async def test_timeout_is_busy(services, admin):
    code = (await admin.codes(status=4))[0]
    await admin.faults(latency_ms=2000)
    text, _, _ = await status_of(code)
    assert "phản hồi chậm" in text


async def test_malformed_is_busy(services, admin):
    code = (await admin.codes(status=4))[0]
    await admin.faults(malformed_rate=1.0)
    text, _, _ = await status_of(code)
    assert "phản hồi chậm" in text


async def test_circuit_open(services, admin):
    codes = (await admin.codes(status=4))[:4]
    await admin.faults(outage=True)
    for code in codes[:3]:
        await status_of(code)
    text, _, _ = await status_of(codes[3])
    assert "tạm gián đoạn" in text and "dichvucong.gov.vn" in text
    assert (await admin.stats())["requests"] == 6  # 3 look-ups × 2 attempts, then none


# --- rate limits ---------------------------------------------------------------------------


async def test_rate_limit_per_conversation_refuses_politely(services, admin):
    codes = await admin.codes(status=4)
    sender = "zalo:555"
    limit = services.settings.onestop.rate_limit_per_conversation
    for code in codes[:limit]:
        text, _, _ = await status_of(code, sender=sender)
        assert "Tình trạng:" in text
    calls = (await admin.stats())["dossier_requests"]
    text, _, _ = await status_of(codes[limit], sender=sender)
    assert "tra cứu nhiều lần" in text and "phút" in text
    assert (await admin.stats())["dossier_requests"] == calls
    # Another citizen is not affected.
    text, _, _ = await status_of(codes[limit], sender="zalo:556")
    assert "Tình trạng:" in text


async def test_new_session_does_not_reset_the_sender_limit(services, admin, settings):
    codes = await admin.codes(status=4)
    sender = "web:abc"
    per_sender = services.settings.onestop.rate_limit_per_sender
    for i, code in enumerate(codes[:per_sender]):
        # A new session every 5 look-ups (the per-conversation limit never bites).
        events = [{"event": "session_started", "timestamp": 1000.0 + i // 5}]
        text, _, _ = await status_of(code, sender=sender, events=events)
        assert "Tình trạng:" in text
    events = [{"event": "session_started", "timestamp": 99999.0}]
    text, _, _ = await status_of(codes[per_sender], sender=sender, events=events)
    assert "tra cứu nhiều lần" in text


async def test_guessing_codes_is_refused(services, admin):
    sender = "telegram:777"
    limit = services.settings.onestop.rate_limit_not_found_per_sender
    for i in range(limit):
        text, _, _ = await status_of(f"000.00.99.H49-200101-{i:04d}", sender=sender)
        assert "không tìm thấy" in text
    code = (await admin.codes(status=4))[0]
    text, _, _ = await status_of(code, sender=sender)  # even a real code now
    assert "tra cứu nhiều lần" in text


async def test_rate_limiter_window_slides(redis_client, settings):
    now = [1000.0]
    limiter = RateLimiter(
        redis=redis_client, key_prefix=settings.redis.key_prefix, clock=lambda: now[0]
    )
    lim = [Limit(key="x", limit=2, window_s=10)]
    assert (await limiter.acquire(lim)).allowed
    now[0] += 4
    assert (await limiter.acquire(lim)).allowed
    refused = await limiter.acquire(lim)
    assert not refused.allowed and 5.9 < refused.retry_after_s <= 6.0
    now[0] += 6.01  # the first event left the window
    assert (await limiter.acquire(lim)).allowed
    # A refused request used up nothing: all-or-nothing across limits.
    both = [Limit(key="a", limit=5, window_s=10), Limit(key="b", limit=1, window_s=10)]
    assert (await limiter.acquire(both)).allowed
    for _ in range(3):
        assert not (await limiter.acquire(both)).allowed
    assert await redis_client.zcard(f"{settings.redis.key_prefix}ratelimit:a") == 1


# --- the form -----------------------------------------------------------------------------


async def test_start_form_clears_old_code_for_status_keeps_it_for_subscribe(services):
    t = tracker("hồ sơ của tôi sao rồi", slots={"dossier_code": "000.00.12.H49-251002-0015"})
    _, events, _ = await run(ad.ActionStartDossierForm(), t)
    assert slot(events, "dossier_purpose") == "status" and slot(events, "dossier_code") is None
    t = tracker(
        "báo cho tôi khi có kết quả",
        intent="subscribe_dossier",
        slots={"dossier_code": "000.00.12.H49-251002-0015"},
    )
    _, events, _ = await run(ad.ActionStartDossierForm(), t)
    assert (
        slot(events, "dossier_purpose") == "subscribe" and slot(events, "dossier_code") == "<unset>"
    )
    t = tracker("tra hồ sơ 000.00.12.h49 - 251002 - 0015", entities=[])
    _, events, _ = await run(ad.ActionStartDossierForm(), t)
    assert slot(events, "dossier_code") == "000.00.12.H49-251002-0015"
    # Batch 22: "cái thứ 2" after two codes looked up is the second.
    two = "tra giúp tôi 2 hồ sơ: 000.00.12.H49-251001-0103 và 000.00.12.H49-251001-0104"
    t = tracker(
        "cái thứ 2 là xác nhận tình trạng hôn nhân của vợ tôi, sao vẫn chưa xử lý",
        events=[
            {"event": "user", "text": two},
            {"event": "action", "name": "action_check_dossier_status"},
            {"event": "user", "text": "cái thứ 2 là … sao vẫn chưa xử lý"},
        ],
    )
    _, events, _ = await run(ad.ActionStartDossierForm(), t)
    assert slot(events, "dossier_code") == "000.00.12.H49-251001-0104"
    assert dr.code_referred(
        "cái đầu thì sao", [{"event": "user", "text": two}, {"event": "user"}]
    ) == ("000.00.12.H49-251001-0103")
    assert (
        dr.code_referred("cái thứ 3", [{"event": "user", "text": two}, {"event": "user"}]) is None
    )
    assert (
        dr.code_referred(
            "cái thứ 2",
            [{"event": "user", "text": "mã 000.00.12.H49-251001-0103"}, {"event": "user"}],
        )
        is None
    )
    # Batch 22: pointing back at the dossier looked up before keeps its code.
    t = tracker(
        "thế hs của e lúc nãy có bị thiếu giấy đó ko",
        slots={"dossier_code": "000.00.12.H49-251003-0007"},
    )
    _, events, _ = await run(ad.ActionStartDossierForm(), t)
    assert slot(events, "dossier_code") == "000.00.12.H49-251003-0007"


@pytest.mark.parametrize(
    "typed",
    [
        "000.00.12.H49-251002-0015",
        "000.00.12.h49-251002-0015",
        "000.00.12.H49 - 251002 - 0015",
        "000.00.12H49-251002-0015",
        "mã của tôi là 000 00 12 h49-251002-0015 nhé",
    ],
)
async def test_form_accepts_any_reasonable_spelling(typed):
    t = tracker(typed, intent="check_dossier_status")
    out = await ad.ValidateDossierForm().validate_dossier_code(
        typed, CollectingDispatcher(), t, DOMAIN
    )
    assert out["dossier_code"] == "000.00.12.H49-251002-0015"


async def test_form_explains_the_format_then_gives_up():
    v = ad.ValidateDossierForm()
    d = CollectingDispatcher()
    out = await v.validate_dossier_code(
        "H49-2510-15", d, tracker("H49-2510-15", intent="check_dossier_status"), DOMAIN
    )
    assert out["dossier_code"] is None and out["dossier_code_attempts"] == 1
    assert "chưa đúng định dạng" in d.messages[-1]["text"]
    # Batch 19: the reply quotes the code typed, not the words around it.
    d = CollectingDispatcher()
    typed = "G22.QN-240611-0045 day"
    await v.validate_dossier_code(typed, d, tracker(typed, intent="check_dossier_status"), DOMAIN)
    assert d.messages[-1]["text"] == ad.MSG_BAD_FORMAT.format(text="G22.QN-240611-0045")
    # Batch 23: the slot held nothing of it; the message did.
    d = CollectingDispatcher()
    typed = "kiem tra giup ho so ma 000.00.12.H49-251002-15"
    await v.validate_dossier_code(None, d, tracker(typed, intent="check_dossier_status"), DOMAIN)
    assert d.messages[-1]["text"] == ad.MSG_BAD_FORMAT.format(text="000.00.12.H49-251002-15")
    d = CollectingDispatcher()
    out = await v.validate_dossier_code(
        "abc",
        d,
        tracker("abc", intent="check_dossier_status", slots={"dossier_code_attempts": 1}),
        DOMAIN,
    )
    assert out["dossier_code"] is None and "requested_slot" not in out
    assert "cần mã hồ sơ" in d.messages[-1]["text"]
    d = CollectingDispatcher()
    out = await v.validate_dossier_code(
        "xyz",
        d,
        tracker("xyz", intent="check_dossier_status", slots={"dossier_code_attempts": 2}),
        DOMAIN,
    )
    assert out["requested_slot"] is None and "gặp cán bộ" in d.messages[-1]["text"]


async def test_form_stops_when_the_citizen_says_stop():
    d = CollectingDispatcher()
    out = await ad.ValidateDossierForm().validate_dossier_code(
        "thôi", d, tracker("thôi", intent="deny"), DOMAIN
    )
    assert out["requested_slot"] is None and out["dossier_code"] is None
    _, events, messages = await run(
        ad.ActionDossierFormSubmit(), tracker("thôi", slots={"dossier_code": None})
    )
    assert events == [] and messages == []


async def test_a_procedure_question_instead_of_a_code_is_answered_and_the_form_stops():
    d = CollectingDispatcher()
    t = tracker("le phi bn", intent="ask_fee", slots={"procedure": "giay_phep_xay_dung"})
    out = await ad.ValidateDossierForm().validate_dossier_code("le phi bn", d, t, DOMAIN)
    assert out["requested_slot"] is None and out["dossier_code"] is None
    assert out["procedure"] == "giay_phep_xay_dung" and out["last_aspect"] == "ask_fee"
    (answer,) = d.messages
    assert answer["text"].startswith("Lệ phí Cấp giấy phép xây dựng nhà ở riêng lẻ:")


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "why"),
    [
        ("mã nằm ở chỗ nào trên giấy", "ask_location", 0.99, "a question about the code"),
        ("giấy hẹn để ở đâu", "ask_location", 0.99, "a question about the receipt"),
        ("nộp ở đâu", "ask_location", 0.8, "not sure enough"),
        ("chờ lâu quá", "check_dossier_status", 0.99, "no procedure question"),
    ],
)
def test_what_is_no_procedure_question_instead_of_a_code(text, intent, confidence, why):
    message = {"text": text, "intent": {"name": intent, "confidence": confidence}}
    assert dr.asks_a_procedure_question(message) is None, why


# --- subscribe / unsubscribe ------------------------------------------------------------------


async def test_subscribe_after_status_offer(services, admin):
    code = (await admin.codes(status=4))[0]
    sender = "zalo:1234"
    _, events, _ = await status_of(code, sender=sender)
    assert slot(events, "dossier_subscribe_offered") is True
    t = tracker(
        "có",
        intent="affirm",
        sender=sender,
        slots={"dossier_code": code, "dossier_subscribe_offered": True},
    )
    text, events, _ = await run(ad.ActionSubscribeDossier(), t)
    assert "Đã đăng ký" in text and "Zalo" in text and code in text
    subs = await services.subscriptions.subscribers(code)
    assert [(s.channel, s.recipient, s.status) for s in subs] == [("zalo", "1234", 4)]
    # Asking again: no second subscription, no second offer.
    text, _, _ = await run(ad.ActionSubscribeDossier(), t)
    assert "đã đăng ký theo dõi" in text
    text, events, messages = await status_of(code, sender=sender)
    assert slot(events, "dossier_subscribe_offered") is False and not any(
        m.get("buttons") for m in messages
    )


async def test_affirm_without_offer_subscribes_nothing(services, admin):
    code = (await admin.codes(status=4))[0]
    t = tracker(
        "có", intent="affirm", slots={"dossier_code": code, "dossier_subscribe_offered": False}
    )
    text, _, _ = await run(ad.ActionSubscribeDossier(), t)
    assert "hỗ trợ thêm" in text
    assert await services.subscriptions.subscribers(code) == []


async def test_subscribe_via_form_with_last_code(services, admin):
    code = (await admin.codes(status=2))[0]
    t = tracker(
        "báo cho tôi khi có kết quả",
        intent="subscribe_dossier",
        sender="web:s1",
        slots={"dossier_code": code, "dossier_purpose": "subscribe"},
    )
    text, _, _ = await run(ad.ActionDossierFormSubmit(), t)
    assert "Đã đăng ký" in text and "trang trò chuyện trên web" in text


async def test_subscribe_to_finished_dossier_is_declined(services, admin):
    code = (await admin.codes(status=10))[0]
    t = tracker(
        "báo cho tôi",
        intent="subscribe_dossier",
        slots={"dossier_code": code, "dossier_purpose": "subscribe"},
    )
    text, _, _ = await run(ad.ActionDossierFormSubmit(), t)
    assert "đã kết thúc" in text
    assert await services.subscriptions.watched() == set()


async def test_subscription_limit(services, admin):
    sender = "telegram:42"
    codes = await admin.codes(status=4)
    limit = services.settings.onestop.max_subscriptions_per_conversation
    for code in codes[:limit]:
        t = tracker(
            "theo dõi", intent="subscribe_dossier", sender=sender, slots={"dossier_code": code}
        )
        assert "Đã đăng ký" in (await run(ad.ActionSubscribeDossier(), t))[0]
    t = tracker(
        "theo dõi", intent="subscribe_dossier", sender=sender, slots={"dossier_code": codes[limit]}
    )
    assert "tối đa" in (await run(ad.ActionSubscribeDossier(), t))[0]


async def test_unsubscribe_one_and_all(services, admin):
    sender = "telegram:99"
    a, b, c = (await admin.codes(status=4))[:3]
    for code in (a, b, c):
        t = tracker(
            "theo dõi", intent="subscribe_dossier", sender=sender, slots={"dossier_code": code}
        )
        await run(ad.ActionSubscribeDossier(), t)
    text, _, _ = await run(
        ad.ActionUnsubscribeDossier(),
        tracker(f"hủy theo dõi {a}", intent="unsubscribe_dossier", sender=sender),
    )
    assert "Đã hủy theo dõi hồ sơ" in text and a in text
    text, _, _ = await run(
        ad.ActionUnsubscribeDossier(),
        tracker("hủy theo dõi", intent="unsubscribe_dossier", sender=sender),
    )
    assert "Đã hủy theo dõi 2 hồ sơ" in text
    assert await services.subscriptions.watched() == set()
    text, _, _ = await run(
        ad.ActionUnsubscribeDossier(),
        tracker("hủy theo dõi", intent="unsubscribe_dossier", sender=sender),
    )
    assert "chưa đăng ký" in text


async def test_no_more_replies_wanted_cancels_nothing(services, admin):
    """Batch 54: "thui ok k can tl nua dau" (unsubscribe) speaks of replies, not of
    notifications: "Dạ vâng", and the dossier followed stays followed."""
    sender = "telegram:54"
    code = (await admin.codes(status=4))[0]
    t = tracker("theo dõi", intent="subscribe_dossier", sender=sender, slots={"dossier_code": code})
    await run(ad.ActionSubscribeDossier(), t)
    _, _, messages = await run(
        ad.ActionUnsubscribeDossier(),
        tracker("thui ok k can tl nua dau 😅", intent="unsubscribe_dossier", sender=sender),
    )
    assert [m.get("response") for m in messages] == ["utter_ok"]
    assert await services.subscriptions.watched() == {code}


def test_every_labelled_unsubscribe_speaks_of_notifications() -> None:
    unsubscribe = [t for intent, t in labelled_examples() if intent == "unsubscribe_dossier"]
    assert len(unsubscribe) > 250 and all(dr.names_notifications(t) for t in unsubscribe)


async def test_check_status_action_with_entity(services, admin):
    code = (await admin.codes(status=6))[0]
    t = tracker(f"tra hồ sơ {code.lower()}", entities=[{"entity": "dossier_code", "value": code}])
    text, events, _ = await run(ad.ActionCheckDossierStatus(), t)
    assert "nghĩa vụ tài chính" in text
    # It only runs as another action's follow-up: it listens next, whatever was predicted.
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "action_listen"}


def test_codes_in_a_message_are_taken_in_the_order_typed_once_each() -> None:
    a, b, c = "H49.22-250701-0015", "000.00.12.H49-250701-0016", "H49.22-250701-0017"
    # The NLU found only the second; the text gives all, in order; the payload's entity
    # adds one the text lacks.
    t = tracker(
        f"tra {a.lower()} và {b}, lại {a}",
        entities=[{"entity": "dossier_code", "value": b}, {"entity": "dossier_code", "value": c}],
    )
    assert dr.codes_from_message(t) == [a, b, c]
    assert dr.code_from_message(t) == a
    assert dr.codes_from_message(tracker("hồ sơ của tôi đến đâu rồi")) == []


def _status(text: str, confidence: float, *, names: bool = True) -> dict[str, Any]:
    entities = [{"entity": "procedure", "value": "giay_phep_xay_dung"}] if names else []
    return {
        "text": text,
        "intent": {"name": "check_dossier_status", "confidence": confidence},
        "entities": entities,
    }


def test_a_procedure_question_read_as_an_unsure_status_question() -> None:
    text = "Tôi đã hỏi 3 lần rồi mà vẫn không biết nộp hồ sơ xin giấy phép xây dựng ở đâu"
    assert dr.procedure_question_read_as_status(_status(text, 0.73)) == "ask_location"
    assert dr.procedure_question_read_as_status(_status(text, 0.95)) is None  # sure: "hồ sơ"
    # Sure, a question that asks the place in so many words and names no dossier is still
    # one (batch 107: status 0.95, it got "give me the code").
    wrong = "cccd cua e ghi sai ngay sinh so voi giay khai sinh, lech 1 ngay, gio sua o dau a"
    assert dr.procedure_question_read_as_status(_status(wrong, 0.95)) == "ask_location"
    assert dr.procedure_question_read_as_status(_status(text, 0.73, names=False)) is None
    filed = "hồ sơ giấy phép xây dựng nộp tuần trước giờ lấy ở đâu, xong chưa"
    assert dr.procedure_question_read_as_status(_status(filed, 0.6)) is None
    # "xong xuôi" is the funeral being over, not a dossier (check_dossier_status 0.81).
    told = (
        "Ông nhà tôi mất hôm thứ 7 tuần trước, làm ma chay xong xuôi rồi giờ các con bảo "
        "phải đi khai tử thì mới rút được sổ tiết kiệm, tôi không biết làm ở đâu, giấy tờ gì"
    )
    assert dr.procedure_question_read_as_status(_status(told, 0.81)) == "ask_location"
    # Batch 28: a yes/no question on the procedure, "của tôi" said of the paper; it got
    # "give me the code", then the form swallowed the next three questions.
    paper = "bằng lái ô tô hạng B2 của tôi hết hạn tháng trước rồi, giờ đổi có bị thi lại không"
    assert dr.procedure_question_read_as_status(_status(paper, 0.49)) == "ask_procedure"
    assert dr.procedure_question_read_as_status(_status(paper, 0.95)) is None  # sure
    mine = "hồ sơ giấy phép xây dựng của tôi có bị trả lại không"
    assert dr.procedure_question_read_as_status(_status(mine, 0.49)) is None


def test_no_labelled_status_question_reads_as_a_procedure_question() -> None:
    """Even if each named a procedure and the classifier were unsure of each."""
    status = [t for i, t in labelled_examples() if i == "check_dossier_status"]
    assert len(status) > 700
    assert [t for t in status if dr.procedure_question_read_as_status(_status(t, 0.5))] == []
    assert [t for t in status if dr.procedure_question_read_as_status(_status(t, 0.99))] == []


async def test_the_status_action_answers_it_and_the_form_does_not_ask_for_a_code() -> None:
    text = "Tôi đã hỏi 3 lần rồi mà vẫn không biết nộp hồ sơ xin giấy phép xây dựng ở đâu"
    t = listening_tracker(
        sender_id="zalo:1", latest_message=_status(text, 0.73), slots={}, events=[]
    )
    d = CollectingDispatcher()
    events = await ad.ActionStartDossierForm().run(d, t, DOMAIN)
    (answer,) = d.messages
    assert answer["text"].startswith("Nơi nộp hồ sơ Cấp giấy phép xây dựng nhà ở riêng lẻ:")
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "action_listen"


async def test_an_official_asked_for_in_so_many_words_is_no_status_question() -> None:
    """Batch 19: read as a status question (0.65) because the dossier is late, it asked
    for a code; the citizen asked for an official."""
    text = (
        "Tôi đã hỏi 3 lần rồi mà máy cứ trả lời vòng vo. Tôi cần nói chuyện với cán bộ phụ "
        "trách đất đai phường Hồng Hà, hồ sơ của tôi nộp từ tháng 4 đến giờ chưa có kết quả."
    )
    t = listening_tracker(
        sender_id="zalo:1", latest_message=_status(text, 0.65, names=False), slots={}, events=[]
    )
    d = CollectingDispatcher()
    events = await ad.ActionStartDossierForm().run(d, t, DOMAIN)
    assert d.messages == []
    assert events == [{"event": "followup", "timestamp": None, "name": "action_request_human"}]
    # With the code, the status is what is asked; and "chuyển cán bộ" is no request.
    assert not dr.asks_for_an_official("hồ sơ đã chuyển cán bộ thụ lý chưa")
    assert dr.asks_for_an_official("cho tôi gặp trực tiếp cán bộ")
    assert dr.asks_for_an_official("muon noi chuyen voi nguoi that")
    # Batch 109: an official's number asked for after a dossier not found.
    assert dr.asks_for_an_official("đưa số điện thoại trưởng phòng đây")
    assert not dr.asks_for_an_official("số điện thoại của tôi là 0912345678")


def test_no_labelled_status_question_asks_for_an_official() -> None:
    status = [t for i, t in labelled_examples() if i == "check_dossier_status"]
    assert [t for t in status if dr.asks_for_an_official(t)] == []


@pytest.mark.parametrize(
    ("text", "confidence"),
    [
        # Batch 14, after the answer on trợ cấp thất nghiệp; the note of last session.
        ("cty chưa trả sổ bh thì sao", 0.74),
        ("ho o dc 20 ngay roi chua dk co sao ko", 0.95),
    ],
)
async def test_what_follows_from_a_situation_read_as_status_is_beyond_the_entry(
    text: str, confidence: float, services, redis_client, settings
) -> None:
    message = {**_status(text, confidence, names=False)}
    t = listening_tracker(
        sender_id="zalo:1",
        latest_message=message,
        slots={"procedure": "tro_cap_that_nghiep"},
        events=[*answered_events("tro_cap_that_nghiep"), {"event": "user", "text": text}],
    )
    d = CollectingDispatcher()
    events = await ad.ActionStartDossierForm().run(d, t, DOMAIN)
    name = (
        load_knowledge_base(PROJECT_ROOT / "nlu_data" / "procedures")
        .get("tro_cap_that_nghiep")
        .name
    )
    assert [m["text"] for m in d.messages] == [MSG_BEYOND_DATA.format(name=name)]
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "action_listen"
    assert "dossier_purpose" not in {e.get("name") for e in events}
    # Kept for editors with the entry that lacks the answer.
    (entry,) = await read(redis_client, unanswered_key(settings.redis.key_prefix))
    assert (entry["text"], entry["procedure"]) == (text, "tro_cap_that_nghiep")


async def test_a_dossier_named_in_it_is_still_a_status_question() -> None:
    text = "hồ sơ nộp tháng trước chưa có kết quả thì sao"
    t = listening_tracker(
        sender_id="zalo:1",
        latest_message=_status(text, 0.95, names=False),
        slots={"procedure": "tro_cap_that_nghiep"},
        events=[*answered_events("tro_cap_that_nghiep"), {"event": "user", "text": text}],
    )
    d = CollectingDispatcher()
    events = await ad.ActionStartDossierForm().run(d, t, DOMAIN)
    assert d.messages == []
    assert ("dossier_purpose", "status") in {(e.get("name"), e.get("value")) for e in events}


def test_the_words_that_ask_to_stop_are_in_nearly_every_labelled_unsubscribe() -> None:
    unsubscribe = [t for intent, t in labelled_examples() if intent == "unsubscribe_dossier"]
    said = [t for t in unsubscribe if dr.stops_notifications(t)]
    assert len(unsubscribe) > 250 and len(said) / len(unsubscribe) >= 0.97
    assert not dr.stops_notifications("còn nữa ko")


async def test_more_please_read_as_unsubscribe_after_an_answer_cancels_nothing(services, admin):
    sender = "telegram:4242"
    code = (await admin.codes(status=4))[0]
    await run(
        ad.ActionSubscribeDossier(),
        tracker(
            "theo dõi", intent="subscribe_dossier", sender=sender, slots={"dossier_code": code}
        ),
    )
    after_answer = [*answered_events("can_cuoc"), {"event": "user", "text": "…"}]
    text, _, _ = await run(
        ad.ActionUnsubscribeDossier(),
        tracker("còn nữa ko", intent="unsubscribe_dossier", sender=sender, events=after_answer),
    )
    kb = load_knowledge_base(PROJECT_ROOT / "nlu_data" / "procedures")
    assert text == MSG_WHAT_MORE.format(name=kb.get("can_cuoc").name)
    assert await services.subscriptions.codes_of(sender) == [code]
    # Asked in words, it is a cancellation, answer before it or not.
    text, _, _ = await run(
        ad.ActionUnsubscribeDossier(),
        tracker(
            "thôi khỏi báo nữa", intent="unsubscribe_dossier", sender=sender, events=after_answer
        ),
    )
    assert text == ad.MSG_UNSUBSCRIBED_ONE.format(code=code)
    assert await services.subscriptions.codes_of(sender) == []


def test_the_code_the_turn_before_did_not_find() -> None:
    code = "000.00.12.H49-991399-9999"
    not_found = BotTurn(
        action="action_dossier_form_submit", texts=[dl.MSG_NOT_FOUND.format(code=code)]
    )
    assert dl.code_not_found(not_found) == code
    busy = BotTurn(action="action_dossier_form_submit", texts=[dl.MSG_BUSY.format(code=code)])
    assert dl.code_not_found(busy) is None
    # The same words from another action (a quoted reply) are no status answer.
    other = BotTurn(action="action_answer_procedure", texts=[dl.MSG_NOT_FOUND.format(code=code)])
    assert dl.code_not_found(other) is None


async def test_a_question_of_the_procedure_instead_of_a_code_is_answered_whatever_its_reading():
    """Batches 48 and 50: the form asked for a code three times while the citizen went on
    about the procedure ("giay chung sinh mat roi" read as out of scope)."""
    d = CollectingDispatcher()
    t = tracker("giay chung sinh mat roi", intent="out_of_scope", slots={"procedure": "khai_sinh"})
    out = await ad.ValidateDossierForm().validate_dossier_code(
        "giay chung sinh mat roi", d, t, DOMAIN
    )
    assert out["requested_slot"] is None and out["dossier_code"] is None
    assert out["procedure"] == "khai_sinh"
    (reply,) = d.messages
    assert reply["text"].startswith(MSG_BEYOND_DATA.format(name="Đăng ký khai sinh")[:40])
    d = CollectingDispatcher()
    t = tracker(
        "toi k biet chu nhieu, co ai giup dien to khai k",
        intent="ask_documents",
        slots={"procedure": "khai_sinh"},
    )
    t.latest_message["intent"]["confidence"] = 0.67
    out = await ad.ValidateDossierForm().validate_dossier_code(
        t.latest_message["text"], d, t, DOMAIN
    )
    assert out["requested_slot"] is None and out["last_aspect"] == "ask_documents"
    assert d.messages[0]["text"].startswith("Hồ sơ Đăng ký khai sinh gồm:")


@pytest.mark.parametrize(
    ("text", "intent", "procedure", "why"),
    [
        ("giay chung sinh mat roi", "out_of_scope", None, "no procedure discussed"),
        ("hồ sơ khai sinh của con tôi", "out_of_scope", "khai_sinh", "names a dossier"),
        ("ko nhớ mã", "out_of_scope", "khai_sinh", "about the code"),
        ("chờ lâu quá", "check_dossier_status", "khai_sinh", "a status reading"),
        ("ok", "affirm", "khai_sinh", "no question"),
    ],
)
def test_what_is_no_question_of_the_procedure_instead_of_a_code(text, intent, procedure, why):
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}}
    assert dr.question_instead_of_a_code(message, procedure) is None, why


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        # "mà chưa có giấy khai sinh": neither a dossier ("mà" is no "mã") nor filed.
        (
            "con toi nam nay 7 tuoi chuan bi vao lop 1 ma chua co giay khai sinh, nha o ban "
            "tren binh lieu, gio lam co bi phat k",
            "ask_procedure",
        ),
        # "để bổ sung hồ sơ": another dossier, the paper's purpose.
        (
            "giay khai sinh của tôi mất lâu rồi, h cần bản sao để bổ sung hồ sơ thì làm thế nào",
            "ask_procedure",
        ),
        # "chưa ai đăng ký tạm trú": no dossier (batch 53).
        (
            "bon e 3 dua thue tro o phuong quang trung uong bi 4 thang roi chua ai dang ky tam "
            "tru, gio lam co bi phat k",
            "ask_procedure",
        ),
        # Which one first: how it is done.
        (
            "hôm qua e bị móc túi ở chợ Hạ Long mất cả ví, trong đó có cccd, gplx với thẻ atm. "
            "h làm lại cái nào trước ạ",
            "ask_procedure",
        ),
        # A bare "mà" going on about the paper (batch 60, status 0.74, after căn cước).
        ("ma cai chung minh thu cua ba la loai cu ngay xua", "ask_procedure"),
        ("Thẻ của cụ vẫn là loại chứng minh 9 số ngày xưa", "ask_procedure"),  # batch 70
    ],
)
def test_stories_read_as_status_questions_are_procedure_questions(text, aspect) -> None:
    """Batches 48 and 50: each got "give me the code" (check_dossier_status 0.50-0.72)."""
    message = _status(text, 0.6)
    assert dr.procedure_question_read_as_status(message) == aspect
    assert (
        dr.procedure_question_read_as_status(_status("hồ sơ khai sinh chưa có kết quả", 0.6))
        is None
    )
    assert (
        dr.procedure_question_read_as_status(_status("khai sinh của con tôi thế nào rồi", 0.6))
        is None
    )
    # Typed "mã", or filed: a status question.
    for status in ("mã căn cước của bà là loại cũ", "ma ho so can cuoc cua ba nop tu thang 1"):
        assert dr.procedure_question_read_as_status(_status(status, 0.6)) is None, status


def test_a_place_name_is_no_stop_word() -> None:
    """Batch 48: "… chỉ nhớ là ở Hoành Bồ" read as unsubscribe, and "Bồ" folds like "bỏ"."""
    assert not dr.stops_notifications(
        "Tôi không nhớ ngày xưa đăng ký ở xã nào nữa, chỉ nhớ là ở Hoành Bồ"
    )
    assert not dr.stops_notifications("đúng rồi")
    for stop in ("bỏ theo dõi", "bo theo doi", "đừng báo nữa", "hủy", "huỷ đi", "thôi khỏi báo"):
        assert dr.stops_notifications(stop), stop


async def test_back_once_the_dossier_is_filed_is_no_code_asked_for(services) -> None:
    """Batch 62: "de khi nop xong co ma r nho e" (subscribe_dossier 0.85) got "give me the
    code"; the citizen will come back with it."""
    t = _alone("de khi nop xong co ma r nho e", "subscribe_dossier", 0.85)
    d = CollectingDispatcher()
    events = await ad.ActionStartDossierForm().run(d, t, DOMAIN)
    assert [m.get("response") for m in d.messages] == ["utter_ok"]
    assert [e["event"] for e in events] == ["followup"]


async def test_readings_of_the_dossier_form_that_ask_no_code(services) -> None:
    """Batches 66-67: "nha e co so ho can ngheo thi sao" (subscribe 0.47) and "sao lai the,
    nha ben canh o sau ma co so roi" (status, after sổ đỏ) asked for a code; "can bo dia
    chinh xa e hanh dan, ho so nop 3 thang chua giai quyet" (status) too."""
    from actions.complaints import MSG_GRIEVANCE
    from actions.procedures import MSG_NOTHING_MORE

    kb = load_knowledge_base(PROJECT_ROOT / "nlu_data" / "procedures")
    cases = [
        ("nha e co so ho can ngheo thi sao", "subscribe_dossier", "bao_hiem_y_te", "fallback"),
        ("sao lai the, nha ben canh o sau ma co so roi", "check_dossier_status", "so_do", "why"),
        (
            "can bo dia chinh xa e hanh dan, ho so nop 3 thang chua giai quyet",
            "check_dossier_status",
            None,
            "grievance",
        ),
    ]
    for text, intent, before, expected in cases:
        t = listening_tracker(
            sender_id="zalo:1",
            latest_message={"text": text, "intent": {"name": intent, "confidence": 0.6}},
            slots={"procedure": before},
            events=[*(answered_events(before) if before else []), {"event": "user", "text": text}],
        )
        d = CollectingDispatcher()
        events = await ad.ActionStartDossierForm().run(d, t, DOMAIN)
        assert "dossier_purpose" not in {e.get("name") for e in events}, text
        if expected == "fallback":
            assert events == [{"event": "followup", "name": "action_fallback", "timestamp": None}]
        elif expected == "why":
            name = kb.get("so_do").name
            assert d.messages[0]["text"] == MSG_NOTHING_MORE.format(name=name)
        else:
            assert [m["text"] for m in d.messages] == [MSG_GRIEVANCE]


async def test_asking_how_to_stop_read_as_a_subscription_stops_them(services) -> None:
    """Batch 73: "hôm trước e đăng ký nhận thông báo … giờ có kq rồi vẫn nhắn, tắt kiểu gì"
    (subscribe_dossier) asked for a code."""
    text = "hôm trước e đăng ký nhận thông báo hồ sơ mà giờ có kq rồi vẫn nhắn, tắt kiểu gì"
    t = _alone(text, "subscribe_dossier", 0.8)
    events = await ad.ActionStartDossierForm().run(CollectingDispatcher(), t, DOMAIN)
    assert [(e["event"], e.get("name")) for e in events] == [
        ("followup", "action_unsubscribe_dossier")
    ]


def test_thôi_alone_does_not_turn_notifications_off() -> None:
    """Batch 62: "thôi báo tin khi xong nhé" asks for them; "tắt kiểu gì" turns them off."""
    assert not dr.turns_them_off("thôi báo tin khi xong nhé")
    assert not dr.turns_them_off("thoi e nho nhan tin khi xong")
    assert dr.turns_them_off("… giờ có kq rồi vẫn nhắn, tắt kiểu gì")
    assert dr.turns_them_off("ko muon nhan tin nua")


def _alone(text: str, intent: str, confidence: float) -> Tracker:
    """The tracker of ``text``, read as ``intent``, as the conversation's first message."""
    return listening_tracker(
        sender_id="zalo:1",
        latest_message={"text": text, "intent": {"name": intent, "confidence": confidence}},
        slots={},
        events=[{"event": "user", "text": text}],
    )


async def test_every_dossier_just_looked_up_is_followed(services, admin, settings, redis_client):
    """Batch 57 and the notes since: "đăng ký báo cho e cả 3 luôn" (out of scope) after the
    status of three codes got "out of scope"; read as a subscription it asked for a code."""
    from actions.fallback import ActionFallback

    codes = (await admin.codes(status=4))[:3]
    sender = f"zalo:{uuid.uuid4().int % 10**9}"
    looked_up = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": f"xem giúp {codes[0]}, {codes[1]} và {codes[2]}"},
        {"event": "action", "name": "action_check_dossier_status"},
        {"event": "bot", "text": "…"},
        {"event": "slot", "name": "dossier_code", "value": codes[0]},
        {"event": "action", "name": "action_listen"},
    ]
    text = "đăng ký báo cho e cả 3 luôn"
    looked_up.append({"event": "user", "text": text})
    for intent, action in (
        ("out_of_scope", ActionFallback(redis=redis_client, settings=settings)),
        ("subscribe_dossier", ad.ActionStartDossierForm()),
    ):
        t = tracker(text, intent=intent, sender=sender, events=looked_up)
        _, events, _ = await run(action, t)
        assert [(e["event"], e.get("name")) for e in events] == [
            ("followup", "action_subscribe_dossier")
        ]
    t = tracker(text, intent="out_of_scope", sender=sender, events=looked_up)
    reply, events, _ = await run(ad.ActionSubscribeDossier(), t)
    assert reply.count("Đã đăng ký") == 3
    for code in codes:
        assert [s.recipient for s in await services.subscriptions.subscribers(code)] == [
            sender.split(":")[1]
        ]
    assert events[-1]["name"] == "action_listen"
    # One code's status before, or no word of every one: the usual subscription.
    other = [*looked_up[:-1], {"event": "user", "text": "báo cho e khi xong"}]
    assert not dr.follows_every_code_told(
        tracker("báo cho e khi xong", intent="subscribe_dossier", events=other)
    )
    assert not dr.means_them_all("mua cá") and dr.means_them_all("theo dõi tất cả")


def test_a_phone_number_alone_is_no_code() -> None:
    """Batch 88: "0904567321" where a dossier code was meant got "chưa hiểu"."""
    dispatcher = CollectingDispatcher()
    assert dl.answer_phone_alone(dispatcher, "0904567321")
    assert dispatcher.messages[0]["text"] == dl.MSG_PHONE_ALONE
    assert "0904567321" not in dl.MSG_PHONE_ALONE
    assert dl.answer_phone_alone(CollectingDispatcher(), "sdt e 0904 567 321 đây ạ")
    assert not dl.answer_phone_alone(CollectingDispatcher(), "0904567321 gọi cho tôi")
    assert not dl.answer_phone_alone(CollectingDispatcher(), "mã 000.00.12.H49-251002-0015")
