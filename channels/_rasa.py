"""Rasa's REST channel as the dispatcher uses it."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from bot.outbox import Button, OutgoingMessage


class RasaUnavailable(Exception):
    """Rasa could not be reached or is overloaded: the message waits and is tried again."""


class RasaError(Exception):
    """Rasa answered, but with an error for this message."""


def replies_to_messages(replies: list[dict[str, Any]]) -> list[OutgoingMessage]:
    """Rasa's bot messages as outbox messages (text, buttons; images become links)."""
    out: list[OutgoingMessage] = []
    for r in replies:
        if not isinstance(r, dict):
            continue
        text = str(r.get("text") or "")
        if r.get("image"):
            text = f"{text}\n{r['image']}".strip()
        if not text and isinstance(r.get("custom"), dict):
            text = str(r["custom"].get("text") or "")
        buttons = tuple(
            Button(
                title=str(b.get("title") or b.get("payload") or b.get("url")),
                payload=str(b.get("payload") or b.get("url")),
            )
            for b in r.get("buttons") or []
            if isinstance(b, dict) and (b.get("payload") or b.get("url"))
        )
        if not text and buttons:
            text = "Mời bạn chọn:"
        if text:
            out.append(OutgoingMessage(text=text, buttons=buttons))
    return out


class RasaClient:
    def __init__(self, *, http: aiohttp.ClientSession, url: str, timeout_s: float) -> None:
        self._http = http
        self._url = url.rstrip("/") + "/webhooks/rest/webhook"
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def say(self, *, sender: str, message: str) -> list[OutgoingMessage]:
        try:
            async with self._http.post(
                self._url, json={"sender": sender, "message": message}, timeout=self._timeout
            ) as resp:
                if resp.status in (502, 503, 504, 429):
                    raise RasaUnavailable(f"HTTP {resp.status}")
                if resp.status != 200:
                    raise RasaError(f"HTTP {resp.status}: {(await resp.text())[:200]}")
                data = await resp.json(content_type=None)
        except (aiohttp.ClientConnectionError, asyncio.TimeoutError) as exc:
            raise RasaUnavailable(repr(exc)) from exc
        except aiohttp.ClientError as exc:
            raise RasaUnavailable(repr(exc)) from exc
        if not isinstance(data, list):
            raise RasaError(f"unexpected answer: {str(data)[:200]}")
        return replies_to_messages(data)
