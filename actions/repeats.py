"""An answer that would repeat the bot's last reply word for word.

"thẻ bị mất thì sao" read as the BHYT fee just given, "bằng A1 thì có phải thi lại k"
after the overview: the entry has said what it holds, and the same text again answers
nothing, so the bot says so and offers the aspects and an official
(:data:`actions.procedures.MSG_NOTHING_MORE`). Some repeats are answers all the same: a
short question asked again (or one of aspect words alone), a button, where to file (a rule
that holds for any place), papers asked about after the documents, and a question the
answer already speaks of.
"""

from __future__ import annotations

import re

from actions.aspect_words import asks_nothing_but_aspects, aspects_asked
from actions.beyond_data import answered_in
from actions.history import BotTurn
from actions.planning import DOCUMENTS, LOCATION, Reply
from bot.kb.answers import WHO_GOES_HEAD
from bot.nlu.text import CLAUSE_END, fold_words

# At most this many words, a question that repeats the last answer asks for it again
# ("phí?", "giấy tờ gì"): it gets it again.
MAX_WORDS_ASKING_AGAIN = 3
# At most this many words, a message whose last clause asks the same aspect and nothing
# else asks for it again, whatever comes before.
MAX_WORDS_ASKED_IN_SO_MANY = 10
# Folded words that ask about papers: "cần thêm gì", "mang gì", "giấy …", "công chứng".
_ABOUT_PAPERS = re.compile(
    r"\b(?:can (?:them |nhung )?(?:gi|j)|mang (?:theo )?(?:gi|j)|giay|ban sao|ban chinh|"
    r"cong chung|chung thuc|photo)\b"
)


def repeats_the_answer(reply: Reply, turn: BotTurn, text: str) -> bool:
    """Whether ``reply`` to ``text`` would repeat, word for word, an answer of the bot's
    ``turn`` just before (all of it or one of its parts), to a message that asks more than the aspect again ("bố tôi đứng
    tên nhà thì sao" after the documents of thường trú); a button pressed, a short question
    asked again ("phí?"), where to file, and papers asked about after the documents get
    the answer again (pure)."""
    if turn.answered != reply.procedure_id or text.startswith("/"):
        return False
    words = fold_words(text).split()
    if len(words) <= MAX_WORDS_ASKING_AGAIN or asks_nothing_but_aspects(text):
        return False  # "phí?", "hồ sơ gồm những gì": asked again
    last = CLAUSE_END.split(text.strip(" ?!.\n"))[-1]
    if (
        len(words) <= MAX_WORDS_ASKED_IN_SO_MANY
        and aspects_asked(text) == [reply.aspect]
        and asks_nothing_but_aspects(last)
    ):
        return False  # "ok thôi chọn hkd. hồ sơ gồm gì" (batch 85): asked again
    if reply.text.startswith(WHO_GOES_HEAD.split("{")[0]):
        # "cả 2 vợ chồng phải cùng đi ký ko" (batch 97) right after the documents and who
        # goes: who must come is a rule for anyone, and it answers this case too.
        return False
    if reply.aspect == LOCATION:
        # "nhà e ở Cô Tô thì sao", "ra công an huyện hay xã cũng được": where to file is a
        # rule ("Công an cấp xã bất kỳ"), and it answers for that place too.
        return False
    if reply.aspect == DOCUMENTS and _ABOUT_PAPERS.search(" ".join(words)):
        # "e ly hôn rồi thì cần thêm gì k", "ko có giấy chứng sinh thì sao": the list
        # holds the papers of such cases ("Nếu trước đây đã có vợ/chồng: …").
        return False
    if answered_in(text, turn.texts):
        # "nếu anh ấy từng ly hôn r thì sao": the answer speaks of it ("… đã ly hôn").
        return False
    # Every text of the reply sent just before: "bố c là cựu chiến binh thì có được cấp
    # miễn phí k" read as the fee, right after where to buy and the fee (batch 76).
    return set(turn.texts) >= {reply.text, *reply.more}
