"""Keyboard slips in a syllable: Telex marks left unconverted, keys held too long, two
neighbouring keys swapped.

When the Vietnamese input method is off, or lags behind fast thumbs, "vậy" arrives as
"vaayj", "miễn" as "mieenx", "rứa" as "ruwas", "tạm trú" as "tạm trus"; a held key gives
"đâuu", "lụcc". On the accent-folded view these are one deterministic rewrite away from
the syllable meant: a Telex tone key (s f r x j z) follows the vowels ("vaayj", "lafm")
and no Vietnamese syllable has one there, "w" is never a letter of one, and no folded
syllable doubles a letter.

The rewrite is not applied blindly ("bus", "fax" would lose a letter): callers accept it
only when the result is a syllable they know (the training vocabulary, an alias of the
knowledge base).
"""

from __future__ import annotations

_VOWELS = frozenset("aeiouy")
_TONE_KEYS = frozenset("sfrxjz")


def strip_keys(syllable: str) -> str:
    """``syllable`` (accent-folded, lower case) without Telex marks and repeated letters:
    ``"vaayj"`` → ``"vay"``, ``"ddaauf"`` → ``"dau"``, ``"truocw"`` → ``"truoc"``,
    ``"nhw"`` → ``"nhu"``, ``"lafm"`` → ``"lam"``. Anything but plain ASCII letters is
    returned unchanged."""
    if not (syllable.isascii() and syllable.isalpha()):
        return syllable
    out: list[str] = []
    seen_vowel = False
    # Index of the last vowel: a tone key comes after it ("lafm" is "làm"); an "x" or
    # "s" with a vowel still to come is a letter ("taxi", "visa").
    last_vowel = max((i for i, ch in enumerate(syllable) if ch in _VOWELS), default=-1)
    for i, ch in enumerate(syllable):
        if ch == "w":
            if seen_vowel:
                continue  # "uw", "ow", "aw", or the mark typed at the end ("truocw")
            ch = "u"  # a lone "w" is Telex for "ư": "nhw" is "như"
        elif i > last_vowel and seen_vowel and ch in _TONE_KEYS:
            continue
        if out and out[-1] == ch:
            continue  # Telex "aa", "ee", "oo", "dd", or a held key
        out.append(ch)
        seen_vowel = seen_vowel or ch in _VOWELS
    return "".join(out)


def held_keys(word: str) -> set[str]:
    """Every string ``word`` becomes with one key held, its letter typed twice: "sinh" →
    "ssinh", "siinh", "sinnh", "sinhh" (what :func:`strip_keys` undoes)."""
    return {word[: i + 1] + word[i:] for i in range(len(word))}


def transposes(word: str) -> set[str]:
    """Every string ``word`` becomes with two neighbouring letters swapped."""
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
