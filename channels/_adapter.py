"""The small interface every channel adapter implements, and body checks they share."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from bot.outbox import OutgoingMessage

from ._errors import WebhookRejected
from ._message import IncomingMessage


@dataclass(frozen=True, kw_only=True)
class ParseResult:
    """What one webhook delivery carried: a message, or the reason there is none."""

    message: IncomingMessage | None = None
    ignored: str | None = None
    # Telegram: the callback query to answer once the click is accepted.
    callback_query_id: str | None = None


class ChannelAdapter(Protocol):
    """Parse an incoming delivery into a normalised message; send text, buttons and links.

    ``parse`` does no I/O (verification included), so it is cheap on the webhook path and
    easy to test; ``send`` raises :class:`~channels.SendError` when delivery failed.
    A button whose payload is an http(s) URL is a link. ``numbered_choices``: the channel
    shows buttons as numbered text, so the outbox worker saves them before the send and a
    reply "2" picks the second one.
    """

    name: str
    numbered_choices: bool

    def parse(self, body: bytes, data: Any, headers: Mapping[str, str]) -> ParseResult: ...

    async def send(self, recipient: str, message: OutgoingMessage) -> None: ...

    async def after_accept(self, result: ParseResult) -> None: ...


def is_link(payload: str) -> bool:
    return payload.startswith(("https://", "http://"))


def check_content_type(content_type: str) -> None:
    if content_type != "application/json":
        raise WebhookRejected(415, "expected Content-Type: application/json")


def decode_json(body: bytes) -> Any:
    """The JSON object of a request body, or a 400 that says what is wrong."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookRejected(400, f"malformed JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise WebhookRejected(400, "expected a JSON object")
    return data
