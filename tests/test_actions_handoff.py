"""``action_request_human``: the request is recorded for the console, the reply is honest."""

from __future__ import annotations

import json

import pytest
import redis.asyncio as aioredis
from rasa_sdk import Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.dossier_lookup import MSG_PHONE_ALONE
from actions.fallback import ActionOutOfScope
from actions.handoff import ActionRequestHuman, handoff_requests_key
from actions.handoff_replies import (
    MSG_CONTACT_NOTED,
    MSG_DETAIL_NOTED,
    MSG_NOTED,
    MSG_STILL_WAITING,
    REPLY,
    asks_when_contacted,
    is_impatient,
)
from actions.planning import aspect_buttons
from actions.procedures import MSG_MEANWHILE_OFFER, ActionAnswerProcedure
from bot.kb import KnowledgeBaseStore
from bot.settings import PROJECT_ROOT
from tests.project import KB_DIR
from tests.trackers import Conversation, listening_tracker, parsed_message, tracker_after


def _turn(text: str, action: str, reply: str) -> list[dict[str, object]]:
    """The events of one turn: the citizen's ``text``, ``action`` sending ``reply``."""
    return [
        {"event": "user", "text": text},
        {"event": "action", "name": action},
        {"event": "bot", "text": reply},
        {"event": "action", "name": "action_listen"},
    ]


def _tracker(text: str) -> Tracker:
    return listening_tracker(
        sender_id="telegram:4242",
        slots={},
        latest_message={"text": text, "intent": {"name": "request_human", "confidence": 0.97}},
        events=[],
    )


async def test_request_is_recorded_with_its_conversation(settings, redis_client) -> None:
    action = ActionRequestHuman(redis=redis_client, settings=settings)
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, _tracker("cho tôi gặp cán bộ " + "x" * 900), {})
    # Listens next also when run as the follow-up of a "yes" to an offered official.
    assert events == [{"event": "followup", "timestamp": None, "name": "action_listen"}]
    assert [m["text"] for m in dispatcher.messages] == [REPLY]

    (raw,) = await redis_client.lrange(handoff_requests_key(settings), 0, -1)
    request = json.loads(raw)
    assert request["conversation"] == "telegram:4242" and request["channel"] == "telegram"
    assert request["kind"] == "request"
    assert request["text"].startswith("cho tôi gặp cán bộ") and len(request["text"]) == 500


async def test_citizen_gets_the_reply_when_redis_is_down(settings) -> None:
    dead = aioredis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    dispatcher = CollectingDispatcher()
    await ActionRequestHuman(redis=dead, settings=settings).run(
        dispatcher, _tracker("gặp người"), {}
    )
    assert [m["text"] for m in dispatcher.messages] == [REPLY]
    await dead.close()


async def test_a_procedure_named_with_the_request_is_offered_meanwhile(
    settings, redis_client
) -> None:
    store = KnowledgeBaseStore(directory=PROJECT_ROOT / "nlu_data" / "procedures")
    action = ActionRequestHuman(redis=redis_client, settings=settings, store=store)
    tracker = listening_tracker(
        sender_id="telegram:4242",
        slots={},
        latest_message={
            "text": "có ai trực không, mình muốn hỏi về giấy phép xây dựng",
            "intent": {"name": "request_human", "confidence": 0.93},
            "entities": [{"entity": "procedure", "value": "giay_phep_xay_dung"}],
        },
        events=[],
    )
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    name = store.get().get("giay_phep_xay_dung").name
    assert [m["text"] for m in dispatcher.messages] == [
        REPLY,
        MSG_MEANWHILE_OFFER.format(name=name),
    ]
    assert dispatcher.messages[1]["buttons"] == aspect_buttons("giay_phep_xay_dung")
    slots = [(e["name"], e["value"]) for e in events if e["event"] == "slot"]
    assert slots == [("procedure", "giay_phep_xay_dung"), ("last_aspect", None)]
    # The request is recorded all the same.
    assert await redis_client.llen(handoff_requests_key(settings)) == 1


def test_the_action_server_registers_the_actions_but_not_their_base() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    names = set(executor.actions)
    assert {
        "action_fallback",
        "action_request_human",
        "action_answer_procedure",
        "action_affirm",
        "action_deny",
    } <= names
    assert not any("redis" in n.lower() for n in names)


