"""What the featurizers see: placeholders for numbers, typo repair, accent invariance."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import aiohttp
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.placeholders import DOSSIER_CODE, NUMBER, PHONE, mask_numbers
from bot.nlu.procedures import ProcedureMatcher, load_kb_aliases
from bot.nlu.segment import segment
from bot.nlu.spelling import SyllableSpellChecker, correct, correct_lemma, edits1, split_run
from bot.nlu.text import fold
from bot.nlu.tokenizer import VietnameseTokenizer
from bot.settings import PROJECT_ROOT


def _masked(text: str) -> list[tuple[str, str]]:
    return [(p.surface, p.folded) for p in mask_numbers(text, segment(text))]


def test_dossier_code_is_one_placeholder_word_however_typed() -> None:
    for text, code in [
        ("hồ sơ 000.00.12.H49-251002-0015 đến đâu rồi", "000.00.12.H49-251002-0015"),
        ("theo doi ma 000 00 09 h49 - 251230 - 0510 nhe", "000 00 09 h49 - 251230 - 0510"),
        ("H49.22-260115-010023", "H49.22-260115-010023"),
    ]:
        words = _masked(text)
        assert (code, DOSSIER_CODE) in words, words
        assert sum(folded == DOSSIER_CODE for _, folded in words) == 1


def test_a_word_glued_to_a_code_by_the_segmenter_stays_a_word() -> None:
    # underthesea returns "H49-251230-0510 tra" as one word; "tra" (look up) must survive.
    for text in ("mã 000.00.09.H49-251230-0510 tra giúp em", "ma 000 00 09 h49-251230-0510 tra"):
        words = _masked(text)
        assert [f for _, f in words][:3] == ["ma", DOSSIER_CODE, "tra"], words
        assert all(text[text.index(s) :].startswith(s) for s, _ in words)


def test_phone_numbers_amounts_and_numbers() -> None:
    assert _masked("sđt 0912 345 678 nhé") == [
        ("sđt", "so dien thoai"),
        ("0912 345 678", PHONE),
        ("nhé", "nhe"),
    ]
    # "50k" is an amount, not "50 không"; a lone "k" still is "không".
    assert _masked("lệ phí 50k, k biết") == [
        ("lệ phí", "le phi"),
        ("50k", NUMBER),
        (",", ","),
        ("k", "khong"),
        ("biết", "biet"),
    ]
    assert _masked("tháng 8 nộp 2 lần") == [
        ("tháng", "thang"),
        ("8", NUMBER),
        ("nộp", "nop"),
        ("2", NUMBER),
        ("lần", "lan"),
    ]


def test_tokenizer_keeps_offsets_of_placeholders() -> None:
    text = "Theo dõi hồ sơ 000.00.12.h49-251002-0015 giúp em, sđt 0912345678"
    message = Message(data={TEXT: text})
    VietnameseTokenizer(VietnameseTokenizer.get_default_config()).process([message])
    tokens = message.get(TOKENS_NAMES[TEXT])
    by_lemma = {t.lemma: text[t.start : t.end] for t in tokens}
    assert by_lemma[DOSSIER_CODE] == "000.00.12.h49-251002-0015"
    assert by_lemma[PHONE] == "0912345678"
    assert all(a.end <= b.start for a, b in pairwise(tokens))


COUNTS = {
    "cho": 900,
    "chao": 100,
    "sinh": 50,
    "nhung": 30,
    "tru": 40,
    "tam": 45,
    "luc": 20,
    "xong": 12,
    "song": 3,
    "vay": 60,
    "mien": 8,
    "ngay": 30,
    "tu": 25,
}


@pytest.mark.parametrize(
    ("typed", "fixed"),
    [
        ("sihn", "sinh"),  # swapped letters
        ("nhugn", "nhung"),
        ("trus", "tru"),  # a letter too many
        ("lucc", "luc"),
        ("xoong", "xong"),
        ("sinh", "sinh"),  # known
        ("tamm", "tam"),
        ("tuc", "tuc"),  # three letters: no edit
        ("tus", "tu"),  # but a Telex mark is stripped: "tus" is "tú"
        ("vaayj", "vay"),  # Telex with the input method off: "vậy"
        ("mieenx", "mien"),
        ("ngayf", "ngay"),
        ("qwerty", "qwerty"),  # nothing near
        ("zzso", "zzso"),
        ("h49-1", "h49-1"),  # not a plain word
        ("caho", "chao"),  # a swap beats the more frequent "cho" (a letter dropped)
    ],
)
def test_correct_syllable(typed: str, fixed: str) -> None:
    assert correct(typed, COUNTS) == fixed


def test_a_rare_known_syllable_with_keyboard_remnants_is_read_as_the_one_meant() -> None:
    assert correct("dauu", {"dau": 600, "dauu": 3}) == "dau"
    assert correct("dauu", {"dau": 20, "dauu": 3}) == "dauu"  # not rare enough: a word
    assert correct("xoong", {"xong": 5, "xoong": 4}) == "xoong"


def test_a_typo_typed_with_diacritics_is_repaired_even_when_known() -> None:
    counts = {"thong": 500, "thog": 1, "dong": 300, "yes": 2, "yen": 90, "tuc": 50, "tu": 80}
    assert correct("thog", counts, accented=True) == "thong"  # "thôg", once in the data
    assert correct("thog", counts) == "thog"  # typed so without diacritics: kept
    assert correct("thog", {"thong": 5, "thog": 1}, accented=True) == "thog"  # not rare
    assert correct("yes", counts) == "yes"  # English, known: kept
    assert correct("dog", counts, accented=True) == "dong"  # "đồg": three letters repaired
    assert correct("dog", counts) == "dog"
    assert correct("tuc", counts, accented=True) == "tuc"  # Vietnamese: no edit at three
    assert correct("thoa", {"thao": 500, "thoa": 1}, accented=True) == "thoa"
    assert correct_lemma("thog bao", counts | {"bao": 9}, "thôg_báo") == "thong bao"
    assert correct_lemma("thog bao", counts | {"bao": 9}, "thog_bao") == "thog bao"


def test_correct_prefers_the_most_frequent_neighbour() -> None:
    assert correct("tanh", {"tinh": 5, "thanh": 9}) == "thanh"
    assert correct_lemma("khai sihn", {"khai": 3, "sinh": 3}) == "khai sinh"
    assert "sinh" in edits1("sihn") and "sin" in edits1("sinh") and "sinhh" in edits1("sinh")


RUN_COUNTS = {
    "ho": 90, "so": 80, "cua": 60, "bac": 10, "den": 20, "dau": 70, "roi": 40, "chieu": 30,
    "nhu": 25, "the": 50, "nao": 45, "nhut": 3, "hen": 8, "ao": 3, "lam": 200, "u": 4,
    "khai": 50, "sinh": 50, "bo": 30, "le": 20, "ro": 5, "nhieu": 40, "thong": 30, "tin": 20, "ki": 2, "nh": 9,
}  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "split"),
    [
        ("hosocuabacdendauroi", "ho so cua bac den dau roi"),
        ("hochieu", "ho chieu"),
        ("lamhochieunhuthenao", "lam ho chieu nhu the nao"),  # not "nhut hen ao": rarer
        ("khaisinh", "khai sinh"),
        ("sinhki", None),  # "ki" is too rare in the data to be trusted
        ("thongtinx", None),  # a letter no syllable takes
        ("facebook", None),  # not Vietnamese syllables
        ("thong", None),  # one syllable: nothing to split
        ("lamnh", None),  # "nh" is no syllable, however frequent
        ("hosoo", None),  # shorter than MIN_RUN_LENGTH
        ("bolero", None),  # a foreign word spelt like three syllables: too short to split
    ],
)
def test_split_run(typed: str, split: str | None) -> None:
    assert split_run(typed, RUN_COUNTS) == split


def test_a_run_together_word_is_split_only_when_no_edit_explains_it() -> None:
    assert correct("hosocuabacdendauroi", RUN_COUNTS) == "ho so cua bac den dau roi"
    assert correct("nhieuu", RUN_COUNTS) == "nhieu"  # a held key, not "nhieu u"
    assert correct_lemma("lamhochieu", RUN_COUNTS) == "lam ho chieu"


def test_spell_checker_trains_persists_loads_and_repairs_lemmas(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("spelling")
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    train = [Message(data={TEXT: t, "intent": "ask_fee"}) for t in ("làm khai sinh", "tạm trú")]
    tokenizer.process(train)
    SyllableSpellChecker.create({}, storage, resource, context).train(
        TrainingData(training_examples=train)
    )

    loaded = SyllableSpellChecker.load({}, storage, resource, context)
    message = Message(data={TEXT: "lamm khai sihn, tạm trus"})
    tokenizer.process([message])
    loaded.process([message])
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert [t.lemma for t in tokens] == ["lam", "khai sinh", ",", "tam", "tru"]
    # Offsets still point at what the citizen typed.
    assert [message.get(TEXT)[t.start : t.end] for t in tokens] == [
        "lamm",
        "khai sihn",
        ",",
        "tạm",
        "trus",
    ]


def test_short_names_need_their_accents_when_typed_with_accents() -> None:
    matcher = ProcedureMatcher.from_aliases(
        load_kb_aliases(PROJECT_ROOT / "nlu_data" / "procedures")
    )
    assert [m.procedure for m in matcher.find("bật thông báo tự động cho hồ sơ")] == []
    assert [m.procedure for m in matcher.find("xin giấy báo tử cho bố")] == ["khai_tu"]
    assert [m.procedure for m in matcher.find("giấy khai sính")] == ["khai_sinh"]


async def test_accents_do_not_change_the_intent(rasa_stack) -> None:
    """The model reads accent-folded features only: a held-out question typed without
    diacritics gets the intent the same question gets with them."""
    examples = load_data(str(PROJECT_ROOT / "tests" / "nlu")).nlu_examples
    texts = [m.get(TEXT) for m in examples if fold(m.get(TEXT)) != m.get(TEXT).lower()]
    assert len(texts) > 400

    async with aiohttp.ClientSession() as session:

        async def parse(text: str) -> tuple[str, float]:
            async with session.post(f"{rasa_stack.rasa_url}/model/parse", json={"text": text}) as r:
                intent = (await r.json())["intent"]
                return intent["name"], round(intent["confidence"], 3)

        differ = []
        for text in texts:
            accented, stripped = await parse(text), await parse(fold(text))
            if accented[0] != stripped[0]:
                differ.append((text, accented, stripped))
    # Regional words, doubled letters and accented abbreviations ("đk") normalise a little
    # differently with and without accents: 3 of 477 when written. The pipeline with an
    # accented word view beside the folded ones differed on 33.
    assert len(differ) <= len(texts) // 50, differ
