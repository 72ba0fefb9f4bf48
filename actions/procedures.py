"""``action_answer_procedure``: answer the six aspect intents from the knowledge base.

The procedure comes from the latest message (entity ``procedure``, or an alias written
out in the text), else from the ``procedure`` slot carried over from earlier turns, so
"làm khai sinh cần gì?" → "còn lệ phí?" → "nộp ở đâu?" stays on khai sinh. The aspect is
the intent; ``inform`` (a bare procedure name, e.g. after the bot asked which one) reuses
``last_aspect``. When the procedure is unknown or ambiguous the bot asks, offering the
closest procedures as buttons whose payload answers the original aspect directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.kb import (
    ASPECTS,
    KnowledgeBase,
    KnowledgeBaseStore,
    Procedure,
    closest_procedures,
    compose_answer,
    confident_match,
    resolve_procedure,
)
from bot.kb.answers import clarification_question
from bot.logs import get_logger
from bot.settings import load_settings

log = get_logger(__name__)

DEFAULT_ASPECT = "ask_procedure"
MAX_CHOICES = 3
UNAVAILABLE = (
    "Xin lỗi, dữ liệu thủ tục đang được cập nhật nên tôi chưa trả lời được. "
    "Bạn vui lòng thử lại sau ít phút hoặc liên hệ bộ phận một cửa nhé."
)

_default_store: KnowledgeBaseStore | None = None


def default_store() -> KnowledgeBaseStore:
    """The process-wide store over ``settings.kb.procedures_dir`` (created on first use)."""
    global _default_store
    if _default_store is None:
        kb = load_settings().kb
        _default_store = KnowledgeBaseStore(
            directory=kb.procedures_dir, reload_interval_s=kb.reload_interval_s
        )
    return _default_store


@dataclass(frozen=True, kw_only=True)
class Reply:
    """What the action says and remembers: an answer, or a question with choices."""

    text: str
    aspect: str
    procedure_id: str | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)

    @property
    def is_answer(self) -> bool:
        return self.procedure_id is not None


def button_payload(aspect: str, procedure_id: str) -> str:
    """``/ask_fee{"procedure":"khai_sinh"}``: a click asks the original question again."""
    return f"/{aspect}{json.dumps({'procedure': procedure_id}, separators=(',', ':'))}"


def _unique(procedures: list[Procedure]) -> list[Procedure]:
    seen: dict[str, Procedure] = {}
    for p in procedures:
        seen.setdefault(p.id, p)
    return list(seen.values())


def plan_reply(
    kb: KnowledgeBase,
    *,
    intent: str | None,
    entity_values: list[str],
    slot_procedure: str | None,
    last_aspect: str | None,
    text: str,
) -> Reply:
    """Decide the reply for one turn (pure: no tracker, no I/O)."""
    if intent in ASPECTS:
        aspect = intent
    elif last_aspect in ASPECTS:
        aspect = last_aspect
    else:
        aspect = DEFAULT_ASPECT

    chosen: Procedure | None = None
    choices: list[Procedure] = []
    named = _unique([p for v in entity_values for p in resolve_procedure(kb, v)])
    if len(named) == 1:
        chosen = named[0]
    elif named:
        choices = named
    else:
        chosen = confident_match(kb, text)
        if chosen is None and slot_procedure:
            from_slot = resolve_procedure(kb, slot_procedure)
            if len(from_slot) == 1:
                chosen = from_slot[0]
            else:
                choices = from_slot
        if chosen is None and not choices:
            choices = [m.procedure for m in closest_procedures(kb, text, limit=MAX_CHOICES)]

    if chosen is not None:
        return Reply(text=compose_answer(chosen, aspect), aspect=aspect, procedure_id=chosen.id)
    choices = choices[:MAX_CHOICES]
    return Reply(
        text=clarification_question(aspect, has_candidates=bool(choices)),
        aspect=aspect,
        buttons=[{"title": p.name, "payload": button_payload(aspect, p.id)} for p in choices],
    )


def procedure_entities(tracker: Tracker) -> list[str]:
    """Values of the ``procedure`` entities of the latest message, in order."""
    entities = tracker.latest_message.get("entities") or []
    return [str(e["value"]) for e in entities if e.get("entity") == "procedure" and e.get("value")]


class ActionAnswerProcedure(Action):
    """Answers ask_procedure/documents/fee/duration/location/online and inform."""

    def __init__(self, *, store: KnowledgeBaseStore | None = None) -> None:
        self._store = store

    def name(self) -> str:
        return "action_answer_procedure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        store = self._store or default_store()
        try:
            kb = store.get()
        except Exception as exc:  # the citizen gets a polite sentence, editors get the log
            log.error("kb.answer.unavailable", error=str(exc)[:500])
            dispatcher.utter_message(text=UNAVAILABLE)
            return []
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        reply = plan_reply(
            kb,
            intent=intent,
            entity_values=procedure_entities(tracker),
            slot_procedure=tracker.get_slot("procedure"),
            last_aspect=tracker.get_slot("last_aspect"),
            text=tracker.latest_message.get("text") or "",
        )
        if reply.is_answer:
            log.info("kb.answer.ok", procedure=reply.procedure_id, aspect=reply.aspect)
            dispatcher.utter_message(text=reply.text)
        else:
            log.info("kb.answer.clarify", aspect=reply.aspect, choices=len(reply.buttons))
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return [SlotSet("procedure", reply.procedure_id), SlotSet("last_aspect", reply.aspect)]
