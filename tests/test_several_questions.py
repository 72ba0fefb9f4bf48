"""Several questions in one message, each about a procedure of its own
(``actions.several_questions``), and the procedure action answering each."""

from __future__ import annotations

from typing import Any

import pytest

from actions.procedures import ActionAnswerProcedure
from actions.several_questions import asked_one_by_one
from bot.kb import KnowledgeBaseStore, compose_answer
from tests.project import KB, KB_DIR
from tests.trackers import Conversation


def _named(text: str, *pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "entity": "procedure",
            "value": value,
            "start": text.index(name),
            "end": text.index(name) + len(name),
        }
        for name, value in pairs
    ]


BATCH_77 = (
    "bac can hoi 3 viec: 1 lam lai cccd bi gay, 2 doi bang lai xe may A1 bac co tu nam 1995, "
    "3 chung thuc ban sao so ho khau. Chau tra loi tung viec giup bac"
)


@pytest.mark.parametrize(
    ("text", "pairs", "expected"),
    [
        # Batch 77: three things, "trả lời từng việc": each its overview.
        (
            BATCH_77,
            (
                ("cccd", "can_cuoc"),
                ("doi bang lai", "giay_phep_lai_xe"),
                ("chung thuc ban sao so ho khau", "chung_thuc_ban_sao"),
            ),
            [
                ("can_cuoc", "ask_procedure"),
                ("giay_phep_lai_xe", "ask_procedure"),
                ("chung_thuc_ban_sao", "ask_procedure"),
            ],
        ),
        # Each clause asks its own aspect.
        (
            "làm căn cước cần gì, còn hộ chiếu thì bao lâu",
            (("căn cước", "can_cuoc"), ("hộ chiếu", "ho_chieu")),
            [("can_cuoc", "ask_documents"), ("ho_chieu", "ask_duration")],
        ),
        # Two papers in one clause, or one held already: not one by one.
        (
            "mất ví, trong đó có cả căn cước và bằng lái",
            (("căn cước", "can_cuoc"), ("bằng lái", "giay_phep_lai_xe")),
            None,
        ),
        (
            "e có cccd rồi, giờ làm hộ chiếu cần gì",
            (("cccd", "can_cuoc"), ("hộ chiếu", "ho_chieu")),
            None,
        ),
        ("khai sinh cần gì", (("khai sinh", "khai_sinh"),), None),
    ],
)
def test_asked_one_by_one(text: str, pairs: tuple[tuple[str, str], ...], expected: Any) -> None:
    assert asked_one_by_one(text, _named(text, *pairs)) == expected


async def test_each_clause_gets_its_answer() -> None:
    """Batch 77: the three things asked got "which procedure?"."""
    conversation = Conversation(ActionAnswerProcedure(store=KnowledgeBaseStore(directory=KB_DIR)))
    msgs, _ = await conversation.say(
        BATCH_77,
        "ask_procedure",
        named={
            "cccd": "can_cuoc",
            "doi bang lai": "giay_phep_lai_xe",
            "chung thuc ban sao so ho khau": "chung_thuc_ban_sao",
        },
    )
    assert [m["text"] for m in msgs] == [
        compose_answer(KB.get(p), "ask_procedure")
        for p in ("can_cuoc", "giay_phep_lai_xe", "chung_thuc_ban_sao")
    ]
    assert conversation.slots["procedure"] == "chung_thuc_ban_sao"
