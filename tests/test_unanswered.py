"""What the assistant did not answer: the actions that record it (real Redis) and the
editors' report that reads it back (``python -m bot.kb.unanswered``)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback, ActionOutOfScope
from actions.not_covered import MSG_NOT_COVERED
from actions.procedures import BUTTONS_OFFICIAL
from bot.kb.unanswered import group, main, read, record, unanswered_key
from bot.settings import Settings
from tests.project import DOMAIN
from tests.trackers import listening_tracker


def _tracker(text: str, intent: str = "nlu_fallback", guess: str = "ask_fee") -> Tracker:
    ranking = [{"name": intent, "confidence": 0.3}]
    if intent == "nlu_fallback":
        ranking.append({"name": guess, "confidence": 0.21})
    return listening_tracker(
        sender_id="zalo:123",
        slots={},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.3},
            "intent_ranking": ranking,
            "entities": [],
        },
        events=[{"event": "user", "text": text, "input_channel": "rest"}],
    )


async def _entries(redis_client: Any, settings: Settings) -> list[dict[str, Any]]:
    raw = await redis_client.lrange(unanswered_key(settings.redis.key_prefix), 0, -1)
    return [json.loads(x) for x in raw]


async def test_fallback_utters_the_default_and_records_the_question_masked(
    settings, redis_client
) -> None:
    action = ActionFallback(redis=redis_client, settings=settings)
    dispatcher = CollectingDispatcher()
    text = "em là Trần Thị Bích sđt 0912345678 cccd 001099012345 hỏi về vé tàu " + "x" * 800
    assert await action.run(dispatcher, _tracker(text), DOMAIN) == []
    assert dispatcher.messages[0]["response"] == "utter_default"

    (entry,) = await _entries(redis_client, settings)
    assert "0912345678" not in entry["text"] and "001099012345" not in entry["text"]
    assert entry["text"].startswith("em là T*** T** B*** sđt")
    assert "vé tàu" in entry["text"] and len(entry["text"]) <= 500
    assert entry["intent"] == "nlu_fallback" and entry["guess"] == "ask_fee"
    assert entry["channel"] == "rest"


async def test_a_procedure_no_entry_holds_is_said_so_and_kept_for_editors(
    settings, redis_client
) -> None:
    """ "còn visa nhật thì bên mình có hướng dẫn không" got "chưa hiểu" (batch 26)."""
    action = ActionFallback(redis=redis_client, settings=settings)
    dispatcher = CollectingDispatcher()
    text = "còn visa nhật thì bên mình có hướng dẫn không ạ"
    events = await action.run(dispatcher, _tracker(text), DOMAIN)
    (reply,) = dispatcher.messages
    assert reply["text"] == MSG_NOT_COVERED.format(name="thị thực (visa)")
    assert reply["buttons"] == BUTTONS_OFFICIAL
    assert events == [SlotSet("procedure", None), SlotSet("last_aspect", None)]
    (entry,) = await _entries(redis_client, settings)
    assert entry["text"] == text and "procedure" not in entry


async def test_a_fallback_predicted_after_the_bot_replied_to_the_message_only_listens(
    settings, redis_client
) -> None:
    """The policies' fallback after a status look-up that already answered the message
    (it used to answer the same message again until Rasa's circuit breaker tripped)."""
    action = ActionFallback(redis=redis_client, settings=settings)
    tracker = _tracker("à nhầm, 00000012H49 251002 0016")
    tracker.events.extend(
        [
            {"event": "action", "name": "action_check_dossier_status"},
            {"event": "bot", "text": "Tôi không tìm thấy hồ sơ có mã …"},
        ]
    )
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages == []
    assert events == [{"event": "followup", "timestamp": None, "name": "action_listen"}]
    assert await _entries(redis_client, settings) == []


async def test_out_of_scope_utters_its_answer_and_records_the_question(
    settings, redis_client
) -> None:
    action = ActionOutOfScope(redis=redis_client, settings=settings)
    assert action.name() == "action_out_of_scope"
    dispatcher = CollectingDispatcher()
    tracker = _tracker("giá vàng hôm nay bao nhiêu", intent="out_of_scope")
    assert await action.run(dispatcher, tracker, DOMAIN) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]
    (entry,) = await _entries(redis_client, settings)
    assert entry["text"] == "giá vàng hôm nay bao nhiêu"
    assert entry["intent"] == entry["guess"] == "out_of_scope"


