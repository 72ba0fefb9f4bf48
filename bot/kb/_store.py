"""Hot reload: the knowledge base is re-read when its files change, without a restart.

The action server asks the store for the knowledge base on every request; at most every
``reload_interval_s`` the store compares the files' (name, mtime, size) with what it
loaded, and reloads on any change. A broken edit keeps the last good version and logs
``kb.reload.failed`` so that an editor's typo never takes answers offline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bot.kb._loader import KnowledgeBaseError, load_knowledge_base, procedure_files
from bot.kb._model import KnowledgeBase
from bot.logs import get_logger

log = get_logger(__name__)

Snapshot = tuple[tuple[str, int, int], ...]


def snapshot(directory: Path) -> Snapshot:
    """What identifies the current state of the files: name, mtime (ns) and size."""
    out = []
    for path in procedure_files(directory):
        try:
            st = path.stat()
        except FileNotFoundError:  # deleted between glob and stat
            continue
        out.append((path.name, st.st_mtime_ns, st.st_size))
    return tuple(out)


class KnowledgeBaseStore:
    """The current knowledge base of one directory, reloaded when the files change."""

    def __init__(
        self,
        *,
        directory: Path,
        reload_interval_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.directory = Path(directory)
        self.reload_interval_s = reload_interval_s
        self._clock = clock
        self._kb: KnowledgeBase | None = None
        self._snapshot: Snapshot | None = None
        self._checked_at = float("-inf")
        self.reloads = 0

    def get(self) -> KnowledgeBase:
        """The knowledge base; the first call loads it (raising if it is invalid)."""
        if self._kb is None:
            self._load_first()
        elif self._clock() - self._checked_at >= self.reload_interval_s:
            self._maybe_reload()
        assert self._kb is not None
        return self._kb

    def _load_first(self) -> None:
        snap = snapshot(self.directory)
        self._kb = load_knowledge_base(self.directory)
        self._snapshot, self._checked_at = snap, self._clock()
        log.info("kb.load.ok", directory=str(self.directory), procedures=len(self._kb))

    def _maybe_reload(self) -> None:
        self._checked_at = self._clock()
        snap = snapshot(self.directory)
        if snap == self._snapshot:
            return
        try:
            kb = load_knowledge_base(self.directory)
        except KnowledgeBaseError as exc:
            # Remember the broken state so the log is written once per edit, not per request.
            self._snapshot = snap
            log.warning(
                "kb.reload.failed",
                directory=str(self.directory),
                problems=[str(p) for p in exc.problems[:20]],
                kept_procedures=len(self._kb or ()),
            )
            return
        self._kb, self._snapshot = kb, snap
        self.reloads += 1
        log.info("kb.reload.ok", directory=str(self.directory), procedures=len(kb))
