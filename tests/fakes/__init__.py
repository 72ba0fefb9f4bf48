"""Local fakes of the platforms the gateway talks to, speaking their real wire format.

Each is an aiohttp server on 127.0.0.1 (free port) that records what it received and can
be told to fail: :class:`FakeZaloApi` (OA send API + OAuth refresh), :class:`FakeTelegramApi`
(Bot API; point PTB's ``Bot(token, base_url=fake.base_url)`` at it) and :class:`FakeRasa`
(Rasa's REST channel, can be stopped and started again on the same port).
"""

from ._server import FakeServer
from .rasa import FakeRasa
from .telegram import FakeTelegramApi
from .zalo import FakeZaloApi

__all__ = ["FakeRasa", "FakeServer", "FakeTelegramApi", "FakeZaloApi"]
