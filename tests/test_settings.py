"""The settings object: defaults, environment overrides, clear errors."""

from __future__ import annotations

import pytest

from bot.settings import Settings


def test_defaults_without_environment() -> None:
    s = Settings.from_env({})
    assert s.redis.url == "redis://127.0.0.1:6379/0"
    assert s.onestop.url is None  # no real system: the launcher starts the simulator
    assert s.rasa.action_url == "http://127.0.0.1:5055/webhook"


def test_environment_overrides() -> None:
    s = Settings.from_env(
        {
            "REDIS_URL": "redis://r:6380/2",
            "ONESTOP_URL": "http://x",
            "RASA_PORT": "6000",
            "LOG_JSON": "no",
        }
    )
    assert s.redis.url == "redis://r:6380/2"
    assert s.onestop.url == "http://x"
    assert s.rasa.url == "http://127.0.0.1:6000"
    assert s.log_json is False


def test_bad_number_names_the_variable() -> None:
    with pytest.raises(ValueError, match="GATEWAY_PORT"):
        Settings.from_env({"GATEWAY_PORT": "eighty"})


def test_settings_are_immutable() -> None:
    s = Settings.from_env({})
    with pytest.raises(AttributeError):
        s.redis.url = "redis://elsewhere"  # type: ignore[misc]
