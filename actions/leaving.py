"""The citizen leaves to do something: "thôi để e hỏi xã", "ok để tối nay mình làm",
"ok de cuoi tuan toi ra dao" (batches 20, 23, 52, 53). Whatever the classifier read it as,
"Dạ vâng" answers it: it asks nothing."""

from __future__ import annotations

import re

from actions.aspect_words import aspects_asked
from actions.yes_no import asks_yes_no
from bot.nlu.text import fold_words

# Folded: "(ok/thôi) để (e) (về) hỏi/bảo/xem …": the citizen leaves to do something.
_LEAVING = re.compile(
    r"(?:(?:ok|oke|oki|okie|thoi|thui|vang|da|uh|u|vay|z|the|a|ah|hieu roi|hieu r|duoc roi|dc r|dc roi"
    # "Thế bác biết rồi, để bác gọi bảo nó" (batch 70)
    r"|(?:bac|e|em|toi|minh|chau|c|a) (?:biet|hieu|ro) (?:roi|r)|biet roi|biet r) )*"
    # "để tối nay mình làm", "để cuối tuần tôi ra đảo" (batches 52, 53): when, then who.
    r"de (?:(?:toi nay|mai|sang mai|chieu nay|chieu mai|cuoi tuan|tuan sau|hom khac|bua khac"
    r"|lat nua|ti nua|sau|cn|chu nhat|t7|thu 7|thu bay|tet|sau tet|ra tet) )?(?:e|em|toi|minh|mk|tui|chau|bac|t|c|chi|a|anh|co|chu|ba|ong|me|bo"
    # "thôi để cuối tuần cháu nó về rồi tính" (batch 76): a relative, "nó" after.
    r"|con|chong|vo|ck|vk)(?: (?:no|em|e|toi|minh|mk|tui))? "
    r"(?:(?:(?:ve|di|ra|len|tu|qua|xuong)(?: \w+){0,3} )?"
    r"(?:hoi|bao|noi|xem|tinh|lien he|goi|suy nghi|chuan bi|lam|ban|nop|dang ky|dk|mua|xin|thu"
    # "ok de e doi them" (batch 88), "thui để tui kiếm lại giấy biên nhận" (batch 88)
    r"|doi|kiem|tim"
    # "the thoi de bac tu di" (batch 107): the citizen goes alone after all.
    r"|tu di|tu lam|tu nop|tu lo)"
    r"|(?:ve|di|ra|len|qua|xuong)(?: \w+){0,3}$)\b"
)
# "ok vậy tôi ra xã hỏi" (batch 77): who goes where, to ask or do it there.
_GOING = re.compile(
    r"(?:(?:ok|oke|oki|okie|thoi|vang|da|uh|u|vay|z|the|a|ah) )+(?:e|em|toi|minh|mk|tui|chau|bac|t) "
    r"(?:ra|len|ve|qua|xuong|den) (?:\w+ ){0,3}(?:hoi|lam|nop)"
    r"(?: (?:sau|nhe|nha|vay|luon|them|thu|xem|lai|cho chac))*$"
)
# "ok tuần sau e lên" (batch 93): coming to the office, when, who; nothing asked.
_COMING = re.compile(
    r"(?:(?:ok|oke|oki|okie|vang|da|thoi|vay|z|u|uh) )+(?:(?:tuan sau|mai|sang mai|chieu nay"
    r"|chieu mai|cuoi tuan|hom khac|thu 2|t2|dau tuan) )?(?:e|em|toi|minh|mk|tui|chau|bac|t) "
    # "ok thứ 2 e với ck lên phường luôn 💪" (batch 105): who comes along.
    r"(?:(?:voi|vs|va|cung) (?:ck|vk|chong|vo|con|be|me|bo|ba|ong|chau) )?"
    r"(?:se )?(?:ra|len|ve|qua|xuong|den)(?: (?:xa|phuong|huyen|tinh|do|day|nhe|nha|a|ak|luon"
    r"|lam|nop|lay|sau))*$"
)
# "thôi để chiều gọi" (batch 65): when, then what, no one named; "de tet lam 1 the"
# (batch 87) says what.
_LATER_ON = re.compile(
    r"(?:(?:ok|oke|oki|thoi|vang|da|uh|u) )*de (?:toi nay|mai|sang mai|chieu nay|chieu mai|chieu"
    r"|sang|toi|cuoi tuan|tuan sau|hom khac|lat nua|ti nua|tet|sau tet|ra tet)"
    r" (?:hoi|goi|lam|nop|tinh|xem|thu)(?: \w+){0,3}$"
)
# "thoi de hoi to truong" (batch 87): whom to ask, no one named; "thôi" or "ok" first.
_ASK_ELSEWHERE = re.compile(
    r"(?:(?:ok|oke|oki|thoi|thui|vang|da|uh|u|a|vay) )+de (?:hoi|goi|bao|lien he)(?: \w+){1,3}$"
)
# "ok e sẽ dẫn mẹ bé lên xã" (batch 57): what the citizen will do, told.
_WILL_DO = re.compile(
    r"(?:(?:ok|oke|oki|vang|da|uh|u|vay|z|thoi) )*(?:e|em|toi|minh|mk|tui|chau|bac|t) (?:se|tranh thu) "
    r"(?:dan|ra|len|ve|di|lam|hoi|nop|bao|goi|qua|xuong|mang|chuan bi)\b"
)
# "thôi mai hỏi tiếp" (batch 58): more another time.
_LATER = re.compile(
    r"(?:(?:ok|oke|oki|thoi|vang|da|uh|u) )*(?:de )?(?:mai|hom khac|lat nua|ti nua|sau|toi nay) "
    r"(?:(?:e|em|toi|minh|mk|tui) )?(?:hoi|noi|tinh|lam|nhan) (?:tiep|sau|lai|nhe|nha)\b"
)
# "tôi đi biển 10 ngày, về tôi hỏi tiếp" (batch 76): back from somewhere, more then.
_BACK_LATER = re.compile(
    r"\bve (?:(?:roi|r) )?(?:(?:e|em|toi|minh|mk|tui|bac|chau) )?(?:hoi|tinh|lam|nhan) "
    r"(?:tiep|sau|lai)(?: (?:nhe|nha|a|ak))?$"
)
# "để khi nộp xong có mã r nhờ e" (batch 62): back once the dossier is filed.
_ONCE_FILED = re.compile(
    r"(?:(?:ok|oke|oki|thoi|vang|da|uh|u) )*(?:de )?(?:khi|luc|bao gio) (?:nao )?(?:\w+ ){0,2}"
    r"(?:nop|lam|gui) xong(?: \w+){0,4} (?:nho|hoi|nhan|gui)(?: (?:e|em|ad|ban|sau|lai|tiep))*$"
)
# "thôi để làm giấy thừa kế xong tính" (batch 106): another thing first, then see.
_AFTER_THAT = re.compile(
    r"(?:(?:ok|oke|oki|thoi|thui|vang|da|uh|u|vay|z) )*de (?:\w+ ){1,6}(?:xong|roi|r)"
    r" (?:roi )?(?:tinh|hoi|lam)(?: (?:tiep|sau|nhe|nha|a|ak))*$"
)
# "vay thoi dung vssid cho nhanh" (batch 106): the citizen's choice, told.
_DECIDED = re.compile(
    r"(?:(?:ok|oke|oki|vay|z|v|the|u|uh|da|vang) )*thoi (?:dung|lam|chon|xai|nop|lay) "
    r"(?:\w+ ){0,3}(?:cho (?:nhanh|tien|le|chac|gon)|vay|z|v|luon)$"
)
# "oki để e thử trên vneid 🤞" (batch 105): off to do it online, which names the online
# aspect without asking it.
_OFF_ONLINE = re.compile(
    r"(?:(?:ok|oke|oki|okie|thoi|thui|vang|da|uh|u|vay|z) )*de (?:\w+ ){0,2}(?:thu|lam|nop"
    r"|dang ky|dk)(?: thu)? (?:tren|qua|bang) (?:vneid|mang|app|dvc|dich vu cong|online)"
    r"(?: (?:xem|thu|nhe|nha|a|ak|luon|sau))*$"
)
# "…, co j toi hoi sau" (batch 106): more later, after leaving.
_MORE_LATER = re.compile(
    r"(?:co (?:gi|j) )?(?:(?:e|em|toi|minh|mk|tui|chau|bac|t) )?(?:hoi|nhan|tinh) "
    r"(?:sau|lai|tiep)(?: (?:nhe|nha|a|ak))*$"
)
# Words that make "e sẽ làm …" a question ("e sẽ làm thế nào"; folded).
_ASKING = frozenset(
    ("sao", "gi", "j", "nao", "dau", "ntn", "bn", "may", "khong", "ko", "kg", "k", "chua")
)
MAX_LEAVING_WORDS = 10


