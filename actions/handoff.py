"""``action_request_human``: record that the citizen asked for an official.

The agent console is not built yet, so the bot does not pretend an official will answer in
this chat: it records the request (Redis list ``{prefix}handoff:requests``, which the console
will read) and tells the citizen honestly where a person can help today.
"""

from __future__ import annotations

import json
import time
from typing import Any

import redis.asyncio as aioredis
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.logs import get_logger
from bot.outbox import split_conversation_id
from bot.settings import load_settings

log = get_logger(__name__)

REPLY = (
    "Tôi đã ghi nhận yêu cầu gặp cán bộ của bạn. Hiện kênh trò chuyện trực tiếp với cán bộ "
    "đang được triển khai; bạn có thể đến Trung tâm Phục vụ hành chính công gần nhất, hoặc gọi "
    "số điện thoại ghi trên Giấy tiếp nhận hồ sơ. Tôi vẫn có thể giúp bạn về thủ tục và tra cứu hồ sơ."
)


class ActionRequestHuman(Action):
    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        settings = load_settings()
        channel, _ = split_conversation_id(tracker.sender_id)
        request = {
            "conversation": tracker.sender_id,
            "channel": channel,
            "text": (tracker.latest_message or {}).get("text", "")[:500],
            "at": time.time(),
        }
        try:
            client = aioredis.Redis.from_url(settings.redis.url)
            try:
                await client.rpush(
                    f"{settings.redis.key_prefix}handoff:requests",
                    json.dumps(request, ensure_ascii=False),
                )
            finally:
                await client.close()
            log.info("handoff.request.recorded", conversation=tracker.sender_id, channel=channel)
        except Exception as exc:  # Redis down: the citizen still gets the answer
            log.warning("handoff.request.failed", error=str(exc))
        dispatcher.utter_message(text=REPLY)
        return []
