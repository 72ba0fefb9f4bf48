"""The web chat channel: the page POSTs messages, and long-polls for replies.

Replies for a browser session are kept in a small Redis Stream per session
(``{prefix}web:out:<session>``), so a poll after a network blip resumes from its cursor
and never misses or repeats a reply.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from redis.asyncio import Redis

from bot.outbox import OutgoingMessage

from ._adapter import ParseResult
from ._errors import WebhookRejected
from ._keys import web_replies_key
from ._message import IncomingMessage

SESSION_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_TEXT = 1000
_REPLIES_MAXLEN = 500
_CURSOR_RE = re.compile(r"^\d+-\d+$")


def parse_web_message(data: Mapping[str, Any]) -> ParseResult:
    session, mid = data.get("session"), data.get("id")
    if not isinstance(session, str) or not SESSION_RE.match(session):
        raise WebhookRejected(400, "session must be 8-64 letters, digits, '-' or '_'")
    if not isinstance(mid, str) or not SESSION_RE.match(mid):
        raise WebhookRejected(400, "id must be 8-64 letters, digits, '-' or '_'")
    text, payload = data.get("text"), data.get("payload")
    if payload is not None:
        if not isinstance(payload, str) or not payload.strip() or len(payload) > MAX_TEXT:
            raise WebhookRejected(400, "payload must be a non-empty string")
        return ParseResult(
            message=IncomingMessage(
                channel="web",
                sender=session,
                message_id=f"{session}:{mid}",
                kind="payload",
                text=text if isinstance(text, str) else "",
                payload=payload,
            )
        )
    if not isinstance(text, str) or not text.strip():
        raise WebhookRejected(400, "text must be a non-empty string")
    if len(text) > MAX_TEXT:
        raise WebhookRejected(400, f"text longer than {MAX_TEXT} characters")
    return ParseResult(
        message=IncomingMessage(
            channel="web", sender=session, message_id=f"{session}:{mid}", text=text.strip()
        )
    )


def valid_cursor(value: str) -> bool:
    return value == "0" or bool(_CURSOR_RE.match(value))


class WebAdapter:
    """The web chat channel; ``send`` stores the reply for the page's next poll."""

    name = "web"
    numbered_choices = False

    def __init__(self, *, redis: Redis, key_prefix: str, reply_ttl_s: int) -> None:
        self._redis = redis
        self._prefix = key_prefix
        self._ttl = reply_ttl_s

    def parse(self, body: bytes, data: Any, headers: Mapping[str, str]) -> ParseResult:
        return parse_web_message(data)

    async def after_accept(self, result: ParseResult) -> None:
        return None

    async def send(self, recipient: str, message: OutgoingMessage) -> None:
        key = web_replies_key(self._prefix, recipient)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xadd(key, {"message": message.to_json()}, maxlen=_REPLIES_MAXLEN, approximate=True)
            pipe.expire(key, self._ttl)
            await pipe.execute()

    async def last_cursor(self, session: str) -> str:
        last = await self._redis.xrevrange(web_replies_key(self._prefix, session), count=1)
        if not last:
            return "0"
        eid = last[0][0]
        return eid.decode() if isinstance(eid, bytes) else str(eid)

    async def replies(
        self, session: str, *, after: str, block_ms: int
    ) -> tuple[list[dict[str, Any]], str]:
        """Replies newer than ``after``, waiting up to ``block_ms`` for the first one."""
        key = web_replies_key(self._prefix, session)
        res = await self._redis.xread({key: after}, count=50, block=block_ms or None)
        out: list[dict[str, Any]] = []
        cursor = after
        for _stream, entries in res or []:
            for eid, fields in entries:
                cursor = eid.decode() if isinstance(eid, bytes) else str(eid)
                raw = fields.get(b"message") or fields.get("message")
                msg = OutgoingMessage.from_json(raw)
                out.append(
                    {
                        "id": cursor,
                        "text": msg.text,
                        "buttons": [{"title": b.title, "payload": b.payload} for b in msg.buttons],
                    }
                )
        return out, cursor


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
