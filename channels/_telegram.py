"""Telegram through python-telegram-bot: parse updates, send messages with inline keyboards.

Only the ``Bot`` part of PTB is used (no ``Application``): the gateway owns the webhook,
the queue and the retries, so PTB's own update processing would duplicate them.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from redis.asyncio import Redis
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.logs import get_logger
from bot.outbox import OutgoingMessage

from ._adapter import ParseResult, is_link
from ._choices import callback_data_for
from ._errors import SendError, WebhookRejected
from ._message import IncomingMessage

log = get_logger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ("message", "callback_query")
# Telegram's "/start" opens every chat: treat it as a greeting.
_COMMANDS = {"/start": "/greet", "/help": "/greet"}


def check_secret(headers: Mapping[str, str], secret: str | None) -> None:
    if not secret:
        raise WebhookRejected(503, "Telegram webhook not configured (TELEGRAM_WEBHOOK_SECRET)")
    given = headers.get(SECRET_HEADER)
    if not given:
        raise WebhookRejected(401, f"missing {SECRET_HEADER}")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        raise WebhookRejected(401, "bad secret token")


def parse_update(data: Mapping[str, Any], bot: Bot) -> ParseResult:
    """One webhook body as a normalised message (no I/O)."""
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise WebhookRejected(400, "missing update_id")
    try:
        update = Update.de_json(dict(data), bot)
    except Exception as exc:  # PTB raises assorted errors on malformed objects
        raise WebhookRejected(400, f"malformed update: {exc}") from exc
    if update is None:
        raise WebhookRejected(400, "empty update")
    return result_from_update(update)


def _kind(update: Update) -> str:
    data = update.to_dict()
    return next((k for k in data if k != "update_id"), "unknown")


def result_from_update(update: Update) -> ParseResult:
    """An update (from the webhook or getUpdates) as a normalised message."""
    mid = str(update.update_id)
    if update.callback_query is not None:
        cq = update.callback_query
        chat = cq.message.chat.id if cq.message is not None else cq.from_user.id
        if not cq.data:
            return ParseResult(ignored="callback_query_without_data", callback_query_id=cq.id)
        return ParseResult(
            message=IncomingMessage(
                channel="telegram",
                sender=str(chat),
                message_id=mid,
                kind="payload",
                payload=cq.data,
            ),
            callback_query_id=cq.id,
        )
    msg = update.message
    if msg is None:
        # edited messages, channel posts, membership changes, inline queries, polls...
        return ParseResult(ignored=_kind(update))
    chat = str(msg.chat.id)
    base: dict[str, Any] = {"channel": "telegram", "sender": chat, "message_id": mid}
    if msg.date:
        base["received_at"] = msg.date.timestamp()
    if msg.text:
        command = msg.text.split()[0].split("@")[0] if msg.text.startswith("/") else None
        if command in _COMMANDS:
            return ParseResult(
                message=IncomingMessage(
                    **base, kind="payload", text=msg.text, payload=_COMMANDS[command]
                )
            )
        return ParseResult(message=IncomingMessage(**base, text=msg.text))
    # Stickers, photos, voice, locations...: a polite "text only" notice.
    return ParseResult(message=IncomingMessage(**base, kind="unsupported"))


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramAdapter:
    """The Telegram channel (webhook or long polling share the parsing)."""

    name = "telegram"
    numbered_choices = False

    def __init__(
        self, *, bot: Bot, redis: Redis, key_prefix: str, webhook_secret: str | None
    ) -> None:
        self.bot = bot
        self._redis = redis
        self._prefix = key_prefix
        self._secret = webhook_secret

    def parse(self, body: bytes, data: Any, headers: Mapping[str, str]) -> ParseResult:
        check_secret(headers, self._secret)
        return parse_update(data, self.bot)

    async def after_accept(self, result: ParseResult) -> None:
        """Stop the button's spinner; best effort (the click is already queued)."""
        if result.callback_query_id:
            try:
                await self.bot.answer_callback_query(result.callback_query_id)
            except TelegramError as exc:
                log.warning("telegram.callback_answer.failed", error=repr(exc))

    async def _markup(self, message: OutgoingMessage) -> InlineKeyboardMarkup | None:
        if not message.buttons:
            return None
        rows = []
        for b in message.buttons:
            if is_link(b.payload):
                rows.append([InlineKeyboardButton(b.title, url=b.payload)])
            else:
                data = await callback_data_for(self._redis, self._prefix, b.payload)
                rows.append([InlineKeyboardButton(b.title, callback_data=data)])
        return InlineKeyboardMarkup(rows)

    async def send(self, recipient: str, message: OutgoingMessage) -> None:
        chat_id: int | str = int(recipient) if recipient.lstrip("-").isdigit() else recipient
        text = message.text or "Mời bạn chọn:"
        try:
            await self.bot.send_message(
                chat_id=chat_id, text=text[:4096], reply_markup=await self._markup(message)
            )
        except RetryAfter as exc:
            raise SendError(
                str(exc), retryable=True, retry_after=_seconds(exc.retry_after)
            ) from exc
        except (Forbidden, BadRequest, InvalidToken, ChatMigrated) as exc:
            raise SendError(f"telegram: {exc}", retryable=False) from exc
        except (TimedOut, NetworkError, asyncio.TimeoutError) as exc:
            raise SendError(f"telegram: {exc}", retryable=True) from exc
        except TelegramError as exc:
            raise SendError(f"telegram: {exc}", retryable=True) from exc
