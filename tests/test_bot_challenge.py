"""``action_bot_challenge``: the bot says what it is, unless a procedure question was misread
as asking that (real KB, real Redis)."""

from __future__ import annotations

import pytest

from actions.about_the_bot import (
    asks_the_bots_name,
    asks_what_the_bot_does,
    asks_when_the_bot_answers,
)
from actions.bot_challenge import MSG_IAMABOT, ActionBotChallenge, asked_of_a_procedure
from actions.not_covered import MSG_NOT_COVERED
from actions.procedures import ActionAnswerProcedure
from bot.kb import KnowledgeBaseStore
from tests.labelled import labelled_examples
from tests.project import KB_DIR
from tests.trackers import Conversation


@pytest.mark.parametrize(
    ("text", "names_one", "aspect"),
    [
        ("thế ai phải đi đăng ký", False, "ask_procedure"),  # batch 27, who goes
        ("bản vẽ có phải thuê công ty không hay tự vẽ được, mất mấy ngày", False, "ask_duration"),
        ("làm khai sinh là ai đi", True, "ask_procedure"),
        ("bạn là người hay máy", False, None),
        ("bạn là ai vậy", False, None),
        ("bot có biết khai sinh cần gì không", True, None),  # about the bot first
        ("ờ thế à", False, None),
        # Batch 28: a yes/no question on the procedure discussed ("xe máy" is no "máy").
        ("còn cái bằng xe máy A1 của vợ tôi có phải đổi không", False, "ask_procedure"),
        ("máy trả lời à", False, None),
        ("bạn là AI hả", False, None),
        ("mà a là ai thế, người của phường à", False, None),
    ],
)
def test_what_a_bot_challenge_reading_asks(text: str, names_one: bool, aspect: str | None) -> None:
    assert asked_of_a_procedure(text, names_one=names_one) == aspect


def test_the_labelled_challenges_stay_challenges() -> None:
    """No labelled bot_challenge example, with a procedure discussed, would be answered as a
    procedure question."""
    taken = [
        t
        for i, t in labelled_examples()
        if i == "bot_challenge" and asked_of_a_procedure(t, names_one=False) is not None
    ]
    assert taken == []


@pytest.fixture
def conversation() -> Conversation:
    return Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))


async def test_who_goes_misread_as_a_challenge_is_answered(conversation: Conversation) -> None:
    await conversation.say("Bố tôi vừa mất hôm qua, làm giấy khai tử thế nào", "ask_procedure")
    conversation.action = ActionBotChallenge(store=KnowledgeBaseStore(directory=KB_DIR))
    msgs, _ = await conversation.say("thế ai phải đi đăng ký", "bot_challenge")
    assert msgs[0]["text"].startswith("Ai phải có mặt, ai được làm thay – Đăng ký khai tử")
    assert conversation.slots["procedure"] == "khai_tu"
    msgs, events = await conversation.say("bạn là người hay máy", "bot_challenge")
    assert [m.get("text") for m in msgs] == [MSG_IAMABOT]
    assert events == []


async def test_with_no_procedure_discussed_it_is_the_challenge(conversation: Conversation) -> None:
    conversation.action = ActionBotChallenge(store=KnowledgeBaseStore(directory=KB_DIR))
    msgs, _ = await conversation.say("thế ai phải đi đăng ký", "bot_challenge")
    assert [m.get("text") for m in msgs] == [MSG_IAMABOT]


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("vậy bot làm được gì", True),  # batch 30, read as an overview question
        ("bạn giúp được gì cho tôi", True),
        ("thế cháu biết làm những việc gì", True),  # batch 36, an old man to the bot
        ("vậy bot trả lời đc cái gì", True),  # batch 37, read as bot_challenge
        ("hoi ban dc nhung gi", True),  # batch 64, read as the documents
        ("thế bot biết j", True),  # batch 80, read as out of scope
        ("ơ thế mày biết cái gì", True),  # batch 87
        ("ad biết những gì vậy", True),
        ("vay may biet lam cai gi", True),  # batch 104, after two out-of-scope answers
        ("thế e biết cái j", True),  # batch 113: the bot called "em"
        ("em biết gì về khai sinh", False),
        ("chồng tôi biết làm gì đâu", False),  # not the bot
        ("bạn biết gì về khai sinh", False),  # asks about khai sinh
        ("em làm gì để có tiền", False),  # "em" is the citizen
        ("khai sinh cần làm gì", False),
    ],
)
def test_what_the_bot_does_asked(text: str, asks: bool) -> None:
    assert asks_what_the_bot_does(text) is asks


async def test_what_the_bot_does_read_as_an_overview_gets_the_greeting(
    conversation: Conversation,
) -> None:
    msgs, events = await conversation.say("vậy bot làm được gì", "ask_procedure")
    assert [m.get("response") for m in msgs] == ["utter_greet"]
    assert events == []


async def test_what_the_bot_does_read_as_the_challenge_gets_the_greeting(
    conversation: Conversation,
) -> None:
    """Batch 37: "vậy bot trả lời đc cái gì" (bot_challenge) got "I am a bot"."""
    conversation.action = ActionBotChallenge(store=KnowledgeBaseStore(directory=KB_DIR))
    msgs, _ = await conversation.say("vậy bot trả lời đc cái gì", "bot_challenge")
    assert [m.get("response") for m in msgs] == ["utter_greet"]
    msgs, _ = await conversation.say("bạn là người hay máy", "bot_challenge")
    assert [m.get("text") for m in msgs] == [MSG_IAMABOT]


async def test_a_procedure_no_entry_holds_read_as_a_challenge_is_said_so(
    conversation: Conversation,
) -> None:
    """Batch 53: "giay phep lu hanh thi hoi ai" ("ask whom") got "I am a bot"."""
    conversation.action = ActionBotChallenge(store=KnowledgeBaseStore(directory=KB_DIR))
    msgs, _ = await conversation.say("giay phep lu hanh thi hoi ai", "bot_challenge")
    assert msgs[0]["text"] == MSG_NOT_COVERED.format(name="cấp giấy phép kinh doanh lữ hành")


def test_an_either_or_question_read_as_a_challenge_asks_of_the_procedure() -> None:
    """Batch 57: "có phải đăng ký ko hay ở với nhau thôi" after kết hôn got "I am a bot"."""
    text = "có phải đăng ký ko hay ở với nhau thôi"
    assert asked_of_a_procedure(text, names_one=False) == "ask_procedure"


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("ma ad tra loi ca chu nhat a", True),  # batch 68, got "chưa hiểu"
        ("bot co truc ban dem ko", True),
        ("chao em, toi hoi may lan roi, em lam viec den may gio", True),  # batch 104
        ("tối r mà vẫn rep nhanh ghê, bot có đc nghỉ ko đấy 😄", True),  # batch 116
        ("phuong lam viec den may gio", False),  # the office's hours
        ("phuong co lam chu nhat ko", False),  # the office's hours, not the bot's
        ("ad tra loi giup e", False),
    ],
)
def test_when_the_bot_answers_asked(text: str, asks: bool) -> None:
    assert asks_when_the_bot_answers(text) is asks


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("bot có tên không", True),  # batch 109, read as out of scope
        ("bạn tên là gì", True),
        ("tên con tôi có dấu không", False),
    ],
)
def test_the_bots_name_asked(text: str, asks: bool) -> None:
    assert asks_the_bots_name(text) is asks
