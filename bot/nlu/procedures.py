"""Finding procedure names in what citizens type, from the knowledge-base aliases.

The aliases come from ``nlu_data/procedures/<id>.yml`` (``id``, ``name``, ``aliases``):
they are never copied by hand into NLU data. Matching runs on the normalised,
accent-folded syllables of the message (abbreviations expanded, so "gplx" meets
"giấy phép lái xe"), at word boundaries, with one small typo tolerated in long names;
a word typed without spaces ("lamgiaykhaisinh") is split into syllables first, and a
whole name inside it counts, spelt right or with one syllable slipped: two letters
swapped ("khaisihn") or a key held ("khaisinhh"). Spans are offsets into the original text. A
file's ``not_aliases`` ("xuất nhập khẩu") keep the alias inside them ("nhập khẩu") from
matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from bot.nlu.keys import held_keys, strip_keys, transposes
from bot.nlu.normalize import in_context, normalize_word
from bot.nlu.syllables import is_syllable, segment
from bot.nlu.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)
# The "procedure" of a not-alias ("xuất nhập khẩu"): it names nothing, and no alias
# inside it ("nhập khẩu", thường trú) names anything either.
NOT_A_PROCEDURE = ""
# The "procedure" of a name shared by several ("chứng thực": of a copy, or of a
# signature): a name, but of no one procedure. ``find`` leaves it out unless asked.
SEVERAL_PROCEDURES = "*"
# Fuzzy matching is skipped on very long messages (pastes): cost grows with length.
_FUZZY_MAX_SYLLABLES = 200
# A word typed without spaces is split from this many letters ("sodo", "hochieu") and up
# to this many (longer is a paste or a link, not a citizen's name of a procedure).
_MIN_RUN, _MAX_RUN = 4, 40


@dataclass(frozen=True, slots=True)
class Syllable:
    start: int
    end: int
    norm: str  # normalised, with accents
    folded: str
    # A piece of a word typed without spaces ("khaisinh"): its span is the whole word's.
    run: bool = False
    # A piece typed with a slip (two letters swapped, a key held: "sihn" of "khaisihn");
    # ``norm`` is repaired.
    repaired: bool = False


@dataclass(frozen=True, slots=True)
class ProcedureMatch:
    start: int
    end: int
    text: str
    procedure: str
    alias: str
    exact: bool


def syllables(text: str) -> list[Syllable]:
    """Normalised syllables of ``text``; an expanded abbreviation ("cccd") yields several
    syllables sharing the abbreviation's span."""
    out: list[Syllable] = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        normalised = in_context(out[-1].norm if out else None, word, normalize_word(word))
        for part in normalised.split():
            for sub in _WORD.findall(part):
                out.append(Syllable(m.start(), m.end(), sub, fold(sub)))
    return out


@lru_cache(maxsize=4)  # one vocabulary per matcher; a frozenset keeps its hash
def _slips(vocabulary: frozenset[str]) -> dict[str, str]:
    """Names' syllables of three letters or more typed with two neighbouring letters
    swapped ("sihn" → "sinh") or a key held ("sinhh" → "sinh"), the slips of fast
    typing, where that makes no syllable, and only where it can be but one of them."""
    out: dict[str, str] = {}
    clashes: set[str] = set()
    for word in vocabulary:
        for typo in transposes(word) | held_keys(word) if len(word) >= 3 else ():
            if typo == word or is_syllable(typo):
                continue
            if out.setdefault(typo, word) != word:
                clashes.add(typo)
    return {typo: word for typo, word in out.items() if typo not in clashes}