async def test_a_mistyped_code_read_as_out_of_scope_gets_the_format(settings, redis_client) -> None:
    """Batch 20: "tra ho so 000.00.22.H45-240603-12" read as out of scope (0.52, status
    0.45) got "ngoài phạm vi"; it gets what the dossier form says of a code mistyped."""
    from actions.dossier import MSG_BAD_FORMAT

    action = ActionOutOfScope(redis=redis_client, settings=settings)
    text = "tra ho so 000.00.22.H45-240603-12"
    tracker = _tracker(text, intent="out_of_scope")
    tracker.latest_message["intent_ranking"] = [
        {"name": "out_of_scope", "confidence": 0.52},
        {"name": "check_dossier_status", "confidence": 0.45},
    ]
    dispatcher = CollectingDispatcher()
    assert await action.run(dispatcher, tracker, DOMAIN) == []
    assert [m.get("text") or m.get("response") for m in dispatcher.messages] == [
        MSG_BAD_FORMAT.format(text="000.00.22.H45-240603-12"),
        "utter_ask_dossier_code",
    ]
    assert await _entries(redis_client, settings) == []
    # "hồ sơ" beside it says a code too (batch 89: no agency in it).
    text = "ho so sang ten o to ma 000.00.15-251119-0045"
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, _tracker(text, intent="out_of_scope"), DOMAIN)
    assert dispatcher.messages[0]["text"] == MSG_BAD_FORMAT.format(text="000.00.15-251119-0045")
    # Without a status reading behind it, such a number is out of scope as before.
    tracker = _tracker("mã giảm giá 240603-12 dùng sao", intent="out_of_scope")
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]


async def test_a_question_to_come_gets_the_greeting(settings, redis_client) -> None:
    """Batch 21: "cho e hoi" (out of scope 0.98) got "ngoài phạm vi"."""
    from actions.fallback import asks_to_ask

    action = ActionOutOfScope(redis=redis_client, settings=settings)
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, _tracker("cho e hoi", intent="out_of_scope"), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_greet"]
    assert await _entries(redis_client, settings) == []
    assert asks_to_ask("ad ơi cho mình hỏi chút") and asks_to_ask("em muốn hỏi ạ")
    assert not asks_to_ask("cho e hỏi lệ phí") and not asks_to_ask("cho hỏi thủ tục")
    # Batch 76: the bot called and nothing more ("cháu ơi", out of scope).
    assert asks_to_ask("cháu ơi") and asks_to_ask("alo ad ơi") and asks_to_ask("bot ơi ạ")
    assert not asks_to_ask("chị ơi mất căn cước")


async def test_leaving_to_do_something_gets_ok(settings, redis_client) -> None:
    """Batches 20, 23: "ok để e bảo ck", "thôi để e hỏi xã" got "chưa hiểu"."""
    from actions.fallback import leaves_to_act

    action = ActionFallback(redis=redis_client, settings=settings)
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, _tracker("thôi để e hỏi xã"), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_ok"]
    assert await _entries(redis_client, settings) == []
    assert leaves_to_act("ok de e ve hoi ca nha") and leaves_to_act("để mình xem lại đã")
    assert not leaves_to_act("để e hỏi lệ phí làm hộ chiếu")  # asks it


async def test_the_unanswered_list_is_capped(settings, redis_client) -> None:
    small = dataclasses.replace(
        settings, kb=dataclasses.replace(settings.kb, unanswered_max_entries=3)
    )
    action = ActionFallback(redis=redis_client, settings=small)
    for i in range(5):
        await action.run(CollectingDispatcher(), _tracker(f"câu hỏi {i}"), DOMAIN)
    texts = [e["text"] for e in await _entries(redis_client, small)]
    assert texts == ["câu hỏi 4", "câu hỏi 3", "câu hỏi 2"]


@pytest.mark.parametrize("action_class", [ActionFallback, ActionOutOfScope])
async def test_the_reply_goes_out_when_redis_is_down(settings, action_class) -> None:
    import redis.asyncio as aioredis

    dead = aioredis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    dispatcher = CollectingDispatcher()
    await action_class(redis=dead, settings=settings).run(
        dispatcher, _tracker("gì đó", intent="out_of_scope"), DOMAIN
    )
    assert [m["response"] for m in dispatcher.messages] == [action_class.response]
    await dead.close()


def test_group_folds_wordings_and_puts_the_most_asked_first() -> None:
    entries = [
        {"text": "Lệ phí visa?", "intent": "nlu_fallback", "guess": "ask_fee", "ts": 300.0},
        {"text": "thủ tục ly hôn", "intent": "out_of_scope", "ts": 250.0},
        {"text": "le phi  visa", "intent": "nlu_fallback", "guess": "ask_fee", "ts": 200.0},
        {"text": "lệ phí visa", "intent": "out_of_scope", "ts": 100.0},
        {"text": "?!", "intent": "nlu_fallback", "ts": 50.0},  # no words: nothing to group
        {"text": "thủ tục ly hôn", "intent": "out_of_scope", "ts": "hôm qua"},  # hand-edited
    ]
    visa, divorce = group(entries)
    assert (visa.key, visa.count) == ("le phi visa", 3)
    assert (visa.text, visa.last_ts) == ("Lệ phí visa?", 300)  # the latest wording
    # Behind a fallback, the classifier's guess is what editors want to see.
    assert visa.intents == {"ask_fee": 2, "out_of_scope": 1}
    assert (divorce.count, divorce.intents) == (2, {"out_of_scope": 2})
    assert (divorce.text, divorce.last_ts) == ("thủ tục ly hôn", 250.0)
    # 300 s after the epoch, in Vietnam's time (UTC+7).
    assert str(visa) == "   3  1970-01-01 07:05  Lệ phí visa?  [ask_fee ×2, out_of_scope ×1]"