async def test_impatience_right_after_the_request_gets_an_honest_wait(
    settings, redis_client
) -> None:
    action = ActionOutOfScope(redis=redis_client, settings=settings)
    after_request = _turn("cho gap nguoi that di", "action_request_human", REPLY)
    # Batch 20: the request action answered "có cần bố mẹ đi cùng ko" (who goes) instead;
    # "thế làm cho bé út 6 tuổi luôn dc ko" ("cho", folded like "chờ") is no impatience.
    after_who_goes = _turn(
        "có cần bố mẹ đi cùng ko", "action_request_human", "Ai phải có mặt, ai được làm thay – …"
    )
    for before, expected in [
        (after_request, MSG_STILL_WAITING),
        ([], None),
        (after_who_goes, None),
    ]:
        message = parsed_message("nhanh len, cho 15p roi", [("out_of_scope", 0.93)])
        dispatcher = CollectingDispatcher()
        await action.run(dispatcher, tracker_after(message, before), {})
        if expected is None:  # with no request before it, impatience is out of scope
            assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]
        else:
            assert [m["text"] for m in dispatcher.messages] == [expected]


def test_impatience() -> None:
    assert all(map(is_impatient, ["nhanh len, cho 15p roi", "alo", "sao chưa có ai vậy"]))
    assert not any(map(is_impatient, ["thời tiết hôm nay thế nào", ""]))


async def test_a_phone_number_or_note_right_after_the_request_is_added_to_it(
    settings, redis_client
) -> None:
    """Batches 19 and 22: "sđt e 0912345678, gọi giờ hành chính nhé" right after the
    request got the request reply again (request_human), or "not subscribed" (read as
    subscribe_dossier); "Thôi ghi nhận đi" got "chưa hiểu". Each is added to the request
    for the console and acknowledged, the number not said back."""
    import actions.dossier as ad
    from actions.dossier_services import DossierServices, use_services

    requested = _turn("cho gap can bo", "action_request_human", REPLY)
    request = ActionRequestHuman(redis=redis_client, settings=settings)
    fallback = ActionOutOfScope(redis=redis_client, settings=settings)
    # The dossier form's start reads Redis through the dossier services.
    services = DossierServices(
        settings=settings,
        redis=redis_client,
        session=None,  # type: ignore[arg-type]  # not used before a look-up
        client=None,  # type: ignore[arg-type]
        limiter=None,  # type: ignore[arg-type]
        subscriptions=None,  # type: ignore[arg-type]
    )
    use_services(services)
    try:
        for action, text, intent, expected in [
            (
                request,
                "sdt e 0912345678, goi gio hanh chinh nhe",
                "request_human",
                MSG_CONTACT_NOTED,
            ),
            (fallback, "Thôi ghi nhận đi", "out_of_scope", MSG_NOTED),
            (
                ad.ActionStartDossierForm(),
                "Số tôi 0904 222 333, bảo họ gọi trước 5h chiều",
                "subscribe_dossier",
                MSG_CONTACT_NOTED,
            ),
        ]:
            dispatcher = CollectingDispatcher()
            message = parsed_message(text, [(intent, 0.8)])
            await action.run(dispatcher, tracker_after(message, requested), {})
            assert [m["text"] for m in dispatcher.messages] == [expected], text
    finally:
        use_services(None)
    raw = await redis_client.lrange(handoff_requests_key(settings), 0, -1)
    added = [json.loads(r) for r in raw]
    assert [(a["kind"], a["text"][:10]) for a in added] == [
        ("contact", "sdt e 0912"),
        ("contact", "Thôi ghi n"),
        ("contact", "Số tôi 090"),
    ]

    # Right after "noted", a number is still added ("Thôi ghi nhận đi", then the number).
    noted = [*requested, *_turn("Thôi ghi nhận đi", "action_out_of_scope", MSG_NOTED)]
    dispatcher = CollectingDispatcher()
    message = parsed_message("Số tôi 0904 222 333", [("out_of_scope", 0.8)])
    await fallback.run(dispatcher, tracker_after(message, noted), {})
    assert [m["text"] for m in dispatcher.messages] == [MSG_CONTACT_NOTED]
    assert await redis_client.llen(handoff_requests_key(settings)) == 4
    # Not right after the request, a phone number is no note for an official: it is no
    # dossier code either (batch 88), and is not kept.
    dispatcher = CollectingDispatcher()
    message = parsed_message("sdt e 0912345678", [("out_of_scope", 0.8)])
    await fallback.run(dispatcher, tracker_after(message, []), {})
    assert [m["text"] for m in dispatcher.messages] == [MSG_PHONE_ALONE]
    assert await redis_client.llen(handoff_requests_key(settings)) == 4


