"""Vietnamese text normalisation: NFC, one tone-mark placement, lower case, abbreviations.

Everything here is a pure function on strings. Offsets are kept by the callers (the
tokenizer normalises token by token), never by rewriting the whole message.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.nlu.keys import strip_keys, transposes
from bot.nlu.text import fold

# Combining tone marks (huyền, sắc, ngã, hỏi, nặng) — the other marks (circumflex, breve,
# horn) belong to the vowel itself.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Tone marks that other keyboards produce: grave/acute tone marks U+0340/U+0341.
_TONE_ALIASES = {"\u0340": "\u0300", "\u0341": "\u0301"}
_VOWELS = frozenset("aăâeêioôơuưy")
# Vowels carrying a shape mark take the tone whatever else is in the syllable.
_MARKED = frozenset("ăâêôơư")
# Icelandic eth looks like Vietnamese đ and some keyboards/fonts produce it.
_ETH = str.maketrans({"Ð": "Đ", "ð": "đ"})
_LETTER_RUN = re.compile(r"[^\W\d_]+")
# Shortest word whose keyboard slips are repaired before expanding (see ``expand``).
MIN_SLIPPED = 4

# Abbreviations and teencode citizens type, keyed by the lower-case NFC token. Only
# tokens that are unambiguous in this domain are listed ("k" is "không" here: amounts
# like "50k" are one token and never match).
ABBREVIATIONS: dict[str, str] = {
    # papers and agencies
    "cccd": "căn cước công dân",
    "cc": "căn cước",
    "cmnd": "chứng minh nhân dân",
    "cmt": "chứng minh thư",
    "cmtnd": "chứng minh thư nhân dân",
    "gplx": "giấy phép lái xe",
    "gpxd": "giấy phép xây dựng",
    "xpxd": "xin phép xây dựng",  # batch 51
    "bhyt": "bảo hiểm y tế",
    "bhxh": "bảo hiểm xã hội",
    "bhtn": "bảo hiểm thất nghiệp",
    "tctn": "trợ cấp thất nghiệp",
    "lltp": "lý lịch tư pháp",
    "gcn": "giấy chứng nhận",
    "ksk": "khám sức khỏe",  # "giấy ksk" (batch 51)
    "sk": "sức khỏe",  # "khám sk", "giấy khám sk"
    "gcnqsdđ": "giấy chứng nhận quyền sử dụng đất",
    "gcnqsdd": "giấy chứng nhận quyền sử dụng đất",
    "qsdđ": "quyền sử dụng đất",
    "qsdd": "quyền sử dụng đất",
    "đkkd": "đăng ký kinh doanh",
    "dkkd": "đăng ký kinh doanh",
    "hkd": "hộ kinh doanh",
    "kd": "kinh doanh",  # "ho kd", "giay phep kd"
    "dn": "doanh nghiệp",
    "cty": "công ty",
    "oto": "ô tô",  # "vua mua oto moi" (batch 53)
    "tnhh": "trách nhiệm hữu hạn",
    "tthc": "thủ tục hành chính",
    "hs": "hồ sơ",
    "lm": "làm",  # "lm hộ chiếu", "lm lai mat bn" (batch 51)
    "dvc": "dịch vụ công",
    "ubnd": "ủy ban nhân dân",
    "ttpvhcc": "trung tâm phục vụ hành chính công",
    "sđt": "số điện thoại",
    "sdt": "số điện thoại",
    "đt": "điện thoại",
    "đk": "đăng ký",
    "dk": "đăng ký",
    "đky": "đăng ký",
    "dky": "đăng ký",
    "vk": "vợ",
    "ck": "chồng",
    "gđ": "gia đình",
    # teencode and chat shorthand
    "ko": "không",
    "k": "không",
    "kh": "không",
    "hok": "không",
    "hông": "không",
    "khg": "không",
    "kg": "không",
    "khum": "không",
    "khong": "không",
    "dc": "được",
    "đc": "được",
    "mk": "mình",
    "mik": "mình",
    "j": "gì",
    "ji": "gì",
    "ntn": "như thế nào",
    "bn": "bao nhiêu",
    "bnhieu": "bao nhiêu",
    "bnhiu": "bao nhiêu",
    "bnh": "bao nhiêu",
    "vs": "với",
    "r": "rồi",
    "ns": "nói",
    "nt": "nhắn tin",
    "trc": "trước",
    "bh": "bây giờ",
    "v": "vậy",  # "sao v", "gì v ạ"
    "mún": "muốn",  # not "mun": without accents it is also "mụn"
    "nhiu": "nhiêu",  # "bao nhiu"
    "nhìu": "nhiều",
    "hem": "không",
    "h": "giờ",  # "bao h", "bây h"; hours are one token with their digits ("2h")
    "bjo": "bây giờ",
    "z": "vậy",
    "ng": "người",
    "ad": "admin",
    "cj": "chị",
    "oke": "ok",
    "okie": "ok",
    "okela": "ok",
    "thanks": "cảm ơn",
    "thank": "cảm ơn",
    "thanhks": "cảm ơn",
    "tks": "cảm ơn",
    "thx": "cảm ơn",
    "cám": "cảm",
}

# Central and Southern words, mapped only when the word stands alone (underthesea did not
# join it into a compound: "chi" alone is "gì", but "chi phí" stays "chi phí").
REGIONAL: dict[str, str] = {
    "chi": "gì",
    "mô": "đâu",
    "răng": "sao",
    "rứa": "vậy",
    "mần": "làm",
    "dậy": "vậy",
    "hen": "nhé",
    "nhen": "nhé",
    "nha": "nhé",
    "hông": "không",
    "hổng": "không",
    "nhiêu": "bao nhiêu",
}

# Syllables after which the southern "hông" is not "không" but a word of a procedure's name
# written with the southern final ng for n: "kết hông" is "kết hôn" ("kết không" is no
# Vietnamese). "sổ hông" is left out: "nhà có sổ hông" asks "có sổ không".
# Batches 49 and 51: "bhxh tn" is BHXH tự nguyện ("tn" alone is also "tin nhắn"), "làm hc"
# a passport ("hc" alone is also "hành chính", "học").
_PASSPORT = {"hc": "hộ chiếu"}
NAME_AFTER: dict[str, dict[str, str]] = {
    "kết": {"hông": "hôn"},
    "hội": {"tn": "tự nguyện"},
    "làm": _PASSPORT,
    "xin": _PASSPORT,
    "cấp": _PASSPORT,
    "đổi": _PASSPORT,
}


def in_context(previous: str | None, word: str, normalised: str) -> str:
    """``normalised`` (the normal form of ``word``), unless the last syllable of
    ``previous`` (the normalised text before it) makes ``word`` part of a name ("kết" +
    "hông" → "hôn")."""
    if not previous:
        return normalised
    after = NAME_AFTER.get(previous.rsplit(" ", 1)[-1], {})
    return after.get(fix_tones(word).lower(), normalised)


def _tone_position(bases: list[str]) -> int | None:
    """Index (into ``bases``) of the vowel that carries the tone, traditional style.

    Traditional placement ("hòa", "thúy", "khỏe"): the style underthesea writes, so its
    rewrites and ours agree.
    """
    lower = [b.lower() for b in bases]
    vowels = [i for i, ch in enumerate(lower) if ch in _VOWELS]
    if not vowels:
        return None
    # "qu" and "gi" onsets: that u/i is part of the consonant when a vowel follows.
    if len(vowels) > 1 and vowels[0] == 1 and lower[0] in "qg" and lower[1] in "ui":
        vowels = vowels[1:]
    # The vowel nucleus is the first contiguous vowel run.
    run = [vowels[0]]
    for i in vowels[1:]:
        if i == run[-1] + 1:
            run.append(i)
        else:
            break
    marked = [i for i in run if lower[i] in _MARKED]
    if marked:
        return marked[-1]  # "ươ" → on ơ, "uyê" → on ê
    if len(run) >= 3:
        return run[1]
    if len(run) == 2:
        has_final = run[-1] + 1 < len(lower)
        return run[1] if has_final else run[0]
    return run[0]


def _fix_tone_run(word: str) -> str:
    """Move the tone mark of one letter run (a syllable) to its standard vowel."""
    bases: list[str] = []
    tone = ""
    for ch in word:
        parts = unicodedata.normalize("NFD", ch)
        kept = []
        for p in parts:
            p = _TONE_ALIASES.get(p, p)
            if p in _TONES:
                tone = p
            else:
                kept.append(p)
        bases.append(unicodedata.normalize("NFC", "".join(kept)))
    if not tone:
        return unicodedata.normalize("NFC", word)
    at = _tone_position(bases)
    if at is None:
        return unicodedata.normalize("NFC", word)
    bases[at] = unicodedata.normalize("NFC", bases[at] + tone)
    return "".join(bases)


@lru_cache(maxsize=50_000)
def fix_tones(text: str) -> str:
    """NFC with one tone-mark placement: "hoà"→"hòa", "thuý"→"thúy", "khoẻ"→"khỏe"."""
    text = unicodedata.normalize("NFC", text).translate(_ETH)
    return _LETTER_RUN.sub(lambda m: _fix_tone_run(m.group(0)), text)


def expand(word: str) -> str:
    """The expansion of one lower-case abbreviation or teencode word, or the word itself.

    Typed with a keyboard slip, the word is still expanded: "thankss", "khongg" (a held
    key or a Telex mark, :func:`bot.nlu.keys.strip_keys`) and "thakn", "khnog" (two keys
    swapped). Only for words of four letters or more whose repair is an entry of three or
    more: shorter ones are too easily another word.
    """
    if word in ABBREVIATIONS:
        return ABBREVIATIONS[word]
    if word.startswith("dz") and len(word) > 2 and word[2:].isalpha():
        # No Vietnamese word starts with "dz": it is the southern v ("dzợ", "dzô", "dzới").
        return "v" + word[2:]
    if len(word) >= MIN_SLIPPED and word.isascii() and word.isalpha():
        # One held key undone as well: strip_keys collapses every run, and "cccd" has one
        # of its own ("cccdd" is "cccd" typed with "d" held, or Telex "đ").
        unheld = sorted(
            word[:i] + word[i + 1 :] for i in range(len(word) - 1) if word[i] == word[i + 1]
        )
        for repaired in (strip_keys(word), *unheld, *sorted(transposes(word))):
            if len(repaired) >= MIN_SLIPPED - 1 and repaired in ABBREVIATIONS:
                return ABBREVIATIONS[repaired]
    return word


@lru_cache(maxsize=50_000)
def normalize_word(word: str) -> str:
    """Normalised form of one syllable or short word: NFC, tones, lower case, expanded."""
    return expand(fix_tones(word).lower())


def normalize_piece(surface: str) -> str:
    """Normalised form of one segmented word (its syllables separated by spaces)."""
    words = surface.split()
    if len(words) == 1:
        word = fix_tones(words[0]).lower()
        return expand(REGIONAL.get(word, word))
    return _normalize_words(words)


def normalize_text(text: str) -> str:
    """Normalised text, syllable by syllable (whitespace collapsed to single spaces)."""
    return _normalize_words(text.split())


def _normalize_words(words: list[str]) -> str:
    out: list[str] = []
    for word in words:
        out.append(in_context(out[-1] if out else None, word, normalize_word(word)))
    return " ".join(out)


def folded(text: str) -> str:
    """Accent-folded normalised text: what ``"Làm CCCD ko đc"`` and ``"lam can cuoc ..."``
    have in common: ``"lam can cuoc cong dan khong duoc"``."""
    return fold(normalize_text(text))
