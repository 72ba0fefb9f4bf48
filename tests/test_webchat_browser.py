"""The web chat page in headless Chromium: type, get the answer, click a button."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator

import pytest

from tests.fakes.browser import Browser, chromium_binary
from tests.fakes.harness import Gateway
from tests.fakes.rasa import FakeRasa

pytestmark = [
    pytest.mark.browser,
    # A developer without Chromium may skip this; CI (CI=true) installs it and must run it.
    pytest.mark.skipif(
        chromium_binary() is None and not os.environ.get("CI"),
        reason="chromium not installed (make test installs it)",
    ),
]

BOT_TEXTS = "[...document.querySelectorAll('.msg.bot .bubble')].map(e => e.textContent)"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    b = Browser()
    await b.start()
    yield b
    await b.close()


async def _type_and_send(browser: Browser, text: str) -> None:
    await browser.js(
        f"document.getElementById('input').value = {json.dumps(text)};"
        "document.getElementById('send').click();"
    )


async def test_chat_in_a_browser(gateway: Gateway, fake_rasa: FakeRasa, browser: Browser) -> None:
    await browser.goto(gateway.url + "/")
    await browser.wait_for("!document.getElementById('input').disabled")
    await _type_and_send(browser, "xin chào")
    await browser.wait_for(f"{BOT_TEXTS}.includes('Bạn nói: xin chào')")
    user = await browser.js("[...document.querySelectorAll('.msg.user')].map(e => e.textContent)")
    assert user == ["xin chào"]
    session = await browser.js("localStorage.getItem('tlcd-web-session')")
    assert fake_rasa.received == [(f"web:{session}", "xin chào")]

    await _type_and_send(browser, "/menu")
    await browser.wait_for("document.querySelectorAll('.buttons button').length === 2")
    link = await browser.js("document.querySelector('.buttons a').href")
    assert link.startswith("https://dichvucong.gov.vn")
    await browser.js("document.querySelector('.buttons button').click()")
    await browser.wait_for(f"{BOT_TEXTS}.some(t => t.includes('/ask_fee'))")
    assert fake_rasa.received[-1] == (f"web:{session}", '/ask_fee{"procedure":"khai_sinh"}')
    # clicked buttons are disabled, and the click shows as the citizen's message
    assert await browser.js("document.querySelector('.buttons button').disabled")
    user = await browser.js("[...document.querySelectorAll('.msg.user')].map(e => e.textContent)")
    assert user == ["xin chào", "/menu", "Lệ phí"]