def split_runs(
    syl: list[Syllable],
    vocabulary: frozenset[str],
    pairs: frozenset[tuple[str, str]] = frozenset(),
) -> list[Syllable]:
    """``syl`` with each word typed without spaces ("lamkhaisinh") split into the syllables
    it is most likely made of ("lam khai sinh"): the fewest pieces, names' syllables
    (``vocabulary``) cheaper than other syllables, so "hochieu" is "ho chieu", not "hoc
    hieu". One piece may be a names' syllable typed with a slip, two letters swapped or a
    key held (the piece marked ``repaired``): where no split exists ("khaisihn",
    "khaisinhh": "khai sinh"), or where the repaired syllable and its neighbour follow
    each other in a name (``pairs``) and the split into syllables as typed has fewer such
    neighbours ("cancoucmat" and "can coucmat": "can cuoc mat", not "can co uc mat"). A
    word that is a syllable (with keyboard remnants or not: "hoon" is "hôn"), or that no
    split explains ("passport"), stays."""
    out: list[Syllable] = []
    slips = _slips(vocabulary)

    def cost(piece: str) -> float | None:
        return (1.0 if piece in vocabulary else 2.0) if is_syllable(piece) else None

    def cost_with_slip(piece: str) -> float | None:
        # Dearer than any syllable: a repair only where no syllable fits (and a split
        # needing two is refused below).
        return 4.0 if piece in slips else cost(piece)

    def cost_of_repair(piece: str) -> float | None:
        # As likely as a names' syllable: whether the repair is taken is decided by the
        # names it spells, below, not by its price.
        return 1.0 if piece in slips else cost(piece)

    for s in syl:
        word = s.folded
        pieces = None
        if _MIN_RUN <= len(word) <= _MAX_RUN and word.isascii() and word.isalpha():
            # A syllable with Telex remnants or a held key ("hoon", "daau") is one syllable.
            one = is_syllable(word) or is_syllable(strip_keys(word))
            pieces = None if one else segment(word, cost)
            if pieces is None and not one:
                pieces = segment(word, cost_with_slip)
            elif pieces is not None and pairs:
                repaired = segment(word, cost_of_repair)
                before = out[-1].folded if out else None
                if repaired and _repairs_a_name(repaired, pieces, slips, pairs, before):
                    pieces = repaired
        if pieces is None or sum(not is_syllable(p) for p in pieces) > 1:
            out.append(s)
            continue
        for p in pieces:
            typo = not is_syllable(p)
            norm = slips[p] if typo else p
            out.append(Syllable(s.start, s.end, norm, norm, run=True, repaired=typo))
    return out


def _repairs_a_name(
    repaired: list[str],
    typed: list[str],
    slips: dict[str, str],
    pairs: frozenset[tuple[str, str]],
    before: str | None = None,
) -> bool:
    """Whether the split ``repaired`` (one piece a slipped names' syllable: "can couc
    mat") spells more neighbours of a name than the split as ``typed`` ("can co uc mat"),
    the repaired syllable among them; ``before`` is the syllable typed before the word
    ("can" of "can coucmat")."""
    at = [i for i, p in enumerate(repaired) if not is_syllable(p)]
    if len(at) != 1:
        return False
    head = [before] if before else []
    fixed = head + [slips.get(p, p) for p in repaired]
    i = at[0] + len(head)
    if (i == 0 or (fixed[i - 1], fixed[i]) not in pairs) and (
        i + 1 == len(fixed) or (fixed[i], fixed[i + 1]) not in pairs
    ):
        return False
    return _neighbours_in_names(fixed, pairs) > _neighbours_in_names(head + typed, pairs)


def _neighbours_in_names(pieces: list[str], pairs: frozenset[tuple[str, str]]) -> int:
    return sum(pair in pairs for pair in pairwise(pieces))


def alias_key(alias: str) -> tuple[str, ...]:
    """The normalised syllables of an alias (with accents, if the alias has them)."""
    return tuple(s.norm for s in syllables(alias))


def _has_accent(s: str) -> bool:
    return fold(s) != s


# Letters that regional pronunciations make citizens write for one another (folded):
# northern l/n, s/x, ch/tr, d/gi/r ("nàm", "xổ đỏ", "trứng thực", "dấy tờ"), southern
# v/d and final n/ng, t/c ("kết hông"), and ph typed as f ("giấy fép").
_ONSET_GROUPS = ({"l", "n"}, {"s", "x"}, {"ch", "tr"}, {"d", "gi", "r", "v"}, {"ph", "f"})
_CODA_GROUPS = ({"n", "ng"}, {"t", "c"})
_ONSET = re.compile(r"^(ngh|ng|gh|gi|ch|tr|ph|th|kh|nh|qu|[^aeiouy])?")
_CODA = re.compile(r"(ng|nh|ch|[cmnpt])?$")


def _consonants(folded: str) -> tuple[str, str]:
    """The first and the last consonant of a folded syllable ("" when it has none)."""
    return _ONSET.match(folded).group(0), _CODA.search(folded).group(0)  # type: ignore[union-attr]


def _sounds_alike(a: str, b: str) -> bool:
    """Whether folded syllables ``a`` and ``b`` differ only by one regional spelling of
    their first or last consonant ("lai" / "nai", "hon" / "hong")."""
    # Cheap refusals first (this runs for many pairs of syllables): the groups' spellings
    # differ by one letter at most, and a swap keeps the other end of the syllable.
    if abs(len(a) - len(b)) > 1 or (a[:1] != b[:1] and a[-1:] != b[-1:]):
        return False
    (oa, ca), (ob, cb) = _consonants(a), _consonants(b)
    if oa != ob:
        return a[len(oa) :] == b[len(ob) :] and any({oa, ob} <= g for g in _ONSET_GROUPS)
    return (
        ca != cb
        and a[: len(a) - len(ca)] == b[: len(b) - len(cb)]
        and any({ca, cb} <= g for g in _CODA_GROUPS)
    )


