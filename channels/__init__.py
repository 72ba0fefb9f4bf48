"""Channels: Zalo, Telegram and web chat through one durable gateway.

The gateway (:func:`create_app`) verifies, de-duplicates and appends each citizen message
to a Redis Stream and answers at once; :class:`Dispatcher` workers hand messages to Rasa
(or to the agent console) and put the replies in the outbox; the :class:`OutboxWorker`
delivers them through the channel adapters with retries and a dead-letter stream.
Run everything with ``python -m channels``.
"""

from __future__ import annotations

from ._adapter import ChannelAdapter, ParseResult
from ._backoff import backoff_delay
from ._choices import render_numbered, resolve_choice
from ._consumer import Finished, OrderedConsumer, OrderSignals, StreamEntry
from ._dispatcher import APOLOGY, UNSUPPORTED_NOTICE, Dispatcher
from ._errors import SendError, WebhookRejected
from ._gateway import WorkerOptions, build_adapters, create_app, make_telegram_bot
from ._inbound import RATE_LIMIT_NOTICE, AcceptResult, accept
from ._keys import DISPATCH_GROUP, OUTBOX_GROUP, handoff_stream, inbound_stream
from ._message import IncomingMessage
from ._mode import AGENT, BOT, get_mode, set_mode
from ._outbox_worker import OutboxWorker
from ._rasa import RasaClient, RasaError, RasaUnavailable, replies_to_messages
from ._telegram import TelegramAdapter, parse_update
from ._web import WebAdapter, parse_web_message
from ._zalo import ZaloAdapter, parse_zalo_event, zalo_signature
from ._zalo_tokens import ZaloTokenStore

__all__ = [
    "AGENT",
    "APOLOGY",
    "BOT",
    "DISPATCH_GROUP",
    "OUTBOX_GROUP",
    "RATE_LIMIT_NOTICE",
    "UNSUPPORTED_NOTICE",
    "AcceptResult",
    "ChannelAdapter",
    "Dispatcher",
    "Finished",
    "IncomingMessage",
    "OrderSignals",
    "OrderedConsumer",
    "OutboxWorker",
    "ParseResult",
    "RasaClient",
    "RasaError",
    "RasaUnavailable",
    "SendError",
    "StreamEntry",
    "TelegramAdapter",
    "WebAdapter",
    "WebhookRejected",
    "WorkerOptions",
    "ZaloAdapter",
    "ZaloTokenStore",
    "accept",
    "backoff_delay",
    "build_adapters",
    "create_app",
    "get_mode",
    "handoff_stream",
    "inbound_stream",
    "make_telegram_bot",
    "parse_update",
    "parse_web_message",
    "parse_zalo_event",
    "render_numbered",
    "replies_to_messages",
    "resolve_choice",
    "set_mode",
    "zalo_signature",
]
