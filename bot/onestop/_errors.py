"""Errors of the one-stop client: one class per answer the citizen gets."""

from __future__ import annotations


class OneStopError(Exception):
    """Base class of everything the one-stop client raises."""


class DossierNotFound(OneStopError):
    """The system has no dossier with this code (HTTP 404)."""


class OneStopUnavailable(OneStopError):
    """The system is busy: timeout, connection error, 5xx, 429 or a malformed answer."""


class MalformedResponse(OneStopUnavailable):
    """The answer was not the JSON the contract promises."""


class CircuitOpen(OneStopError):
    """Recent calls failed repeatedly; the client does not call the system for a while."""

    def __init__(self, retry_after_s: float) -> None:
        super().__init__(f"circuit open, retry after {retry_after_s:.1f} s")
        self.retry_after_s = retry_after_s


class FeedNotSupported(OneStopError):
    """The system offers no change feed (HTTP 404/501 on /changes): poll instead."""


class CursorExpired(OneStopError):
    """The change feed no longer knows this cursor (HTTP 410): resynchronise by polling."""
