"""Base for actions that write to Redis: a client made once per action, injectable in tests."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod

import redis.asyncio as aioredis
from rasa_sdk import Action

from bot.redis_client import connect
from bot.settings import Settings, load_settings


class RedisAction(Action, metaclass=ABCMeta):
    """An action with ``settings`` and a ``redis`` client, given or made once on first use.

    Abstract, so rasa-sdk does not register it as an action of its own.
    """

    def __init__(
        self, *, redis: aioredis.Redis | None = None, settings: Settings | None = None
    ) -> None:
        self._redis = redis
        self._settings = settings

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings()
        return self._settings

    @property
    def redis(self) -> aioredis.Redis:
        """The injected client, else one built from the settings (it connects on first use)."""
        if self._redis is None:
            self._redis = connect(self.settings.redis.url)
        return self._redis

    @abstractmethod
    def name(self) -> str: ...
