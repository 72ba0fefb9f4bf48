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
