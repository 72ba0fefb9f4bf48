"""A scam told or pasted gets a warning (``actions.scams``); the portal or the VNeID app
failing gets what can still be done (``actions.portal_trouble``)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback, ActionOutOfScope
from actions.handoff import ActionRequestHuman
from actions.handoff_replies import BUTTONS_OFFICIAL
from actions.portal_trouble import MSG_PORTAL_TROUBLE, tells_of_portal_trouble
from actions.procedures import ActionAnswerProcedure
from actions.scams import MSG_SCAM, tells_of_a_scam
from bot.kb import KnowledgeBaseStore
from bot.settings import Settings
from tests.labelled import labelled_examples
from tests.project import DOMAIN, KB_DIR
from tests.trackers import Conversation, parsed_message, tracker_after

_SMS = (
    'em nhận được tin nhắn "Bo Cong an thong bao tai khoan dinh danh cua ban bi khoa, truy '
    'cap http://vneid-gov.com de xac thuc" có phải thật không'
)
_CALL = "có người gọi tự xưng công an phường bảo tôi cài app để cập nhật căn cước, có đúng ko"


@pytest.mark.parametrize(
    "text",
    [
        _SMS,
        _CALL,
        "Bo Cong an thong bao tai khoan dinh danh cua ban bi khoa, truy cap vneid-gov.com de xac thuc",
        "co nguoi goi bao la can bo bhxh, bat doc ma otp de cap nhat the bhyt",
        "có số lạ gọi bảo phải chuyển khoản 500k để làm căn cước nhanh, đúng không ạ",
        "ai đó nhắn zalo gửi link bảo bấm vào link để nhận lại tiền bảo hiểm, có nên bấm không",
    ],
)
def test_scams(text: str) -> None:
    assert tells_of_a_scam(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("vào dichvucong.gov.vn nộp có phải thật không", "an official site"),
        ("đọc trên thuvienphapluat.vn thấy lệ phí 50k có đúng ko", "a source doubted, no scam"),
        ("cho hỏi giá làm căn cước bao nhiêu", "'giá làm' is no 'giả làm'"),
        ("nộp lệ phí chuyển khoản được không", "paying a fee online"),
        ("tài khoản định danh mức 2 bị khóa thì mở ở đâu", "no call, no link"),
    ],
)
def test_not_scams(text: str, why: str) -> None:
    assert not tells_of_a_scam(text), why


def test_one_labelled_example_is_a_scam_told() -> None:
    assert [t for _, t in labelled_examples() if tells_of_a_scam(t)] == [
        "sao dạo này hay có người giả danh công an gọi điện lừa vậy"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "nộp online trên cổng dịch vụ công cứ báo lỗi không tải file lên được, làm sao bây giờ",
        "vao dichvucong.gov.vn dang nhap vneid bi loi hoai",
        "app vneid ko đăng nhập được ạ",
        "dvc quay mai khong vao duoc",
        "cái vneid c đăng nhập mãi k đc, báo sai mật khẩu, e giúp c với",  # batch 113
    ],
)
def test_portal_trouble(text: str) -> None:
    assert tells_of_portal_trouble(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("app ngân hàng cứ báo lỗi ko chuyển được tiền là sao ạ", "not the portal"),
        ("em sắp cưới, làm bảo hiểm y tế trên vneid được không ạ", "'sắp' is no 'sập'"),
        ("khai tử không nộp trên dịch vụ công được à", "whether it can be applied for online"),
        ("cán bộ dvc trả lời chậm quá", "'trả lời' is no 'lỗi'"),
    ],
)
def test_no_portal_trouble(text: str, why: str) -> None:
    assert not tells_of_portal_trouble(text), why


def test_labelled_portal_trouble_is_all_of_the_portal_failing() -> None:
    assert sorted(t for _, t in labelled_examples() if tells_of_portal_trouble(t)) == sorted(
        [
            "em quên mật khẩu dịch vụ công thì đăng nhập bằng vneid được không ạ",
            "quen mat khau dich vu cong thi lay lai kieu gi",
            "dang nhap dich vu cong bang vneid bi loi thi lam sao",
            "chuyen khau tren dich vu cong bi bao loi hoai, co cach nao khac online ko",
            "dang ki xe tren cong dich vu cong bi loi, con cach nao lam online khac khong a",
            "vneid báo lỗi ko nộp được, còn cách online nào khác không",
        ]
    )


def _procedure_action() -> ActionAnswerProcedure:
    return ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR))


async def test_a_scam_naming_a_procedure_gets_the_warning_not_the_procedure() -> None:
    conversation = Conversation(_procedure_action())
    msgs, events = await conversation.say(_CALL, "ask_procedure", "can_cuoc", name="căn cước")
    assert [(m["text"], m["buttons"]) for m in msgs] == [(MSG_SCAM, BUTTONS_OFFICIAL)]
    assert events == []


async def test_a_scam_read_as_a_request_for_an_official_gets_the_warning_first(
    settings: Settings, redis_client: Any
) -> None:
    action = ActionRequestHuman(
        redis=redis_client, settings=settings, store=KnowledgeBaseStore(directory=KB_DIR)
    )
    dispatcher = CollectingDispatcher()
    message = parsed_message(_CALL, [("request_human", 0.79)])
    events = await action.run(dispatcher, tracker_after(message, []), DOMAIN)
    assert [m["text"] for m in dispatcher.messages] == [MSG_SCAM]
    assert events == [{"event": "followup", "timestamp": None, "name": "action_listen"}]
    assert await redis_client.keys(f"{settings.redis.key_prefix}handoff*") == []


@pytest.mark.parametrize("action_class", [ActionOutOfScope, ActionFallback])
async def test_a_pasted_scam_message_misread_gets_the_warning(
    action_class: type[ActionFallback], settings: Settings, redis_client: Any
) -> None:
    action = action_class(
        redis=redis_client, settings=settings, store=KnowledgeBaseStore(directory=KB_DIR)
    )
    dispatcher = CollectingDispatcher()
    message = parsed_message(_SMS, [("out_of_scope", 0.6)])
    assert await action.run(dispatcher, tracker_after(message, []), DOMAIN) == []
    assert [m["text"] for m in dispatcher.messages] == [MSG_SCAM]


async def test_the_portal_failing_gets_what_can_still_be_done_and_keeps_the_procedure() -> None:
    conversation = Conversation(_procedure_action())
    await conversation.say("làm khai sinh cần gì", "ask_documents", "khai_sinh")
    text = "nộp online trên cổng dịch vụ công cứ báo lỗi không tải file lên được"
    msgs, events = await conversation.say(text, "ask_online")
    assert [(m["text"], m["buttons"]) for m in msgs] == [(MSG_PORTAL_TROUBLE, BUTTONS_OFFICIAL)]
    assert events == [] and conversation.slots["procedure"] == "khai_sinh"
    # Named, the procedure's online answer says what else to try (VNeID or the portal).
    named = "dang ki xe tren cong dich vu cong bi loi, con cach nao lam online khac khong a"
    msgs, _ = await conversation.say(named, "ask_online", "dang_ky_xe", name="dang ki xe")
    assert msgs[0]["text"] != MSG_PORTAL_TROUBLE
