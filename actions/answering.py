"""Base for the Redis actions that first try to answer the message from the knowledge base
(``action_fallback``, ``action_out_of_scope``, ``action_request_human``, ``action_affirm``,
``action_bot_challenge``): a misread follow-up, a life event, a question about who goes
(:mod:`actions.follow_ups`), tried in an order each action gives (:meth:`answer_first`)."""

from __future__ import annotations

from abc import ABCMeta
from collections.abc import Callable, Sequence
from typing import Any

import redis.asyncio as aioredis
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.procedures import ActionAnswerProcedure, keep_if_no_answer
from actions.redis_action import RedisAction
from bot.kb import KnowledgeBaseStore
from bot.settings import Settings

# One way of answering the message from the knowledge base: its events, or None when it
# does not apply (having said nothing).
Step = Callable[[CollectingDispatcher, Tracker], "list[dict[str, Any]] | None"]


class AnsweringRedisAction(RedisAction, metaclass=ABCMeta):
    """A :class:`RedisAction` with ``_answerer``, the procedure action over ``store``.

    Abstract, so rasa-sdk does not register it as an action of its own.
    """

    def __init__(
        self,
        *,
        redis: aioredis.Redis | None = None,
        settings: Settings | None = None,
        store: KnowledgeBaseStore | None = None,
    ) -> None:
        super().__init__(redis=redis, settings=settings)
        self._answerer = ActionAnswerProcedure(store=store)

    async def answer_first(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, steps: Sequence[Step]
    ) -> list[dict[str, Any]] | None:
        """The events of the first of ``steps`` (ways the procedure action may answer the
        message, in order) that answers it, the question kept for editors when that answer
        says the entry holds none (:func:`actions.procedures.keep_if_no_answer`); None,
        saying nothing, when none does."""
        for step in steps:
            answered = step(dispatcher, tracker)
            if answered is not None:
                await keep_if_no_answer(self.redis, self.settings, dispatcher, tracker, answered)
                return answered
        return None
