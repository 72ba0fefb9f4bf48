"""Procedure names told as the citizen's situation, not asked about (``actions.background``)."""

from __future__ import annotations

import pytest

from actions.background import told_as_background


@pytest.mark.parametrize(
    ("text", "name", "told"),
    [
        # From conversation batches 10 and 11.
        (
            "mua căn chung cư ở phường Hồng Gai, có sổ hồng rồi, giờ muốn chuyển hộ khẩu",
            "sổ hồng",
            True,
        ),
        ("ny a hộ khẩu hải phòng thì đk ở đâu", "hộ khẩu", True),
        ("đã có sổ đỏ rồi giờ muốn xây nhà thì xin phép ở đâu", "sổ đỏ", True),
        ("vợ em hộ khẩu ở Hà Nội", "hộ khẩu", True),
        ("anh ấy thường trú tại Uông Bí", "thường trú", True),
        ("lam o noi dang o hay noi thuong tru", "thuong tru", True),  # batch 12
        # Batch 13.
        ("con e 2 thang tuoi da co giay khai sinh r, gio lam the bhyt", "khai sinh", True),
        ("à nhầm, không phải bằng lái, là hộ chiếu sắp hết hạn", "bằng lái", True),
        # Asked about.
        ("nhập hộ khẩu cho con cần gì", "hộ khẩu", False),
        ("làm sổ đỏ rồi thì mất bao lâu", "sổ đỏ", False),
        ("có sổ đỏ không", "sổ đỏ", False),
        ("con tôi chưa có hộ khẩu thì làm thế nào", "hộ khẩu", False),
        ("hộ khẩu cần giấy tờ gì", "hộ khẩu", False),
    ],
)
def test_told_or_asked(text: str, name: str, told: bool) -> None:
    start = text.index(name)
    assert told_as_background(text, start, start + len(name)) is told