def _other_accents(want: str, got: Syllable) -> bool:
    """Whether ``got`` is the alias syllable ``want`` typed with other diacritics (both
    typed with some), a regional spelling of a consonant aside ("xố" is not "sổ")."""
    if not (_has_accent(want) and _has_accent(got.norm)):
        return False
    folded = fold(want)
    if folded == got.folded:
        return want != got.norm
    if not _sounds_alike(folded, got.folded):
        return False
    # fold keeps one character per character: the folded consonants cut the accented form.
    (wo, wc), (go, gc) = _consonants(folded), _consonants(got.folded)
    return want[len(wo) : len(want) - len(wc)] != got.norm[len(go) : len(got.norm) - len(gc)]


@lru_cache(maxsize=1 << 16)  # pure, and the same pairs of syllables come back all the time
def _edit(a: str, b: str) -> str | None:
    """The one edit turning ``a`` into ``b`` ("same", "keys", "sound", "swap", "edit") or
    None if more; "keys": ``b`` is ``a`` typed with Telex marks or a held key ("trus",
    "lucc"); "sound": a regional spelling of a consonant (:func:`_sounds_alike`)."""
    if a == b:
        return "same"
    if strip_keys(b) == a:
        return "keys"
    if _sounds_alike(a, b):
        return "sound"
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return None
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return "edit"
        if (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        ):
            return "swap"
        return None
    short, long_ = (a, b) if la < lb else (b, a)
    return "edit" if any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_))) else None


# Frequent words of citizens' messages that are in no name (folded: the syllables of three
# letters or more that the training messages hold 89 times or more, but place names, codes
# and "admin", "bot", "vneid"). A letter away from a name's syllable, such a word is that
# word, not a typo: "cong ty co phai" is "công ty có phải", not "công ty cổ phần"; "x binh
# phuong tru 4" is no "thường trú".
_COMMON_WORDS = frozenset({
    "thi", "duoc", "nao", "toi", "vay", "nop", "phai", "qua", "nhieu", "hay", "roi",
    "muon", "phi", "lau", "khi", "moi", "chua", "ngay", "mang", "chau", "nhe", "tren",
    "noi", "cam", "anh", "tra", "chao", "dong", "gio", "dien", "nhung", "nay", "xong",
    "hen", "bac", "giup", "het", "lay", "cai", "hom", "thoi", "tuc", "phuong", "gap",
    "len", "nua", "nhi", "day", "buoc", "truc", "nhu", "vien", "ngoai", "nam", "tin",
    "den", "cach", "tuoi", "nhat", "truoc", "tiep", "thang", "biet", "thay", "don", "hoc",
    "nho", "sap", "chong", "goi", "gui",
})  # fmt: skip


def _typo_ok(kind: str | None, want: str, alias_len: int) -> bool:
    """One typo tolerated: Telex remnants and held keys in any syllable; a regional
    spelling of a consonant or swapped letters in names of 2+ syllables; another
    one-letter edit only in long syllables or names of 3+ syllables (Vietnamese syllables
    one letter apart are usually other words: "hồng"/"hương", "hôn"/"hơn"). ``kind`` is
    ``_edit(want, got)``."""
    if kind == "keys":
        return True
    if kind == "sound":
        return alias_len >= 2
    if kind == "swap":
        return alias_len >= 2 and len(want) >= 3
    if kind == "edit":
        return len(want) >= 4 and (len(want) >= 5 or alias_len >= 3)
    return False


def _close(a: str, b: str) -> bool:
    return _edit(a, b) is not None


