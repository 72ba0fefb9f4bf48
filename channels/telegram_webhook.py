"""``python -m channels.telegram_webhook set|delete|info``: manage the Telegram webhook.

Run by hand (or ``make telegram-webhook``), never at start-up: registering a webhook is a
deployment decision. ``set`` uses ``GATEWAY_PUBLIC_URL`` + ``/webhooks/telegram`` and
``TELEGRAM_WEBHOOK_SECRET`` (sent back by Telegram in ``X-Telegram-Bot-Api-Secret-Token``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.settings import Settings, load_settings

from ._gateway import make_telegram_bot
from ._telegram import ALLOWED_UPDATES


async def run(action: str, settings: Settings, *, url: str | None = None) -> str:
    bot = make_telegram_bot(settings)
    if bot is None:
        raise SystemExit("TELEGRAM_BOT_TOKEN is not set")
    async with bot:
        if action == "set":
            base = url or settings.gateway.public_url
            if not base:
                raise SystemExit("GATEWAY_PUBLIC_URL (or --url) is required")
            if not settings.telegram.webhook_secret:
                raise SystemExit("TELEGRAM_WEBHOOK_SECRET is required")
            target = base.rstrip("/") + "/webhooks/telegram"
            await bot.set_webhook(
                url=target,
                secret_token=settings.telegram.webhook_secret,
                allowed_updates=list(ALLOWED_UPDATES),
            )
            return f"webhook set: {target}"
        if action == "delete":
            await bot.delete_webhook()
            return "webhook deleted"
        info = await bot.get_webhook_info()
        return f"url={info.url!r} pending={info.pending_update_count} error={info.last_error_message!r}"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m channels.telegram_webhook")
    p.add_argument("action", choices=("set", "delete", "info"))
    p.add_argument("--url", help="public base URL (default: GATEWAY_PUBLIC_URL)")
    ns = p.parse_args(argv)
    print(asyncio.run(run(ns.action, load_settings(), url=ns.url)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
