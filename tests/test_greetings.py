"""A greeting with small talk after it gets the greeting (``actions.greetings``)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionOutOfScope
from actions.greetings import greets_in_passing
from bot.kb import KnowledgeBaseStore
from bot.settings import Settings
from tests.labelled import labelled_examples
from tests.project import DOMAIN, KB_DIR
from tests.trackers import parsed_message, tracker_after


@pytest.mark.parametrize(
    ("text", "greets"),
    [
        ("Chào buổi sáng nhé bot, nay Hạ Long mưa quá trời", True),  # batch 106
        ("xin chào, hôm nay trời đẹp quá", True),
        ("Chào cán bộ. Hôm nay trời rét quá. Cán bộ có khỏe không?", True),  # batch 112
        ("chào bạn, có làm online được không", False),
        ("chào bạn, mình muốn làm căn cước", False),  # a request follows
        ("chao em, toi hoi may lan roi, em lam viec den may gio", False),  # asks
        ("chào nhé, mình đi đây", False),  # leaving
        ("chào ad, mai e quay lai hoi tiep", False),
        ("hôm nay trời mưa quá", False),  # no greeting
    ],
)
def test_a_greeting_in_passing(text: str, greets: bool) -> None:
    assert greets_in_passing(text) is greets


def test_no_labelled_out_of_scope_example_is_a_greeting_in_passing() -> None:
    assert [t for i, t in labelled_examples() if i == "out_of_scope" and greets_in_passing(t)] == []


async def test_the_out_of_scope_reading_gets_the_greeting(
    settings: Settings, redis_client: Any
) -> None:
    action = ActionOutOfScope(
        redis=redis_client, settings=settings, store=KnowledgeBaseStore(directory=KB_DIR)
    )
    message = parsed_message(
        "Chào buổi sáng nhé bot, nay Hạ Long mưa quá trời", [("out_of_scope", 0.9)]
    )
    dispatcher = CollectingDispatcher()
    assert await action.run(dispatcher, tracker_after(message, []), DOMAIN) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_greet"]