@dataclass(slots=True)
class ProcedureMatcher:
    """Alias → procedure id matcher over normalised, accent-folded syllables."""

    # folded alias syllables → procedure id
    aliases: dict[tuple[str, ...], str] = field(default_factory=dict)
    # folded alias syllables → the accented spellings seen for it
    spellings: dict[tuple[str, ...], set[tuple[str, ...]]] = field(default_factory=dict)
    ambiguous: set[tuple[str, ...]] = field(default_factory=set)
    _by_first: dict[str, list[tuple[str, ...]]] | None = None
    _vocabulary: frozenset[str] | None = None
    _pairs: frozenset[tuple[str, str]] | None = None
    _near: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    # The last message and every name in it: the featurizer and the extractor of one
    # parse ask about the same message in turn.
    _last: tuple[str, list[ProcedureMatch]] | None = None

    @classmethod
    def from_aliases(cls, pairs: Iterable[tuple[str, str]]) -> ProcedureMatcher:
        """Build from ``(alias, procedure_id)`` pairs. An alias that names several
        procedures ("chứng thực") is ambiguous: its id becomes ``SEVERAL_PROCEDURES``."""
        matcher = cls()
        for alias, procedure in pairs:
            matcher.add(alias, procedure)
        return matcher

    def add(self, alias: str, procedure: str) -> None:
        self._by_first = None
        self._vocabulary = None
        self._pairs = None
        self._near.clear()
        self._last = None
        spelled = alias_key(alias)
        key = tuple(fold(s) for s in spelled)
        if not key or key in self.ambiguous:
            return
        known = self.aliases.get(key)
        if known is not None and known != procedure:
            self.aliases[key] = SEVERAL_PROCEDURES
            self.spellings.pop(key, None)
            self.ambiguous.add(key)
            return
        self.aliases[key] = procedure
        if any(_has_accent(s) for s in spelled):
            self.spellings.setdefault(key, set()).add(spelled)

    def to_pairs(self) -> list[tuple[str, str]]:
        """Serialisable ``(alias, id)`` pairs that rebuild this matcher."""
        pairs = {(" ".join(k), v) for k, v in self.aliases.items()}
        for key, spelled in self.spellings.items():
            pairs.update((" ".join(s), self.aliases[key]) for s in spelled)
        return sorted(pairs)

    @property
    def procedures(self) -> set[str]:
        return set(self.aliases.values()) - {NOT_A_PROCEDURE, SEVERAL_PROCEDURES}

    def _index(self) -> dict[str, list[tuple[str, ...]]]:
        if self._by_first is None:
            self._by_first = {}
            for key in self.aliases:
                self._by_first.setdefault(key[0], []).append(key)
        return self._by_first

    def _names_syllables(self) -> frozenset[str]:
        if self._vocabulary is None:
            self._vocabulary = frozenset(s for key in self.aliases for s in key)
        return self._vocabulary

    def _names_pairs(self) -> frozenset[tuple[str, str]]:
        """Neighbouring syllables of the names ("can", "cuoc"): what a repaired piece of a
        word typed without spaces must make with its neighbour."""
        if self._pairs is None:
            self._pairs = frozenset(
                pair for key in self.aliases if self.aliases[key] for pair in pairwise(key)
            )
        return self._pairs

    def find(self, text: str, *, several: bool = False) -> list[ProcedureMatch]:
        """Procedures named in ``text``: exact before fuzzy, longest first, no overlaps.

        A name of several procedures ("chứng thực") takes its place like any other (a
        shorter or misspelt name inside it is not found) and is left out of the result,
        unless ``several`` asks for it (``procedure`` = ``SEVERAL_PROCEDURES``).
        """
        last = self._last
        if last is not None and last[0] == text:
            found = last[1]
        else:
            found = self._find_all(text)
            self._last = (text, found)
        return [m for m in found if several or m.procedure != SEVERAL_PROCEDURES]

    def _find_all(self, text: str) -> list[ProcedureMatch]:
        """Every name in ``text``, names of several procedures included, by position."""
        syl = split_runs(syllables(text), self._names_syllables(), self._names_pairs())
        if not syl or not self.aliases:
            return []
        fuzzy = len(syl) <= _FUZZY_MAX_SYLLABLES
        by_first = self._index()
        candidates: list[tuple[int, int, int, tuple[str, ...]]] = []  # typos, -n, i, key
        for i in range(len(syl)):
            if fuzzy:
                keys = self._near.get(syl[i].folded)
                if keys is None:
                    keys = [
                        k
                        for first, ks in by_first.items()
                        if _close(first, syl[i].folded)
                        for k in ks
                    ]
                    if len(self._near) < 100_000:  # memo: aliases near a syllable
                        self._near[syl[i].folded] = keys
            else:
                keys = by_first.get(syl[i].folded, [])
            for key in keys:
                n = len(key)
                if i + n > len(syl):
                    continue
                window = syl[i : i + n]
                typos = self._typos(key, window)
                if typos is None:
                    continue
                repaired = sum(s.repaired for s in window)
                typos += repaired
                if typos and not (fuzzy and typos == 1):
                    continue
                # In a word typed without spaces, only a whole name counts, and no typo
                # but the slip its split repaired: the split is a guess, and one syllable
                # of it is no name.
                if any(s.run for s in window) and (typos > repaired or n < 2):
                    continue
                candidates.append((typos, -n, i, key))
        # A name inside a not-alias ("nhập khẩu" in "xe nhập khẩu") is no name; a name
        # only overlapping one ("đăng ký xe" in "đăng ký xe nhập khẩu") still is.
        blocked = [(i, i - neg_n) for _, neg_n, i, key in candidates if not self.aliases[key]]
        candidates = [
            (typos, neg_n, i, key)
            for typos, neg_n, i, key in candidates
            if self.aliases[key] and not any(b <= i and i - neg_n <= e for b, e in blocked)
        ]
        found: list[ProcedureMatch] = []
        for typos, neg_n, i, key in sorted(candidates):
            start, end = syl[i].start, syl[i - neg_n - 1].end
            procedure = self.aliases[key]
            clash = [k for k, m in enumerate(found) if start < m.end and m.start < end]
            if not clash:
                found.append(
                    ProcedureMatch(
                        start=start,
                        end=end,
                        text=text[start:end],
                        procedure=procedure,
                        alias=" ".join(key),
                        exact=typos == 0,
                    )
                )
            elif typos == 0 and all(found[k].procedure == procedure for k in clash):
                # Two aliases of one procedure overlapping ("bản sao trích lục" + "trích
                # lục khai sinh") are one mention: the span grows over both, so the
                # "khai sinh" inside it is not taken for another procedure. A candidate
                # bridging two such mentions joins them.
                s = min(start, *(found[k].start for k in clash))
                e = max(end, *(found[k].end for k in clash))
                merged = replace(found[clash[0]], start=s, end=e, text=text[s:e])
                found = [m for k, m in enumerate(found) if k not in clash] + [merged]
        return sorted(found, key=lambda m: m.start)

    def _typos(self, key: tuple[str, ...], window: list[Syllable]) -> int | None:
        """Typos between an alias and a window of the message (None: no match at all).

        A syllable spelt with other accents than every accented spelling of the alias
        counts as a typo, and rules out names of one or two syllables: "số đo" is not
        "sổ đỏ", but "so do" may be.
        """
        typos = 0
        keyed = False  # Telex remnants count once: with the input method off, every
        # syllable of "ddawng kys taamj truus" carries them
        for want, got in zip(key, window, strict=True):
            if want == got.folded:
                continue
            kind = _edit(want, got.folded)
            if not _typo_ok(kind, want, len(key)) or (
                kind in ("edit", "swap") and got.folded in _COMMON_WORDS
            ):
                return None
            if kind == "keys":
                keyed = True
            else:
                typos += 1
        typos += keyed
        spelled = self.spellings.get(key)
        if spelled:
            accents = min(
                sum(1 for w, g in zip(s, window, strict=True) if _other_accents(w, g))
                for s in spelled
            )
            # In a short name other accents make another word ("báo tự[ động]" is not
            # "báo tử"); only names of three syllables or more tolerate one.
            if accents and len(key) <= 2:
                return None
            typos += accents
        return typos


