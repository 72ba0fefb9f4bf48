"""Zalo Official Account: webhook verification and parsing, sending through the OA API.

Wire facts (see docs/gateway.md): ``X-ZEvent-Signature`` is
``"mac=" + sha256_hex(app_id + raw_body + timestamp + oa_secret_key)``; replies go to
``POST {api_url}/v3.0/oa/message/cs`` with header ``access_token``; error -216 means the
access token expired. Zalo has no plain quick-reply buttons, so buttons are sent as
numbered text and a reply "2" is mapped back to the second button (see ``_choices``).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

import aiohttp
from redis.asyncio import Redis

from bot.outbox import OutgoingMessage
from bot.settings import ZaloSettings

from ._adapter import ParseResult
from ._backoff import parse_retry_after
from ._choices import render_numbered
from ._errors import SendError, WebhookRejected
from ._message import IncomingMessage
from ._zalo_tokens import ZaloTokenStore

SIGNATURE_HEADER = "X-ZEvent-Signature"
TOKEN_EXPIRED = -216
TEXT_EVENT = "user_send_text"
# Citizen messages the assistant cannot read; they get a polite notice.
UNSUPPORTED_EVENTS = frozenset(
    {
        "user_send_image",
        "user_send_gif",
        "user_send_sticker",
        "user_send_audio",
        "user_send_video",
        "user_send_file",
        "user_send_location",
        "user_send_link",
        "user_send_business_card",
    }
)
_MAX_TEXT = 2000


def zalo_signature(*, app_id: str, body: bytes, timestamp: str, secret: str) -> str:
    digest = hashlib.sha256(app_id.encode() + body + timestamp.encode() + secret.encode())
    return "mac=" + digest.hexdigest()


def _str_id(value: Any) -> str | None:
    # Zalo ids are large numbers; JSON may carry them as numbers or strings.
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | str) and str(value).strip():
        return str(value).strip()
    return None


def parse_zalo_event(
    body: bytes, data: Mapping[str, Any], headers: Mapping[str, str], *, settings: ZaloSettings
) -> ParseResult:
    """Verify and parse one webhook delivery (no I/O)."""
    signature = headers.get(SIGNATURE_HEADER)
    if not signature:
        raise WebhookRejected(401, f"missing {SIGNATURE_HEADER}")
    if not settings.oa_secret_key:
        raise WebhookRejected(503, "Zalo channel not configured (ZALO_OA_SECRET_KEY)")
    app_id = settings.app_id or str(data.get("app_id") or "")
    expected = zalo_signature(
        app_id=app_id,
        body=body,
        timestamp=str(data.get("timestamp") or ""),
        secret=settings.oa_secret_key,
    )
    if not hmac.compare_digest(signature.strip().encode(), expected.encode()):
        raise WebhookRejected(401, "bad signature")
    event = data.get("event_name")
    if not isinstance(event, str) or not event:
        raise WebhookRejected(400, "missing event_name")
    if event != TEXT_EVENT and event not in UNSUPPORTED_EVENTS:
        return ParseResult(ignored=event)
    sender = _str_id((data.get("sender") or {}).get("id"))
    message = data.get("message")
    if not sender or not isinstance(message, dict):
        raise WebhookRejected(400, "missing sender.id or message")
    msg_id = _str_id(message.get("msg_id"))
    if not msg_id:
        raise WebhookRejected(400, "missing message.msg_id")
    ts = _str_id(data.get("timestamp"))
    received = int(ts) / 1000 if ts and ts.isdigit() else None
    extra = {"received_at": received} if received else {}
    if event != TEXT_EVENT:
        return ParseResult(
            message=IncomingMessage(
                channel="zalo", sender=sender, message_id=msg_id, kind="unsupported", **extra
            )
        )
    text = message.get("text")
    if not isinstance(text, str):
        raise WebhookRejected(400, "message.text must be a string")
    return ParseResult(
        message=IncomingMessage(
            channel="zalo", sender=sender, message_id=msg_id, text=text[:_MAX_TEXT], **extra
        )
    )


class ZaloAdapter:
    """The Zalo OA channel."""

    name = "zalo"
    numbered_choices = True

    def __init__(
        self,
        *,
        settings: ZaloSettings,
        http: aiohttp.ClientSession,
        redis: Redis,
        key_prefix: str,
        tokens: ZaloTokenStore | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self._settings = settings
        self._http = http
        self._redis = redis
        self._prefix = key_prefix
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self.tokens = tokens or ZaloTokenStore(
            redis=redis, http=http, settings=settings, key_prefix=key_prefix, timeout_s=timeout_s
        )

    def parse(self, body: bytes, data: Any, headers: Mapping[str, str]) -> ParseResult:
        return parse_zalo_event(body, data, headers, settings=self._settings)

    async def after_accept(self, result: ParseResult) -> None:
        return None

    async def send(self, recipient: str, message: OutgoingMessage) -> None:
        body = {"recipient": {"user_id": recipient}, "message": {"text": render_numbered(message)}}
        token = await self.tokens.access_token()
        for _ in range(2):
            error, detail = await self._post(token, body)
            if error == 0:
                return
            if error != TOKEN_EXPIRED:
                break
            token = await self.tokens.refresh(stale=token)
        raise SendError(f"zalo error {error}: {detail}", retryable=False)

    async def _post(self, token: str, body: dict[str, Any]) -> tuple[int, str]:
        try:
            async with self._http.post(
                f"{self._settings.api_url}/v3.0/oa/message/cs",
                json=body,
                headers={"access_token": token},
                timeout=self._timeout,
            ) as resp:
                if resp.status == 429 or resp.status >= 500:
                    raise SendError(
                        f"zalo HTTP {resp.status}",
                        retryable=True,
                        retry_after=parse_retry_after(resp.headers.get("Retry-After")),
                    )
                if resp.status >= 400:
                    raise SendError(f"zalo HTTP {resp.status}", retryable=False)
                data = await resp.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise SendError(f"zalo unreachable: {exc!r}", retryable=True) from exc
        if not isinstance(data, dict):
            raise SendError("zalo answered with no JSON object", retryable=True)
        error = int(data.get("error", -1) or 0)
        if error == 0 and not (data.get("data") or {}).get("message_id"):
            return -1, "no data.message_id in a success answer"
        return error, str(data.get("message") or "")
