"""Turn lines written from a brief into Rasa NLU data: ``python -m bot.nlu.ingest``.

Writers who see no training or test file write ``intent<TAB>message`` lines
(``docs/nlu.md``, "A fourth and a fifth brief"). This module keeps the lines that add
something and annotates them the way the rest of the data is annotated:

* a line equal to another line of the batch, to a training line or to a test line once
  accents, case and punctuation are ignored (:func:`bot.nlu.text.fold_words`; emoji-only
  lines as written) is dropped: the test split must stay held out, and a copy teaches
  nothing;
* a line whose words (digits aside) overlap a test line or an earlier training line by
  ``near`` or more (Jaccard) is dropped: a near copy of a test line would flatter the
  benchmark, and briefs quote misread sentences as examples of a shape, so a near copy of
  a training line would flatter the cross-validation;
* an ``out_of_scope`` line that names a procedure is dropped (it contradicts itself);
* procedure names are annotated by the project's alias table, as the runtime extractor
  reads them (:func:`bot.nlu.alias_table.mentions`: names of papers beside the procedure
  asked about left out), dossier codes by :func:`bot.dossier_codes.find_codes`.

Pure functions; :func:`main` does the I/O.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.dossier_codes import find_codes
from bot.nlu.procedures import ProcedureMatch
from bot.nlu.text import fold_words

# Word overlap (Jaccard) from which a sentence is a near copy of another.
NEAR = 0.75
_DIGITS = re.compile(r"^\d+$")
# Characters that would break Rasa's example markup or the YAML block.
_UNSAFE = re.compile(r"[\[\]{}\"\n\r\t]")


@dataclass(frozen=True, slots=True)
class Line:
    intent: str
    text: str


@dataclass(slots=True)
class Selection:
    """What :func:`select` kept, and what it dropped with the reason."""

    kept: list[Line] = field(default_factory=list)
    dropped: dict[str, list[Line]] = field(default_factory=lambda: defaultdict(list))


def sentence_key(text: str) -> str:
    """The comparison key of a sentence: folded words, or the text itself when it has no
    word (emoji-only messages differ by their emoji)."""
    return fold_words(text) or text.strip()


def words(text: str) -> frozenset[str]:
    """The folded words of ``text`` without numbers (codes and dates vary freely)."""
    return frozenset(w for w in fold_words(text).split() if not _DIGITS.match(w))


def parse_tsv(text: str, intents: set[str]) -> tuple[list[Line], list[str]]:
    """Lines of ``intent<TAB>message``; the second value lists the lines that are not."""
    lines: list[Line] = []
    problems: list[str] = []
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        intent, sep, message = raw.partition("\t")
        intent, message = intent.strip(), " ".join(_UNSAFE.sub(" ", message).split())
        if not sep or not message:
            problems.append(f"line {n}: not intent<TAB>message: {raw!r}")
        elif intent not in intents:
            problems.append(f"line {n}: unknown intent {intent!r}")
        else:
            lines.append(Line(intent, message))
    return lines, problems


class NearIndex:
    """Word sets of the training sentences, indexed by word, for Jaccard look-ups."""

    def __init__(self, sentences: Iterable[str]) -> None:
        self._sets: list[frozenset[str]] = []
        self._by_word: dict[str, list[int]] = defaultdict(list)
        for sentence in sentences:
            ws = words(sentence)
            if ws:
                for w in ws:
                    self._by_word[w].append(len(self._sets))
                self._sets.append(ws)

    def nearest(self, ws: frozenset[str]) -> float:
        """The highest Jaccard overlap of ``ws`` with an indexed sentence (0 when none)."""
        shared: dict[int, int] = defaultdict(int)
        for w in ws:
            for i in self._by_word.get(w, ()):
                shared[i] += 1
        return max(
            (n / len(ws | self._sets[i]) for i, n in shared.items()),
            default=0.0,
        )


def select(
    lines: Sequence[Line],
    *,
    training: Iterable[str],
    test: Iterable[str],
    names_procedure: Callable[[str], bool],
    near: float = NEAR,
) -> Selection:
    """Keep the lines that add something (see the module docstring for the rules)."""
    training = list(training)
    seen_training = {sentence_key(s) for s in training}
    test = list(test)
    seen_test = {sentence_key(s) for s in test}
    index, test_index = NearIndex(training), NearIndex(test)
    out = Selection()
    batch: set[str] = set()
    for line in lines:
        k = sentence_key(line.text)
        ws = words(line.text)
        if k in batch:
            reason = "repeated in the batch"
        elif k in seen_test:
            reason = "equal to a test line"
        elif k in seen_training:
            reason = "equal to a training line"
        elif ws and test_index.nearest(ws) >= near:
            reason = f"near copy of a test line (>= {near:.2f})"
        elif ws and index.nearest(ws) >= near:
            reason = f"near copy of a training line (>= {near:.2f})"
        elif line.intent == "out_of_scope" and names_procedure(line.text):
            reason = "out_of_scope naming a procedure"
        else:
            reason = ""
        batch.add(k)
        if reason:
            out.dropped[reason].append(line)
        else:
            out.kept.append(line)
    return out


def annotate(text: str, procedures: Sequence[ProcedureMatch]) -> str:
    """``text`` in Rasa's example markup, with ``procedures`` (the names asked about) and
    the dossier codes found in it annotated; overlapping spans keep the first found."""
    spans: list[tuple[int, int, str, str]] = [
        (m.start, m.end, "procedure", m.procedure) for m in procedures
    ]
    for c in find_codes(text):
        if not any(s < c.end and c.start < e for s, e, _, _ in spans):
            spans.append((c.start, c.end, "dossier_code", c.code))
    out, at = [], 0
    for start, end, entity, value in sorted(spans):
        out.append(text[at:start])
        out.append(f'[{text[start:end]}]{{"entity": "{entity}", "value": "{value}"}}')
        at = end
    out.append(text[at:])
    return "".join(out)


def render(lines: Iterable[Line], annotated: Callable[[str], str], header: str) -> str:
    """A Rasa NLU YAML file of ``lines`` grouped by intent (in order of first use)."""
    by_intent: dict[str, list[str]] = {}
    for line in lines:
        by_intent.setdefault(line.intent, []).append(annotated(line.text))
    out = ['version: "3.1"']
    out += [f"# {h}".rstrip() for h in header.strip().splitlines()] if header.strip() else []
    out.append("nlu:")
    for intent, examples in by_intent.items():
        out += [f"  - intent: {intent}", "    examples: |"]
        out += [f"      - {e}" for e in examples]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Read TSV files, print what is dropped and why, write the kept lines as YAML."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.loading import load_data

    from bot.nlu.alias_table import mentions, names_any, table_pairs
    from bot.nlu.procedures import ProcedureMatcher
    from bot.settings import PROJECT_ROOT, load_settings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tsv", nargs="+", type=Path, help="intent<TAB>message files")
    ap.add_argument("--out", type=Path, required=True, help="the YAML file to write")
    ap.add_argument("--header", default="", help="comment at the top of the YAML file")
    ap.add_argument("--near", type=float, default=NEAR, help="Jaccard of a near copy")
    ap.add_argument("--train", type=Path, default=PROJECT_ROOT / "nlu_data" / "nlu")
    ap.add_argument("--test", type=Path, default=PROJECT_ROOT / "tests" / "nlu")
    args = ap.parse_args(argv)

    intents = set(Domain.load(str(PROJECT_ROOT / "domain.yml")).intents)
    lines: list[Line] = []
    for path in args.tsv:
        got, problems = parse_tsv(path.read_text(encoding="utf-8"), intents)
        for p in problems:
            print(f"{path}: {p}", file=sys.stderr)
        lines += got
    train, test = load_data(str(args.train)), load_data(str(args.test))
    # The table the served model's extractor reads names with.
    matcher = ProcedureMatcher.from_aliases(table_pairs(load_settings().kb.procedures_dir, train))

    chosen = select(
        lines,
        training=(m.get(TEXT) for m in train.intent_examples),
        test=(m.get(TEXT) for m in test.intent_examples),
        names_procedure=lambda t: names_any(matcher, t),
        near=args.near,
    )
    for reason, dropped in chosen.dropped.items():
        print(f"dropped, {reason}: {len(dropped)}")
        for line in dropped:
            print(f"    {line.intent}\t{line.text}")
    args.out.write_text(
        render(chosen.kept, lambda t: annotate(t, mentions(matcher, t)), args.header),
        encoding="utf-8",
    )
    print(f"kept {len(chosen.kept)} of {len(lines)} lines -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
