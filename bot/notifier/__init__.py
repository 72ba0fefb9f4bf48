"""Dossier status notifications: subscriptions and the notifier process (``python -m bot.notifier``)."""

from bot.notifier._notifier import Notifier, idempotency_key, next_delay
from bot.notifier._subscriptions import SubscribeResult, Subscription, SubscriptionStore

__all__ = [
    "Notifier",
    "SubscribeResult",
    "Subscription",
    "SubscriptionStore",
    "idempotency_key",
    "next_delay",
]