# Understood, and nothing more (folded): "hieu roi" (batch 83), "dạ rứa tốt quá", "rõ rồi ạ".
_UNDERSTOOD = re.compile(
    r"(?:(?:ok|oke|oki|da|vang|u|uh|a|ah|the|vay|rua|z|v|thoi) )*"
    r"(?:(?:hieu|ro|biet|nam duoc|nam dc) (?:roi|r)|tot qua|the thi tot|vay thi tot|rua tot qua"
    # "oke thế này dễ hiểu hơn 😅 sorry bot nha" (batch 104).
    r"|(?:(?:the nay|vay|nhu vay|z) )?de hieu (?:hon|roi|r|qua)"
    # "yeahhh 🥳" (batch 105) after the last answer.
    r"|ye+a+h+|yay+|hoan ho"
    # "gn" (batch 116): good night; "ok vậy anh để nguyên" (batch 114): left as it is.
    r"|gn|g9|ngu ngon|(?:(?:anh|em|e|toi|minh|chi|c|a) )?(?:de|giu) nguyen"
    # "ok nham tay" (batch 111): a slip of the finger.
    r"|nham tay|bam nham|go nham|an nham"
    # "thôi được" (batch 108) after the request for an official was noted.
    r"|(?:thoi|vay|the) (?:cung )?(?:duoc|dc))"
    r"(?: (?:a|ak|nhe|nha|ad|ban|chau|em|e|qua|roi|r))*"
    r"(?: (?:sorry|xin loi)(?: (?:bot|ban|em|e|ad|chau))?(?: (?:nha|nhe|a|ak))*)?"
)
# Giving it up (folded): "ok v thui khỏi làm 😁" (batch 104).
_GIVING_UP = re.compile(
    r"(?:(?:ok|oke|oki|okie|v|vay|z|thoi|thui|the|da|vang|u|uh) )*(?:thoi |thui )?khoi (?:lam|hoi|can)"
    r"(?: (?:nua|luon|nhe|nha|a|ak|vay|z|v|roi|r))*"
)