@pytest.mark.parametrize("noted", [REPLY, MSG_CONTACT_NOTED])
async def test_when_the_official_calls_right_after_the_request(noted: str) -> None:
    """Batch 27: "bao giờ thì có người gọi" (ask_duration 0.67) right after the number was
    added to the request got "the time of which procedure?"."""
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    conversation.events += _turn("cho tôi gặp cán bộ", "action_request_human", noted)
    msgs, events = await conversation.say("bao giờ thì có người gọi", "ask_duration")
    assert [m["text"] for m in msgs] == [MSG_STILL_WAITING]
    assert events == []
    # A procedure's time, asked by name, is still answered.
    msgs, _ = await conversation.say(
        "bao giờ thì có kết quả khai sinh", "ask_duration", "khai_sinh", name="khai sinh"
    )
    assert msgs[0]["text"].startswith("Thời gian giải quyết Đăng ký khai sinh")


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("bao giờ thì có người gọi", True),
        ("khi nào cán bộ liên hệ lại", True),
        ("cán bộ mấy giờ gọi", True),
        ("bao giờ có kết quả", False),
        ("gọi cho tôi số 0912345678", False),
    ],
)
def test_asks_when_contacted(text: str, asks: bool) -> None:
    assert asks_when_contacted(text) is asks


async def test_the_matter_told_right_after_the_request_is_added_to_it(
    settings, redis_client
) -> None:
    """Batch 30: after the number was noted, "việc đất đai, nhà tôi bị cấp sổ ghi nhầm
    diện tích" (out of scope) got "out of scope", and "bao giờ thì có người gọi" next got
    "which procedure?". The matter is noted for the official, and the request stays the
    latest thing; impatience and questions are not taken as the matter."""
    noted = _turn("0912 345 678", "action_out_of_scope", MSG_CONTACT_NOTED)
    fallback = ActionOutOfScope(redis=redis_client, settings=settings)
    dispatcher = CollectingDispatcher()
    matter = parsed_message(
        "việc đất đai, nhà tôi bị cấp sổ ghi nhầm diện tích", [("out_of_scope", 0.9)]
    )
    await fallback.run(dispatcher, tracker_after(matter, noted), {})
    assert [m["text"] for m in dispatcher.messages] == [MSG_DETAIL_NOTED]
    raw = await redis_client.lrange(handoff_requests_key(settings), 0, -1)
    assert [json.loads(r)["kind"] for r in raw] == ["detail"]
    for text, expected in [
        ("chờ lâu quá rồi đấy", MSG_STILL_WAITING),
        ("mai tàu có chạy không", None),
        ("máy móc vô dụng", None),  # batch 109: a complaint, answered by the apology
    ]:
        dispatcher = CollectingDispatcher()
        message = parsed_message(text, [("out_of_scope", 0.9)])
        await fallback.run(dispatcher, tracker_after(message, noted), {})
        assert MSG_DETAIL_NOTED not in [m.get("text") for m in dispatcher.messages], text
        if expected:
            assert [m.get("text") for m in dispatcher.messages] == [expected], text


async def test_waiting_words_right_after_the_request_get_the_honest_wait(
    settings, redis_client
) -> None:
    """Batches 35-37: "lâu thế" (ask_duration 1.0) got "the time of which procedure?",
    "bao giờ thì có người trả lời" (unclear) got "chưa hiểu", and "mấy giờ thì có người
    rep" (out of scope) was noted as the matter for the official."""
    requested = _turn("cho gặp người thật", "action_request_human", REPLY)
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    conversation.events += requested
    msgs, events = await conversation.say("lau the", "ask_duration")
    assert [m["text"] for m in msgs] == [MSG_STILL_WAITING]
    assert events == []
    fallback = ActionOutOfScope(redis=redis_client, settings=settings)
    for text, intent in [
        ("bao giờ thì có người trả lời", "nlu_fallback"),
        ("mấy giờ thì có người rep", "out_of_scope"),
    ]:
        dispatcher = CollectingDispatcher()
        message = parsed_message(text, [(intent, 0.5)])
        await fallback.run(dispatcher, tracker_after(message, requested), {})
        assert [m.get("text") for m in dispatcher.messages] == [MSG_STILL_WAITING], text
    assert await redis_client.llen(handoff_requests_key(settings)) == 0
    # Not right after the request, "lâu thế" asks a procedure's time.
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    await conversation.say("làm hộ chiếu ở đâu", "ask_location", "ho_chieu", name="hộ chiếu")
    msgs, _ = await conversation.say("lau the", "ask_duration")
    assert msgs[0]["text"].startswith("Thời gian giải quyết Cấp hộ chiếu")