def test_group_names_the_procedure_a_question_was_about() -> None:
    entries = [
        {"text": "có bị phạt ko", "intent": "out_of_scope", "procedure": "khai_sinh", "ts": 3.0},
        {"text": "co bi phat ko", "intent": "out_of_scope", "procedure": "khai_tu", "ts": 2.0},
        {"text": "có bị phạt không", "intent": "out_of_scope", "ts": 1.0},
        {"text": "Có bị phạt ko?", "intent": "out_of_scope", "procedure": "khai_sinh", "ts": 0.0},
    ]
    (fine, other) = group(entries)
    assert fine.procedures == {"khai_sinh": 2, "khai_tu": 1} and not other.procedures
    assert str(fine).endswith("[out_of_scope ×3]  (about khai_sinh, khai_tu)")
    assert str(other).endswith("[out_of_scope ×1]")


def test_group_breaks_ties_by_the_latest() -> None:
    older = {"text": "a b", "intent": "out_of_scope", "ts": 1.0}
    newer = {"text": "c d", "intent": "out_of_scope", "ts": 2.0}
    assert [g.text for g in group([older, newer])] == ["c d", "a b"]


async def test_read_skips_items_that_are_not_entries(settings, redis_client) -> None:
    key = unanswered_key(settings.redis.key_prefix)
    await record(redis_client, key, {"text": "hỏi về visa", "ts": 1.0}, max_entries=10)
    await redis_client.rpush(key, b"not json", b"[1, 2]", b'{"no": "text"}')
    assert [e["text"] for e in await read(redis_client, key)] == ["hỏi về visa"]


async def test_the_report_prints_what_was_recorded(settings, redis_client, capsys) -> None:
    fallback = ActionFallback(redis=redis_client, settings=settings)
    out_of_scope = ActionOutOfScope(redis=redis_client, settings=settings)
    for text in ("thủ tục nhận con nuôi", "Thủ tục nhận con nuôi?", "thu tuc ly hon"):
        await out_of_scope.run(CollectingDispatcher(), _tracker(text, "out_of_scope"), DOMAIN)
    await fallback.run(CollectingDispatcher(), _tracker("xkqw zzpt", guess="ask_fee"), DOMAIN)

    assert await _in_thread(main, ["--limit", "2"], settings) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"4 question(s) in {settings.redis.key_prefix}kb:unanswered, 3 different:"
    assert lines[1].split()[0] == "2" and "Thủ tục nhận con nuôi?" in lines[1]
    assert "[out_of_scope ×2]" in lines[1]
    assert len(lines) == 4 and lines[3] == "… and 1 more (--limit)"

    assert await _in_thread(main, ["--intent", "ask_fee"], settings) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("1 question(s)") and "xkqw zzpt" in lines[1]


def test_the_report_says_when_redis_does_not_answer(settings, capsys) -> None:
    dead = dataclasses.replace(
        settings, redis=dataclasses.replace(settings.redis, url="redis://:secret@127.0.0.1:1/0")
    )
    assert main([], settings=dead) == 1
    err = capsys.readouterr().err
    assert "127.0.0.1:1/0 did not answer" in err and "secret" not in err


async def _in_thread(fn: Any, argv: list[str], settings: Settings) -> Any:
    """Run a command's ``main`` (it has its own event loop) beside the test's loop."""
    import asyncio

    return await asyncio.to_thread(lambda: fn(argv, settings=settings))


async def test_thanks_among_other_words_are_thanked_back(settings, redis_client) -> None:
    """Batch 32: "uh the bac biet roi, de bac goi bao chung no, cam on chau nhá" (unclear)
    got "chưa hiểu"; a question with the thanks is still a question."""
    action = ActionFallback(redis=redis_client, settings=settings)
    dispatcher = CollectingDispatcher()
    text = "uh the bac biet roi, de bac goi bao chung no, cam on chau nhá"
    assert await action.run(dispatcher, _tracker(text), DOMAIN) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_thank"]
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, _tracker("cảm ơn, mà visa làm ở đâu"), DOMAIN)
    assert [m.get("response") for m in dispatcher.messages] != ["utter_thank"]
