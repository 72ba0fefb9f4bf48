"""One typed settings object, built from the environment.

Every process (Rasa components, action server, gateway, dispatcher, notifier, launcher)
reads its configuration through :func:`load_settings`; nothing else reads ``os.environ``.
Each area has its own frozen section so that a reader finds its knobs in one place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _str(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name)
    return default if value is None or value == "" else value


def _opt(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    return value or None


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True, kw_only=True)
class RedisSettings:
    url: str = "redis://127.0.0.1:6379/0"
    # Every key this project writes starts with this prefix (Rasa's tracker and lock
    # stores get their own sub-prefixes in endpoints.yml).
    key_prefix: str = "tlcd:"
    # Where a Redis started by the launcher keeps its AOF/RDB files.
    data_dir: Path = PROJECT_ROOT / "var" / "redis"


@dataclass(frozen=True, kw_only=True)
class RasaSettings:
    url: str = "http://127.0.0.1:5005"
    port: int = 5005
    action_port: int = 5055
    action_url: str = "http://127.0.0.1:5055/webhook"
    model_dir: Path = PROJECT_ROOT / "models"


@dataclass(frozen=True, kw_only=True)
class KnowledgeBaseSettings:
    procedures_dir: Path = PROJECT_ROOT / "nlu_data" / "procedures"
    # Seconds between checks of the procedure files' modification times (hot reload).
    reload_interval_s: float = 2.0
    # Questions the bot could not answer, kept for editors (newest first, capped).
    unanswered_max_entries: int = 1000
    # `make validate` lists the entries whose facts were checked longer ago than this.
    review_after_days: int = 180


@dataclass(frozen=True, kw_only=True)
class OneStopSettings:
    # None means "no real system configured": the launcher starts the simulator.
    url: str | None = None
    api_key: str | None = None
    bearer_token: str | None = None
    timeout_s: float = 3.0
    retries: int = 2
    backoff_base_s: float = 0.2
    cache_ttl_s: int = 60
    breaker_failures: int = 5
    breaker_reset_s: float = 30.0
    simulator_port: int = 8090
    # Look-ups allowed per conversation / per sender within the window.
    rate_limit_per_conversation: int = 10
    rate_limit_per_sender: int = 20
    rate_limit_window_s: int = 600
    # Look-ups that find nothing, per sender and window: guessing codes stops here.
    rate_limit_not_found_per_sender: int = 5
    max_subscriptions_per_conversation: int = 5
    notifier_poll_interval_s: float = 30.0


@dataclass(frozen=True, kw_only=True)
class GatewaySettings:
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str | None = None
    max_body_bytes: int = 64 * 1024
    dedupe_ttl_s: int = 24 * 3600
    stream_maxlen: int = 100_000
    workers: int = 4
    sender_rate_limit: int = 20
    sender_rate_window_s: int = 60
    outbox_max_attempts: int = 6
    outbox_backoff_base_s: float = 0.5
    outbox_backoff_max_s: float = 30.0
    rasa_timeout_s: float = 30.0
    # Dispatcher/outbox consumers: a message pending this long on a silent consumer is
    # claimed by another one (live consumers refresh theirs well within this).
    claim_min_idle_ms: int = 60_000
    # Conversations handled at once by one consumer.
    worker_concurrency: int = 32
    # Longest wait for an earlier message of the same conversation before going on anyway.
    order_wait_max_s: float = 300.0
    # Cap of the backoff while Rasa is unreachable (the message waits, unacknowledged).
    rasa_retry_max_s: float = 5.0
    outbox_send_timeout_s: float = 10.0
    web_reply_ttl_s: int = 24 * 3600
    web_poll_timeout_s: float = 25.0


@dataclass(frozen=True, kw_only=True)
class ZaloSettings:
    app_id: str | None = None
    app_secret: str | None = None
    oa_secret_key: str | None = None
    api_url: str = "https://openapi.zalo.me"
    oauth_url: str = "https://oauth.zaloapp.com"
    # Seed tokens; the live ones are kept (and rotated) in Redis.
    access_token: str | None = None
    refresh_token: str | None = None


@dataclass(frozen=True, kw_only=True)
class TelegramSettings:
    bot_token: str | None = None
    webhook_secret: str | None = None
    api_url: str = "https://api.telegram.org/bot"
    mode: str = "webhook"  # or "polling"


@dataclass(frozen=True, kw_only=True)
class Settings:
    environment: str = "development"
    log_level: str = "INFO"
    log_json: bool = True
    redis: RedisSettings = field(default_factory=RedisSettings)
    rasa: RasaSettings = field(default_factory=RasaSettings)
    kb: KnowledgeBaseSettings = field(default_factory=KnowledgeBaseSettings)
    onestop: OneStopSettings = field(default_factory=OneStopSettings)
    gateway: GatewaySettings = field(default_factory=GatewaySettings)
    zalo: ZaloSettings = field(default_factory=ZaloSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``env`` (default: the process environment)."""
        e: Mapping[str, str] = os.environ if env is None else env
        rasa_port = _int(e, "RASA_PORT", 5005)
        action_port = _int(e, "ACTION_PORT", 5055)
        return cls(
            environment=_str(e, "APP_ENV", "development"),
            log_level=_str(e, "LOG_LEVEL", "INFO").upper(),
            log_json=_bool(e, "LOG_JSON", True),
            redis=RedisSettings(
                url=_str(e, "REDIS_URL", "redis://127.0.0.1:6379/0"),
                key_prefix=_str(e, "REDIS_KEY_PREFIX", "tlcd:"),
                data_dir=Path(_str(e, "REDIS_DATA_DIR", str(PROJECT_ROOT / "var" / "redis"))),
            ),
            rasa=RasaSettings(
                url=_str(e, "RASA_URL", f"http://127.0.0.1:{rasa_port}"),
                port=rasa_port,
                action_port=action_port,
                action_url=_str(
                    e, "ACTION_ENDPOINT_URL", f"http://127.0.0.1:{action_port}/webhook"
                ),
                model_dir=Path(_str(e, "MODEL_DIR", str(PROJECT_ROOT / "models"))),
            ),
            kb=KnowledgeBaseSettings(
                procedures_dir=Path(
                    _str(e, "KB_DIR", str(PROJECT_ROOT / "nlu_data" / "procedures"))
                ),
                reload_interval_s=_float(e, "KB_RELOAD_INTERVAL_S", 2.0),
                unanswered_max_entries=_int(e, "KB_UNANSWERED_MAX", 1000),
                review_after_days=_int(e, "KB_REVIEW_AFTER_DAYS", 180),
            ),
            onestop=OneStopSettings(
                url=_opt(e, "ONESTOP_URL"),
                api_key=_opt(e, "ONESTOP_API_KEY"),
                bearer_token=_opt(e, "ONESTOP_TOKEN"),
                timeout_s=_float(e, "ONESTOP_TIMEOUT_S", 3.0),
                retries=_int(e, "ONESTOP_RETRIES", 2),
                backoff_base_s=_float(e, "ONESTOP_BACKOFF_S", 0.2),
                cache_ttl_s=_int(e, "ONESTOP_CACHE_TTL_S", 60),
                breaker_failures=_int(e, "ONESTOP_BREAKER_FAILURES", 5),
                breaker_reset_s=_float(e, "ONESTOP_BREAKER_RESET_S", 30.0),
                simulator_port=_int(e, "SIMULATOR_PORT", 8090),
                rate_limit_per_conversation=_int(e, "LOOKUP_LIMIT_PER_CONVERSATION", 10),
                rate_limit_per_sender=_int(e, "LOOKUP_LIMIT_PER_SENDER", 20),
                rate_limit_window_s=_int(e, "LOOKUP_LIMIT_WINDOW_S", 600),
                rate_limit_not_found_per_sender=_int(e, "LOOKUP_NOT_FOUND_LIMIT", 5),
                max_subscriptions_per_conversation=_int(e, "DOSSIER_MAX_SUBSCRIPTIONS", 5),
                notifier_poll_interval_s=_float(e, "NOTIFIER_POLL_INTERVAL_S", 30.0),
            ),
            gateway=GatewaySettings(
                host=_str(e, "GATEWAY_HOST", "127.0.0.1"),
                port=_int(e, "GATEWAY_PORT", 8080),
                public_url=_opt(e, "GATEWAY_PUBLIC_URL"),
                max_body_bytes=_int(e, "GATEWAY_MAX_BODY_BYTES", 64 * 1024),
                dedupe_ttl_s=_int(e, "GATEWAY_DEDUPE_TTL_S", 24 * 3600),
                stream_maxlen=_int(e, "GATEWAY_STREAM_MAXLEN", 100_000),
                workers=_int(e, "DISPATCHER_WORKERS", 4),
                sender_rate_limit=_int(e, "SENDER_RATE_LIMIT", 20),
                sender_rate_window_s=_int(e, "SENDER_RATE_WINDOW_S", 60),
                outbox_max_attempts=_int(e, "OUTBOX_MAX_ATTEMPTS", 6),
                outbox_backoff_base_s=_float(e, "OUTBOX_BACKOFF_BASE_S", 0.5),
                outbox_backoff_max_s=_float(e, "OUTBOX_BACKOFF_MAX_S", 30.0),
                rasa_timeout_s=_float(e, "RASA_TIMEOUT_S", 30.0),
                claim_min_idle_ms=_int(e, "DISPATCHER_CLAIM_MIN_IDLE_MS", 60_000),
                worker_concurrency=_int(e, "DISPATCHER_CONCURRENCY", 32),
                order_wait_max_s=_float(e, "DISPATCHER_ORDER_WAIT_MAX_S", 300.0),
                rasa_retry_max_s=_float(e, "RASA_RETRY_MAX_S", 5.0),
                outbox_send_timeout_s=_float(e, "OUTBOX_SEND_TIMEOUT_S", 10.0),
                web_reply_ttl_s=_int(e, "WEB_REPLY_TTL_S", 24 * 3600),
                web_poll_timeout_s=_float(e, "WEB_POLL_TIMEOUT_S", 25.0),
            ),
            zalo=ZaloSettings(
                app_id=_opt(e, "ZALO_APP_ID"),
                app_secret=_opt(e, "ZALO_APP_SECRET"),
                oa_secret_key=_opt(e, "ZALO_OA_SECRET_KEY"),
                api_url=_str(e, "ZALO_API_URL", "https://openapi.zalo.me"),
                oauth_url=_str(e, "ZALO_OAUTH_URL", "https://oauth.zaloapp.com"),
                access_token=_opt(e, "ZALO_ACCESS_TOKEN"),
                refresh_token=_opt(e, "ZALO_REFRESH_TOKEN"),
            ),
            telegram=TelegramSettings(
                bot_token=_opt(e, "TELEGRAM_BOT_TOKEN"),
                webhook_secret=_opt(e, "TELEGRAM_WEBHOOK_SECRET"),
                api_url=_str(e, "TELEGRAM_API_URL", "https://api.telegram.org/bot"),
                mode=_str(e, "TELEGRAM_MODE", "webhook"),
            ),
        )


@lru_cache(maxsize=1)
def load_settings() -> Settings:
    """The process-wide settings (built once from the environment)."""
    return Settings.from_env()
