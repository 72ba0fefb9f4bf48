"""bot.nlu.ingest: lines written from a brief become annotated Rasa data, copies dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot.nlu.ingest import Line, annotate, main, parse_tsv, render, select, sentence_key
from bot.nlu.procedures import ProcedureMatcher, load_kb_aliases
from bot.nlu.roles import asked_about
from bot.settings import PROJECT_ROOT

KB_DIR = PROJECT_ROOT / "nlu_data" / "procedures"


@pytest.fixture(scope="module")
def matcher() -> ProcedureMatcher:
    return ProcedureMatcher.from_aliases(load_kb_aliases(KB_DIR))


def test_parse_tsv_reports_bad_lines_and_unknown_intents() -> None:
    text = "ask_fee\tlệ phí  bao nhiêu\n\nask_fee lệ phí\nask_price\tbao nhiêu\ngreet\t[chào]\n"
    lines, problems = parse_tsv(text, {"ask_fee", "greet"})
    assert lines == [Line("ask_fee", "lệ phí bao nhiêu"), Line("greet", "chào")]
    assert [p.split(":")[0] for p in problems] == ["line 3", "line 4"]
    assert "unknown intent 'ask_price'" in problems[1]


def test_sentence_key_ignores_accents_case_punctuation_but_not_emoji() -> None:
    assert sentence_key("Chào bạn!") == sentence_key("chao ban") == "chao ban"
    assert sentence_key("👍") != sentence_key("❤️")


def test_select_drops_copies_near_copies_and_contradictions() -> None:
    training = ["lệ phí làm giấy khai sinh là bao nhiêu vậy ạ", "cảm ơn bạn"]
    test = ["nộp hồ sơ ở đâu", "làm căn cước cho con mất bao lâu thế"]
    lines = [
        Line("ask_fee", "le phi lam giay khai sinh la bao nhieu vay"),  # near (10/11 words)
        Line("thank", "Cảm ơn bạn!"),  # equal to training
        Line("ask_location", "nop ho so o dau"),  # equal to test
        Line("ask_duration", "bao lâu thì có kết quả"),
        Line("ask_duration", "bao lau thi co ket qua"),  # repeated in the batch
        Line("out_of_scope", "khai sinh cho chó được không"),
        Line("out_of_scope", "tiền điện tháng này bao nhiêu"),
        Line("ask_duration", "lam can cuoc cho con mat bao lau the a"),  # near test (9/10)
    ]
    chosen = select(
        lines,
        training=training,
        test=test,
        names_procedure=lambda t: "khai sinh" in t,
        near=0.75,
    )
    assert chosen.kept == [lines[3], lines[6]]
    assert {r: [x.text for x in v] for r, v in chosen.dropped.items()} == {
        "near copy of a training line (>= 0.75)": [lines[0].text],
        "equal to a training line": [lines[1].text],
        "equal to a test line": [lines[2].text],
        "near copy of a test line (>= 0.75)": [lines[7].text],
        "repeated in the batch": [lines[4].text],
        "out_of_scope naming a procedure": [lines[5].text],
    }


def test_select_ignores_numbers_when_comparing_words() -> None:
    training = ["hồ sơ H49.22-260120-000415 đến đâu rồi"]
    line = Line("check_dossier_status", "hồ sơ h49.22-251230-000001 đến đâu rồi")
    chosen = select([line], training=training, test=[], names_procedure=lambda t: False)
    assert chosen.kept == [] and list(chosen.dropped) == ["near copy of a training line (>= 0.75)"]


def test_annotate_marks_procedures_asked_about_and_codes(matcher: ProcedureMatcher) -> None:
    text = "lam ho chieu co can mang so ho khau ko, ma ho so h4922-260120-000415"
    out = annotate(text, asked_about(text, matcher.find(text)))
    assert out == (
        '[lam ho chieu]{"entity": "procedure", "value": "ho_chieu"} co can mang so ho khau'
        ' ko, ma ho so [h4922-260120-000415]{"entity": "dossier_code",'
        ' "value": "H49.22-260120-000415"}'
    )


def test_rendered_yaml_reads_back_in_rasa(matcher: ProcedureMatcher) -> None:
    lines = [
        Line("ask_fee", "nệ phí nàm khai sinh bao nhiêu"),
        Line("greet", "chào ad"),
        Line("ask_fee", "đổi bằng lái mất tiền ko"),
    ]
    text = render(lines, lambda t: annotate(t, asked_about(t, matcher.find(t))), header="a\nb")
    assert text.startswith('version: "3.1"\n# a\n# b\nnlu:\n  - intent: ask_fee\n')
    data = RasaYAMLReader().reads(text)
    got = [
        (m.get(INTENT), m.get(TEXT), [(e["entity"], e["value"]) for e in m.get(ENTITIES) or []])
        for m in data.intent_examples
    ]
    assert got == [
        ("ask_fee", "nệ phí nàm khai sinh bao nhiêu", [("procedure", "khai_sinh")]),
        ("ask_fee", "đổi bằng lái mất tiền ko", [("procedure", "giay_phep_lai_xe")]),
        ("greet", "chào ad", []),
    ]


def test_main_writes_the_kept_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    train, test = tmp_path / "train", tmp_path / "test"
    for folder, sentence in ((train, "cảm ơn bạn"), (test, "tạm biệt nhé")):
        folder.mkdir()
        (folder / "nlu.yml").write_text(
            f'version: "3.1"\nnlu:\n  - intent: thank\n    examples: |\n      - {sentence}\n',
            encoding="utf-8",
        )
    tsv = tmp_path / "lines.tsv"
    tsv.write_text("thank\tcam on ban\ngoodbye\ttam biet nhe\nthank\tthanks ad nhiều\n")
    out = tmp_path / "out.yml"
    assert main([str(tsv), "--out", str(out), "--train", str(train), "--test", str(test)]) == 0
    assert RasaYAMLReader().reads(out.read_text()).intent_examples[0].get(TEXT) == (
        "thanks ad nhiều"
    )
    printed = capsys.readouterr().out
    assert "dropped, equal to a training line: 1" in printed
    assert "dropped, equal to a test line: 1" in printed
    assert "kept 1 of 3 lines" in printed
