"""A running assistant for end-to-end tests: simulator, action server and Rasa server.

The session fixture ``rasa_stack`` (registered in conftest.py) trains the model if its inputs
changed (cached by hash), then starts the one-stop simulator, the action server and the Rasa
server on free ports against the real Redis, and stops them after the session. Tests talk to
it over HTTP only, as a channel would.
"""

from __future__ import annotations

import dataclasses
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bot.launcher import (
    Stack,
    child_env,
    free_ports,
    start_action_server,
    start_rasa,
    start_simulator,
)
from bot.settings import Settings
from bot.training import ensure_model


@dataclass
class RasaStack:
    rasa_url: str
    action_url: str
    simulator_url: str
    redis_url: str
    key_prefix: str
    model: Path
    stack: Stack
    env: dict[str, str]
    rasa_port: int

    async def say(self, sender: str, text: str) -> list[dict]:
        """Send one message through Rasa's REST channel; returns the bot's messages."""
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{self.rasa_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text},
                timeout=aiohttp.ClientTimeout(total=60),
            ) as resp,
        ):
            resp.raise_for_status()
            return await resp.json()

    async def say_text(self, sender: str, text: str) -> str:
        """Like :meth:`say`, the replies' texts joined by newlines."""
        return "\n".join(m.get("text", "") for m in await self.say(sender, text))

    def restart_rasa(self) -> None:
        """Stop the Rasa server process and start it again (same port, same Redis)."""
        for name, proc in list(self.stack.procs):
            if name == "rasa":
                proc.terminate()
                proc.wait(timeout=30)
                self.stack.procs.remove((name, proc))
        start_rasa(self.stack, model=self.model, port=self.rasa_port, env=self.env)


def start_stack() -> Iterator[RasaStack]:
    """Generator behind the fixture (also usable from benchmark scripts)."""
    base = Settings.from_env()
    key_prefix = f"test:stack:{uuid.uuid4().hex[:8]}:"
    rasa_port, action_port, sim_port = free_ports(3)
    settings = dataclasses.replace(
        base,
        redis=dataclasses.replace(base.redis, key_prefix=key_prefix),
        rasa=dataclasses.replace(
            base.rasa,
            url=f"http://127.0.0.1:{rasa_port}",
            port=rasa_port,
            action_port=action_port,
            action_url=f"http://127.0.0.1:{action_port}/webhook",
        ),
    )
    model = ensure_model()
    stack = Stack(log_dir=Path(tempfile.mkdtemp(prefix="tlcd-stack-")), quiet=True)
    try:
        env = child_env(settings, {"REDIS_KEY_PREFIX": key_prefix, "LOG_JSON": "true"})
        sim_url = start_simulator(stack, port=sim_port, env=env)
        env["ONESTOP_URL"] = sim_url
        start_action_server(stack, port=action_port, env=env)
        start_rasa(stack, model=model, port=rasa_port, env=env)
        yield RasaStack(
            rasa_url=settings.rasa.url,
            action_url=settings.rasa.action_url,
            simulator_url=sim_url,
            redis_url=settings.redis.url,
            key_prefix=key_prefix,
            model=model,
            stack=stack,
            env=env,
            rasa_port=rasa_port,
        )
    except Exception:
        for log in sorted(stack.log_dir.glob("*.log")):
            print(
                f"--- {log.name} (last lines)\n"
                + "\n".join(log.read_text(errors="replace").splitlines()[-40:])
            )
        raise
    finally:
        stack.stop()