async def test_still_no_official_a_few_turns_after_the_request_is_no_second_request(
    settings, redis_client
) -> None:
    """Batch 39: "cán bộ vẫn chưa vào à" (request_human) two turns after the request was
    recorded a second time and got the request reply again."""
    events = [
        *_turn("cho tôi gặp cán bộ", "action_request_human", REPLY),
        *_turn("sổ đỏ thường mất bao lâu", "action_answer_procedure", "Thời gian giải quyết …"),
    ]
    action = ActionRequestHuman(redis=redis_client, settings=settings)
    for text in ["cán bộ vẫn chưa vào à", "bao giờ cán bộ trả lời"]:
        dispatcher = CollectingDispatcher()
        message = parsed_message(text, [("request_human", 0.9)])
        await action.run(dispatcher, tracker_after(message, events), {})
        assert [m.get("text") for m in dispatcher.messages] == [MSG_STILL_WAITING], text
    assert await redis_client.llen(handoff_requests_key(settings)) == 0
    # Long after the request, or asking again in so many words: a request.
    many = events + [
        e
        for i in range(4)
        for e in _turn(f"câu hỏi {i}", "action_answer_procedure", f"trả lời {i}")
    ]
    for before, text in [(many, "cán bộ vẫn chưa vào à"), (events, "cho tôi gặp cán bộ")]:
        dispatcher = CollectingDispatcher()
        message = parsed_message(text, [("request_human", 0.9)])
        await action.run(dispatcher, tracker_after(message, before), {})
        assert REPLY in [m.get("text") for m in dispatcher.messages], text
    assert await redis_client.llen(handoff_requests_key(settings)) == 2


async def test_a_phone_number_right_after_a_subscription_reply_is_not_needed(
    settings, redis_client
) -> None:
    """Batches 60 and 62: "sdt toi 0986 214 337" right after "no such dossier, not
    subscribed" got the request for an official (request_human 0.8). Notifications come
    in the chat: the number is neither needed nor recorded."""
    from actions.dossier_lookup import (
        MSG_ALREADY,
        MSG_NOT_FOUND_NOT_FOLLOWED,
        MSG_PHONE_NOT_NEEDED,
        MSG_PHONE_NOT_NEEDED_NOT_FOUND,
    )

    code = "H49.22-260120-000415"
    not_found = _turn("dang ky bao cho toi", "action_subscribe_dossier",
                      MSG_NOT_FOUND_NOT_FOLLOWED.format(code=code))  # fmt: skip
    followed = _turn("bao cho toi", "action_subscribe_dossier", MSG_ALREADY.format(code=code))
    request = ActionRequestHuman(redis=redis_client, settings=settings)
    fallback = ActionOutOfScope(redis=redis_client, settings=settings)
    for action, text, before, expected in [
        (request, "sdt toi 0986 214 337", not_found, MSG_PHONE_NOT_NEEDED_NOT_FOUND.format(code=code)),
        (request, "dc, sdt nay luon", not_found, MSG_PHONE_NOT_NEEDED_NOT_FOUND.format(code=code)),
        (fallback, "so toi 0986214337 nhe", followed, MSG_PHONE_NOT_NEEDED),
    ]:  # fmt: skip
        dispatcher = CollectingDispatcher()
        intent = "request_human" if action is request else "out_of_scope"
        await action.run(
            dispatcher, tracker_after(parsed_message(text, [(intent, 0.8)]), before), {}
        )
        assert [m["text"] for m in dispatcher.messages] == [expected], text
    assert await redis_client.llen(handoff_requests_key(settings)) == 0
    # An official asked for in so many words is still a request.
    dispatcher = CollectingDispatcher()
    message = parsed_message("cho toi gap can bo, sdt 0986214337", [("request_human", 0.9)])
    await request.run(dispatcher, tracker_after(message, not_found), {})
    assert [m["text"] for m in dispatcher.messages] == [REPLY]


async def test_a_number_after_the_honest_wait_is_still_added_to_the_request(
    settings, redis_client
) -> None:
    """Batch 60: after the request, "toi hoi viec tach thua dat cho con" ("cho con" is
    "for my child", no "chờ") is what the request is about; a number after the wait reply
    is still added to it."""
    assert not is_impatient("toi hoi viec tach thua dat cho con")
    assert is_impatient("cho 15p roi") and is_impatient("chờ lâu quá")
    fallback = ActionOutOfScope(redis=redis_client, settings=settings)
    waited = [
        *_turn("cho gap can bo", "action_request_human", REPLY),
        *_turn("lau qua", "action_out_of_scope", MSG_STILL_WAITING),
    ]
    dispatcher = CollectingDispatcher()
    message = parsed_message("so toi 0336 558 120, goi sau 5h chieu nhe", [("out_of_scope", 0.53)])
    await fallback.run(dispatcher, tracker_after(message, waited), {})
    assert [m["text"] for m in dispatcher.messages] == [MSG_CONTACT_NOTED]
    assert await redis_client.llen(handoff_requests_key(settings)) == 1


