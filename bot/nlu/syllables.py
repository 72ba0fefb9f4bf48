"""Whether an accent-folded string can be a Vietnamese syllable.

Vietnamese spelling is regular: a syllable is an optional initial consonant, a vowel
nucleus of one to three letters and an optional final consonant or glide, from short
closed lists. Folded (no diacritics, "đ" as "d"), "dung", "nguyen" and "khuyu" pass;
"dugn", "thakn", "khong" with a doubled "g" and "dog" (an "đồng" without its "n") do not.
Abbreviations and foreign words ("cccd", "online", "ok") do not pass either: the caller
decides what failing means. Every syllable typed with diacritics in the training data and
the knowledge base passes, except typos and abbreviations (a test checks it).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Letters in the longest folded syllable ("nghieng"); a longer word is no one syllable.
LONGEST_SYLLABLE = 7

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
# Folded rhymes: "ươ" is "uo", "ưu" is "uu", "oă" is "oa", "uâ" is "ua", "uê" is "ue".
_RHYME = (
    r"(?:uyen|uyet|uynh|uych|uyu|uya|uyt|uy"
    r"|uong|uoc|uoi|uom|uon|uop|uot|uou|uo"
    r"|ieng|iec|iem|ien|iep|iet|ieu|ia"
    r"|yem|yen|yet|yeu"
    r"|oang|oanh|oach|oac|oai|oam|oan|oao|oap|oat|oay|oa"
    r"|oeo|oen|oet|oe|oong|ooc"
    r"|uang|uanh|uan|uat|uay|uau|ua"
    r"|uenh|uech|ue"
    r"|[aeiouy](?:ng|nh|ch|[cmnpt]|[iyou])?)"
)
_SYLLABLE = re.compile(f"{_ONSET}{_RHYME}")


def is_syllable(folded: str) -> bool:
    """True when ``folded`` (lower case, no diacritics) is spelt like a Vietnamese syllable."""
    return _SYLLABLE.fullmatch(folded) is not None


def segment(word: str, cost: Callable[[str], float | None]) -> list[str] | None:
    """The cheapest split of ``word`` (typed without spaces) into pieces of at most
    ``LONGEST_SYLLABLE`` letters, each priced by ``cost`` (None: not a piece); None when
    there is no such split, or it is ``word`` itself.

    Dynamic programming over the end of the last piece, as in word segmentation without a
    dictionary of words: the caller's prices say which syllables are likely.
    """
    # best[i]: (cost, pieces) of the cheapest split of word[:i]
    best: list[tuple[float, list[str]] | None] = [(0.0, [])] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - LONGEST_SYLLABLE), end):
            prefix = best[start]
            if prefix is None:
                continue
            piece = word[start:end]
            price = cost(piece)
            if price is None:
                continue
            total = prefix[0] + price
            current = best[end]
            if current is None or total < current[0]:
                best[end] = (total, [*prefix[1], piece])
    found = best[-1]
    return found[1] if found is not None and len(found[1]) > 1 else None
