"""The normalised incoming message every channel adapter produces."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.outbox import conversation_id

KINDS = ("text", "payload", "unsupported")


@dataclass(frozen=True, kw_only=True)
class IncomingMessage:
    """One message from a citizen, whatever the platform.

    ``sender`` is where replies go (Zalo user id, Telegram chat id, web session id);
    ``message_id`` is the platform's id of the delivery, used for de-duplication.
    ``kind`` is ``text`` (typed text), ``payload`` (a button's payload) or ``unsupported``
    (a sticker, a photo...: answered with a polite notice, never sent to Rasa).
    """

    channel: str
    sender: str
    message_id: str
    kind: str = "text"
    text: str = ""
    payload: str | None = None
    received_at: float = field(default_factory=time.time)

    @property
    def conversation_id(self) -> str:
        return conversation_id(self.channel, self.sender)

    @property
    def uid(self) -> str:
        """Unique across channels: ``zalo:<msg_id>``."""
        return f"{self.channel}:{self.message_id}"

    def to_fields(self) -> dict[str, str]:
        fields = {
            "channel": self.channel,
            "sender": self.sender,
            "message_id": self.message_id,
            "kind": self.kind,
            "text": self.text,
            "received_at": f"{self.received_at:.3f}",
        }
        if self.payload is not None:
            fields["payload"] = self.payload
        return fields

    @classmethod
    def from_fields(cls, fields: dict[str, str]) -> IncomingMessage:
        return cls(
            channel=fields["channel"],
            sender=fields["sender"],
            message_id=fields["message_id"],
            kind=fields.get("kind", "text"),
            text=fields.get("text", ""),
            payload=fields.get("payload"),
            received_at=float(fields.get("received_at") or 0.0),
        )
