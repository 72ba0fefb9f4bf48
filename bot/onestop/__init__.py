"""One-stop system (hệ thống một cửa) client: typed records, errors, breaker, cache, limits.

The bot depends only on the HTTP contract in ``docs/onestop-openapi.yaml``; pointing
``ONESTOP_URL`` at a real system (or the simulator) is the only change.
"""

from bot.onestop._breaker import BreakerState, CircuitBreaker
from bot.onestop._cache import NOT_FOUND, DossierCache
from bot.onestop._client import API_PREFIX, ClientStats, OneStopClient, auth_headers, base_url_of
from bot.onestop._errors import (
    CircuitOpen,
    CursorExpired,
    DossierNotFound,
    FeedNotSupported,
    MalformedResponse,
    OneStopError,
    OneStopUnavailable,
)
from bot.onestop._explain import (
    NATIONAL_LOOKUP_URL,
    change_notification,
    explain_status,
    fmt_date,
    fmt_vnd,
    overdue_note,
    status_answer,
    today_vn,
)
from bot.onestop._models import (
    FINAL_STATUSES,
    STATUS_LABELS,
    VN_TZ,
    Change,
    ChangePage,
    Dossier,
    DossierStatus,
    Fee,
    ProgressStep,
    parse_change_page,
    parse_datetime,
    parse_dossier,
)
from bot.onestop._ratelimit import Decision, Limit, RateLimiter

__all__ = [
    "API_PREFIX",
    "FINAL_STATUSES",
    "NATIONAL_LOOKUP_URL",
    "NOT_FOUND",
    "STATUS_LABELS",
    "VN_TZ",
    "BreakerState",
    "Change",
    "ChangePage",
    "CircuitBreaker",
    "CircuitOpen",
    "ClientStats",
    "CursorExpired",
    "Decision",
    "Dossier",
    "DossierCache",
    "DossierNotFound",
    "DossierStatus",
    "Fee",
    "FeedNotSupported",
    "Limit",
    "MalformedResponse",
    "OneStopClient",
    "OneStopError",
    "OneStopUnavailable",
    "ProgressStep",
    "RateLimiter",
    "auth_headers",
    "base_url_of",
    "change_notification",
    "explain_status",
    "fmt_date",
    "fmt_vnd",
    "overdue_note",
    "parse_change_page",
    "parse_datetime",
    "parse_dossier",
    "status_answer",
    "today_vn",
]
