"""Structured logging: events named ``area.action.outcome``, personal data masked.

Usage::

    from bot.logs import get_logger
    log = get_logger(__name__)
    log.info("onestop.lookup.ok", code=code, ms=12.3)

Every string value (and the event's free text) passes through :func:`bot.privacy.mask_text`;
keys listed in ``_NAME_KEYS`` are masked as personal names.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

from bot.privacy import mask_name, mask_text

_NAME_KEYS = frozenset({"name", "applicant", "full_name", "chu_ho_so", "display_name"})
_configured = False


def _mask_values(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key, value in list(event_dict.items()):
        if isinstance(value, str):
            event_dict[key] = mask_name(value) if key in _NAME_KEYS else mask_text(value)
    return event_dict


def configure_logging(*, level: str = "INFO", json: bool = True) -> None:
    """Configure structlog and the stdlib root logger once per process."""
    global _configured
    logging.basicConfig(stream=sys.stderr, level=level, format="%(message)s")
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _mask_values,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    _configured = True


def get_logger(name: str | None = None) -> Any:
    """A structured logger; configures logging from settings on first use."""
    if not _configured:
        from bot.settings import load_settings

        s = load_settings()
        configure_logging(level=s.log_level, json=s.log_json)
    return structlog.get_logger(name) if name is None else structlog.get_logger().bind(logger=name)