def acknowledges(text: str) -> bool:
    """True when ``text`` only says the answer is understood ("hiểu rồi", "dạ rứa tốt quá")
    or the matter given up ("ok v thui khỏi làm"; pure): "Dạ vâng" answers it."""
    words = fold_words(text)
    return _UNDERSTOOD.fullmatch(words) is not None or _GIVING_UP.fullmatch(words) is not None


def leaves_to_act(text: str) -> bool:
    """True when ``text`` says the citizen goes off to do something ("thôi để e hỏi xã",
    "ok để e bảo ck", "ok de e ve hoi ca nha"; pure): "Dạ vâng" answers it. The last
    clause may say it after a sigh ("trời ơi rắc rối dzậy, thôi để ảnh về rồi tính")."""
    if "," in text and _leaves(text.rsplit(",", 1)[1]) and not _asks(text):
        return True
    if _OFF_ONLINE.match(fold_words(text)) and not asks_yes_no(text):
        return True
    first, _, rest = text.partition(",")
    if rest and _leaves(first) and _MORE_LATER.match(fold_words(rest)):
        return True  # "thoi de toi ve ban voi vo da, co j toi hoi sau"
    return _leaves(text)


def _asks(text: str) -> bool:
    return asks_yes_no(text) or bool(aspects_asked(text))


def _leaves(text: str) -> bool:
    words = fold_words(text)
    return (
        len(words.split()) <= MAX_LEAVING_WORDS
        and bool(
            _LEAVING.match(words)
            or _LATER.match(words)
            or _ONCE_FILED.match(words)
            or (
                (_LATER_ON.match(words) or _ASK_ELSEWHERE.match(words))
                and not _ASKING & set(words.split())  # "để mai làm thế nào"
            )
            or _BACK_LATER.search(words)
            or _AFTER_THAT.match(words)
            or _DECIDED.match(words)
            or _GOING.match(words)
            or _COMING.match(words)
            or (_WILL_DO.match(words) and not _ASKING & set(words.split()))
        )
        and not _asks(text)  # "để e hỏi lệ phí hộ chiếu" asks it
    )
