"""Thanks and praise among other words (``actions.thanks``)."""

from __future__ import annotations

import pytest

from actions.thanks import ends_with_thanks, praises, thanks_in_passing


@pytest.mark.parametrize(
    "text",
    [
        "ok hay qua",
        "bot gioi the",
        "hay quá ad",
        "tốt quá",
        "uh bot ma tra loi cung nhanh nhi 😂",
        "cháu ngoan lắm",  # batch 83
    ],
)
def test_praise_on_its_own_is_thanked_back(text: str) -> None:
    """Batch 63: "ok hay qua" after an answer got "chưa hiểu"."""
    assert praises(text)


@pytest.mark.parametrize(
    "text", ["hay qua nhi cho e hoi them", "hay là làm online", "tốt nhất nộp ở đâu"]
)
def test_praise_with_a_question_is_no_praise(text: str) -> None:
    assert not praises(text)


def test_thanks_in_passing() -> None:
    assert thanks_in_passing("uh thế bác biết rồi, để bác gọi bảo chúng nó, cảm ơn cháu nhá")
    assert not thanks_in_passing("cảm ơn, cho hỏi phí bao nhiêu")
    assert ends_with_thanks("tổng cộng lâu vậy à. thôi cảm ơn")
