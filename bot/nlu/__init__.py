"""Vietnamese NLU for Rasa 3: normalisation, word segmentation, procedure matching.

The pure helpers are re-exported here; the Rasa graph components live in
``bot.nlu.tokenizer`` and ``bot.nlu.extractors`` (named in ``config.yml``) and are not
imported by this package, so importing ``bot.nlu`` stays light (no Rasa, no TensorFlow).
"""

from bot.nlu.normalize import (
    ABBREVIATIONS,
    REGIONAL,
    fix_tones,
    folded,
    normalize_piece,
    normalize_text,
    normalize_word,
)
from bot.nlu.procedures import ProcedureMatch, ProcedureMatcher, load_kb_aliases
from bot.nlu.segment import Piece, align_words, segment
from bot.nlu.text import fold

__all__ = [
    "ABBREVIATIONS",
    "REGIONAL",
    "Piece",
    "ProcedureMatch",
    "ProcedureMatcher",
    "align_words",
    "fix_tones",
    "fold",
    "folded",
    "load_kb_aliases",
    "normalize_piece",
    "normalize_text",
    "normalize_word",
    "segment",
]
