"""Custom actions, served with ``rasa run actions --actions actions``.

rasa-sdk imports every submodule of this package (``actions.*``) and registers each
``Action`` subclass it finds; the imports below only make the procedure and fallback
actions explicit. Other areas' modules (``actions.dossier``, ``actions.handoff``) are
picked up the same way, so nothing else needs wiring here.
"""

from actions.fallback import ActionFallback
from actions.procedures import ActionAnswerProcedure

__all__ = ["ActionAnswerProcedure", "ActionFallback"]
