"""Base for the Redis actions that first try to answer the message from the knowledge base
(``action_fallback``, ``action_out_of_scope``, ``action_request_human``): a misread
follow-up, a life event, a question about who goes (:mod:`actions.follow_ups`)."""

from __future__ import annotations

from abc import ABCMeta

import redis.asyncio as aioredis

from actions.procedures import ActionAnswerProcedure
from actions.redis_action import RedisAction
from bot.kb import KnowledgeBaseStore
from bot.settings import Settings


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