async def test_waiting_a_few_turns_after_the_request_gets_the_honest_wait(
    settings, redis_client
) -> None:
    """Batches 63-65: after the request and an answer in between, "bao lau thi co nguoi tra
    loi" got khai sinh's time, "nhanh len toi dang ban" got "chưa hiểu" and "thoi de chieu
    goi" a second request."""
    events = [
        *_turn("cho gap can bo ho tich", "action_request_human", REPLY),
        *_turn("ve viec khai sinh cho con", "action_answer_procedure", "Đăng ký khai sinh …"),
    ]
    answerer = ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR))
    fallback = ActionOutOfScope(redis=redis_client, settings=settings)
    request = ActionRequestHuman(redis=redis_client, settings=settings)
    for action, text, intent, expected in [
        (answerer, "bao lau thi co nguoi tra loi", "ask_duration", MSG_STILL_WAITING),
        (fallback, "nhanh len toi dang ban", "out_of_scope", MSG_STILL_WAITING),
        (fallback, "may h co nguoi tra loi", "out_of_scope", MSG_STILL_WAITING),
        (request, "thoi de chieu goi", "request_human", None),
    ]:
        dispatcher = CollectingDispatcher()
        await action.run(
            dispatcher, tracker_after(parsed_message(text, [(intent, 0.8)]), events), {}
        )
        if expected is None:
            assert [m.get("response") for m in dispatcher.messages] == ["utter_ok"], text
        else:
            assert [m.get("text") for m in dispatcher.messages] == [expected], text
    assert await redis_client.llen(handoff_requests_key(settings)) == 0
    # With no request before it, impatience is no wait.
    dispatcher = CollectingDispatcher()
    message = parsed_message("nhanh len toi dang ban", [("out_of_scope", 0.8)])
    await fallback.run(dispatcher, tracker_after(message, events[4:]), {})
    assert MSG_STILL_WAITING not in [m.get("text") for m in dispatcher.messages]


async def test_a_question_after_the_request_is_no_impatience(settings, redis_client) -> None:
    """Batch 71: "mà lần sau nộp online cho nhanh được không" two turns after the request got
    the wait reply ("nhanh")."""
    from actions.handoff_replies import impatient_after_the_request

    events = [
        *_turn("cho gap can bo", "action_request_human", REPLY),
        *_turn("toi muon khieu nai", "action_request_human", REPLY),
    ]
    assert not impatient_after_the_request("mà lần sau nộp online cho nhanh được không", events)
    assert impatient_after_the_request("nhanh len toi dang ban", events)


async def test_declining_the_official_records_no_request(settings, redis_client) -> None:
    """Batch 72: "vay thoi khoi gap can bo, cam on" (request_human) recorded a request."""
    from actions.handoff import declines_the_official

    request = ActionRequestHuman(redis=redis_client, settings=settings)
    message = parsed_message("vay thoi khoi gap can bo, cam on", [("request_human", 0.9)])
    dispatcher = CollectingDispatcher()
    await request.run(dispatcher, tracker_after(message, []), {})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_thank"]
    assert await redis_client.llen(handoff_requests_key(settings)) == 0
    assert not declines_the_official("cho toi gap can bo")
    assert declines_the_official("khong can noi chuyen voi nguoi that dau")


async def test_a_number_read_as_no_after_a_subscription_reply(settings, redis_client) -> None:
    """Batch 73: "0912345678 ạ, nhầm" (deny) right after "not found, not subscribed"."""
    from actions.affirm import ActionDeny
    from actions.dossier_lookup import MSG_NOT_FOUND_NOT_FOLLOWED, MSG_PHONE_NOT_NEEDED_NOT_FOUND

    code = "000.21.01.H49-260115-0012"
    before = _turn(
        "dk nhan tb", "action_subscribe_dossier", MSG_NOT_FOUND_NOT_FOLLOWED.format(code=code)
    )
    deny = ActionDeny(redis=redis_client, settings=settings)
    dispatcher = CollectingDispatcher()
    message = parsed_message("0912345678 ạ, nhầm", [("deny", 0.7)])
    await deny.run(dispatcher, tracker_after(message, before), {})
    assert [m["text"] for m in dispatcher.messages] == [
        MSG_PHONE_NOT_NEEDED_NOT_FOUND.format(code=code)
    ]
