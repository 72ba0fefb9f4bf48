"""Errors shared by the channel adapters."""

from __future__ import annotations


class WebhookRejected(Exception):
    """An incoming request that must be refused with ``status`` (nothing is enqueued)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class SendError(Exception):
    """A send that failed; ``retryable`` says whether trying again may help."""

    def __init__(self, reason: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
