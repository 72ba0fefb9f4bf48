"""Redis key names of the gateway, in one place (every key starts with the settings' prefix)."""

from __future__ import annotations

INBOUND_STREAM = "inbound"
DISPATCH_GROUP = "dispatchers"
OUTBOX_GROUP = "outbox-workers"
HANDOFF_STREAM = "handoff:inbox"


def inbound_stream(prefix: str) -> str:
    return f"{prefix}{INBOUND_STREAM}"


def dedupe_key(prefix: str, channel: str, message_id: str) -> str:
    return f"{prefix}dedupe:{channel}:{message_id}"


def rate_key(prefix: str, conversation: str) -> str:
    """Sorted set of the conversation's accepted messages in the last window (score: ms)."""
    return f"{prefix}rate:{conversation}"


def rate_notice_key(prefix: str, conversation: str) -> str:
    """Set while a flood notice is fresh, so a flood gets one notice, not one per message."""
    return f"{prefix}rate:{conversation}:notice"


def inbound_order_key(prefix: str, conversation: str) -> str:
    """Hash with the conversation's inbound ``seq`` (gateway) and ``done`` (dispatcher)."""
    return f"{prefix}conv:{conversation}"


def mode_key(prefix: str, conversation: str) -> str:
    return f"{prefix}mode:{conversation}"


def handoff_stream(prefix: str) -> str:
    return f"{prefix}{HANDOFF_STREAM}"


def metrics_key(prefix: str) -> str:
    return f"{prefix}metrics:gateway"


def web_replies_key(prefix: str, session: str) -> str:
    return f"{prefix}web:out:{session}"


def choices_key(prefix: str, conversation: str) -> str:
    """The buttons last shown as numbered text, so that a reply "2" means the second one."""
    return f"{prefix}choices:{conversation}"


def callback_ref_key(prefix: str, ref: str) -> str:
    return f"{prefix}tg:cb:{ref}"


def zalo_token_key(prefix: str, kind: str) -> str:
    return f"{prefix}zalo:{kind}"


def telegram_offset_key(prefix: str) -> str:
    return f"{prefix}telegram:offset"