def _kb_entries(kb_dir: str | Path) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """``(id, entry)`` of every knowledge-base file that can be read (the KB schema check
    reports the others)."""
    for path in sorted(Path(kb_dir).glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, Mapping):
            yield str(data.get("id") or path.stem), data


def _texts(values: Iterable[Any]) -> list[str]:
    return [str(v) for v in values if isinstance(v, str) and v.strip()]


def load_kb_aliases(kb_dir: str | Path) -> list[tuple[str, str]]:
    """``(alias, id)`` pairs of every knowledge-base file: its ``name`` and ``aliases``."""
    return [
        (name, procedure)
        for procedure, data in _kb_entries(kb_dir)
        for name in _texts([data.get("name"), *(data.get("aliases") or [])])
    ]


def _kb_phrases(kb_dir: str | Path, field: str, marker: str) -> list[tuple[str, str]]:
    """``(phrase, marker)`` pairs of every file's list ``field``."""
    return [
        (phrase, marker)
        for _, data in _kb_entries(kb_dir)
        for phrase in _texts(data.get(field) or [])
    ]


def load_kb_ambiguous_aliases(kb_dir: str | Path) -> list[tuple[str, str]]:
    """``(name, SEVERAL_PROCEDURES)`` pairs of every file's ``ambiguous_aliases``."""
    return _kb_phrases(kb_dir, "ambiguous_aliases", SEVERAL_PROCEDURES)


def load_kb_not_aliases(kb_dir: str | Path) -> list[tuple[str, str]]:
    """``(phrase, NOT_A_PROCEDURE)`` pairs of every file's ``not_aliases``: added to a
    matcher, they keep the aliases inside them from matching."""
    return _kb_phrases(kb_dir, "not_aliases", NOT_A_PROCEDURE)
