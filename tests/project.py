"""The project's own knowledge base and domain, read once for the tests that use them."""

from __future__ import annotations

from typing import Any

import yaml

from bot.kb import load_knowledge_base
from bot.settings import PROJECT_ROOT

KB_DIR = PROJECT_ROOT / "nlu_data" / "procedures"
KB = load_knowledge_base(KB_DIR)
DOMAIN: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
