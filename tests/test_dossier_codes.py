"""bot.dossier_codes: every reasonable spelling of a code, and things that are not codes."""

from __future__ import annotations

import pytest

from bot.dossier_codes import EXAMPLE_CODE, attempted_code, find_codes, normalize_code


@pytest.mark.parametrize(
    "typed,code",
    [
        ("000.00.12.H49-251002-0015", EXAMPLE_CODE),
        ("000.00.12.h49-251002-0015", EXAMPLE_CODE),
        ("000.00.12.H49 - 251002 - 0015", EXAMPLE_CODE),
        ("000.00.12H49-251002-0015", EXAMPLE_CODE),
        ("000 00 12 H49-251002-0015", EXAMPLE_CODE),
        ("0000012H49-251002-0015", EXAMPLE_CODE),
        ("tra giúp hồ sơ 000.00.12.H49-251002-0015 với", EXAMPLE_CODE),
        ("H49.22-260115-010023", "H49.22-260115-010023"),
        ("h49.22 - 260115 - 010023", "H49.22-260115-010023"),
        ("h4922-260115-010023", "H49.22-260115-010023"),
        ("mã e đây: h4907-260209-000713", "H49.07-260209-000713"),
        ("H49 22-260115-010023", "H49.22-260115-010023"),
        ("h49.2205-260115-010023", None),  # two groups run together: which is which?
        ("000.A0.01.H26-210212-9090", "000.A0.01.H26-210212-9090"),
        # Spaces instead of dashes; the last dash left out (the date is six digits).
        ("tra giúp mk hồ sơ H40.22 241115 0012", "H40.22-241115-0012"),
        ("hs ma 000 21 01 H49 260122 0045 co can bo sung gi ko", "000.21.01.H49-260122-0045"),
        ("ho so cua toi ma 000.00.12.H40-2412030005 sao ko thay", "000.00.12.H40-241203-0005"),
        # The letter O for a zero in the digits.
        ("tra ho so H49.22-25O612-0003", "H49.22-250612-0003"),
        ("000.00.12.H49-251002-OO15", EXAMPLE_CODE),
    ],
)
def test_spellings(typed, code):
    assert normalize_code(typed) == code


def test_offsets_point_into_the_text():
    text = "mã hs: 000.00.12.h49-251002-0015."
    (m,) = find_codes(text)
    assert text[m.start : m.end] == "000.00.12.h49-251002-0015"


@pytest.mark.parametrize(
    "text",
    [
        "0912345678",
        "022099012345",
        "hồ sơ của tôi",
        "251002-0015",
        "",
        "sdt 0912 345 678",
        "H49 lúc 251002 0015",  # a word between the province and the date
        "H49-OOOOOO",  # no number after the "date"
    ],
)
def test_not_codes(text):
    assert find_codes(text) == []


def test_attempts():
    assert attempted_code("H49-2510-15") == "H49-2510-15"
    assert attempted_code("lệ phí bao nhiêu") is None
    # Batch 19: the words around the code are not quoted back as part of it.
    assert attempted_code("G22.QN-240611-0045 day") == "G22.QN-240611-0045"
    assert attempted_code("mã là 000.00.12.H49 - 251002 - 15 nhé") == "000.00.12.H49 - 251002 - 15"
    assert attempted_code("đây: 000.00.12.H49-2510-0015.") == "000.00.12.H49-2510-0015"
