"""Retry delays: exponential backoff with jitter, honouring a server's Retry-After."""

from __future__ import annotations

import random


def backoff_delay(
    attempt: int,
    *,
    base_s: float,
    max_s: float,
    retry_after_s: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait before attempt ``attempt + 1`` (``attempt`` counts from 1).

    A server's own Retry-After wins (it knows best; capped at ``max_s`` times 4 so that a
    bogus value cannot park a conversation for hours). Otherwise "equal jitter": half of
    the exponential step plus a random half, so that retries of many messages spread out.
    """
    if retry_after_s is not None and retry_after_s >= 0:
        return min(float(retry_after_s), max_s * 4)
    step = min(max_s, base_s * (2 ** max(0, attempt - 1)))
    r = (rng or random).random()
    return step / 2 + r * step / 2


def parse_retry_after(value: str | None) -> float | None:
    """The seconds of an HTTP ``Retry-After`` header (the date form is not used by the APIs here)."""
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None
