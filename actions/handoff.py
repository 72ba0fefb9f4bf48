"""``action_request_human``: record that the citizen asked for an official.

The agent console is not built yet, so the bot does not pretend an official will answer in
this chat: it records the request (Redis list ``{prefix}handoff:requests``, which the console
will read) and tells the citizen honestly where a person can help today.

Right after an answer, "có cần bố mẹ đi cùng không" can read as a request for an official
(0.51): an unsure reading of a question about who must go is answered instead, from the
procedure just discussed (:mod:`actions.follow_ups`), and no request is recorded.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.answering import AnsweringRedisAction
from actions.history import BotTurn
from actions.procedures import HANDOFF
from bot.logs import get_logger
from bot.nlu.text import fold_words
from bot.outbox import split_conversation_id
from bot.settings import Settings

log = get_logger(__name__)

REPLY = (
    "Tôi đã ghi nhận yêu cầu gặp cán bộ của bạn. Hiện kênh trò chuyện trực tiếp với cán bộ "
    "đang được triển khai; bạn có thể đến Trung tâm Phục vụ hành chính công gần nhất, hoặc gọi "
    "số điện thoại ghi trên Giấy tiếp nhận hồ sơ. Tôi vẫn có thể giúp bạn về thủ tục và tra cứu hồ sơ."
)


# Impatience right after that reply ("nhanh len, cho 15p roi", "sao chưa có ai"), read as
# out of scope or unclear: the bot says honestly again that no official answers here yet.
MSG_STILL_WAITING = (
    "Xin lỗi để bạn phải chờ. Hiện chưa có cán bộ trả lời trực tiếp trên kênh này; yêu cầu "
    "của bạn đã được ghi lại. Bạn có thể gọi số điện thoại ghi trên Giấy tiếp nhận hồ sơ, "
    "hoặc đến Trung tâm Phục vụ hành chính công gần nhất."
)
_IMPATIENT = re.compile(
    r"\b(?:nhanh|lau|cho|doi|mai|dau roi|sao chua|chua thay|chua co|alo|co ai|oi)\b"
)


def is_impatient(text: str) -> bool:
    """True for a short sign of waiting too long: "nhanh lên", "chờ 15p rồi", "alo", "sao
    chưa có ai" (folded)."""
    words = fold_words(text)
    return 0 < len(words.split()) <= 10 and bool(_IMPATIENT.search(words))


def handed_off(turn: BotTurn) -> bool:
    """True when the bot's ``turn`` recorded a request for an official and said so; not
    when ``action_request_human`` answered a question on who goes instead ("có cần bố mẹ đi
    cùng ko", after which "thế làm cho bé út 6 tuổi luôn dc ko" is no impatience)."""
    return turn.action == HANDOFF and REPLY in turn.texts


def handoff_requests_key(settings: Settings) -> str:
    """The Redis list of recorded requests (the agent console will read it)."""
    return f"{settings.redis.key_prefix}handoff:requests"


class ActionRequestHuman(AnsweringRedisAction):
    def name(self) -> str:
        return HANDOFF

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answered = self._answerer.answer_follow_up(dispatcher, tracker)
        if answered is not None:
            return answered
        settings = self.settings
        channel, _ = split_conversation_id(tracker.sender_id)
        request = {
            "conversation": tracker.sender_id,
            "channel": channel,
            "text": (tracker.latest_message or {}).get("text", "")[:500],
            "at": time.time(),
        }
        try:
            await self.redis.rpush(
                handoff_requests_key(settings), json.dumps(request, ensure_ascii=False)
            )
            log.info("handoff.request.recorded", conversation=tracker.sender_id, channel=channel)
        except Exception as exc:  # Redis down: the citizen still gets the answer
            log.warning("handoff.request.failed", error=str(exc))
        dispatcher.utter_message(text=REPLY)
        # "có ai trực không, mình muốn hỏi về giấy phép xây dựng": what the bot can say.
        offered = self._answerer.offer_named(dispatcher, tracker)
        # Also run as the follow-up of a "yes" to an offered official (actions.affirm),
        # where no rule says what comes next: listen.
        return [*offered, FollowupAction("action_listen")]
