"""A scam told or pasted: "có người gọi tự xưng công an phường bảo tôi cài app để cập nhật
căn cước, có đúng ko", a text message with a link ("… tai khoan dinh danh cua ban bi khoa,
truy cap http://vneid-gov.com de xac thuc" có phải thật không).

Such messages name a procedure or an office, so they read as a question about căn cước or a
request for an official, or as nothing at all; the citizen needed a warning first. The
bot says what no office does (call or text to have an app installed, a link opened, an OTP
read out or money sent), where the real services are (VNeID from the app stores, sites
ending in .gov.vn) and whom to tell, with a button to reach an official.
"""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_replies import BUTTONS_OFFICIAL
from bot.logs import get_logger
from bot.nlu.text import fold_words

log = get_logger(__name__)

MSG_SCAM = (
    "Bạn nên cảnh giác, đây có thể là lừa đảo ạ. Công an và các cơ quan nhà nước không gọi "
    "điện, nhắn tin bắt cài ứng dụng, bấm đường link lạ, đọc mã OTP hay chuyển tiền. Bạn chỉ "
    "dùng ứng dụng VNeID tải từ CH Play/App Store và các trang có đuôi .gov.vn (như "
    "https://dichvucong.gov.vn). Đừng làm theo; nếu đã lỡ làm, hãy báo ngay cho ngân hàng và "
    "công an xã, phường gần nhất."
)

# A link as typed (lower case): "http://vneid-gov.com", "www.dvc-online.top", "bit.ly/x".
_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|xyz|top|cc|vip|site|online|link|me|io|ly|vn)"
    r"\b\S*"
)
_OFFICIAL_LINK = re.compile(r"(?:^|[/.@])[\w-]*\.?gov\.vn(?:$|[/:?#])")
# Folded, beside a link: "có phải thật không", "lừa đảo à", "có nên bấm vào không", or the
# message's own urging ("truy cập … để xác thực"). Not "có đúng không": "đọc trên
# thuvienphapluat.vn thấy lệ phí 50k có đúng ko" asks about a fee.
_DOUBTED_OR_URGED = re.compile(
    r"\b(?:co phai that|co that|that (?:khong|ko|k|kg|hong|ha|a|hay gia)|lua dao|gia mao"
    r"|co nen (?:bam|an|vao|cai|lam theo|nhan)|co an toan|tin (?:duoc|dc) (?:khong|ko|k)"
    r"|truy cap|xac thuc|bi khoa|trung thuong|nhan thuong|hoan tien)\b"
)
# Folded: someone passing for an office, or asking for an OTP.
_IMPERSONATION = re.compile(
    r"\b(?:tu xung|gia danh|mao danh)\b"
    r"|\b(?:gui|doc|cung cap|dua|cho|nhap) (?:cho (?:ho|no|nguoi ta|ben do) )?(?:ma )?otp\b"
)
# Folded: contacted out of the blue ("có người gọi", "nhắn tin zalo") …
_CONTACTED = re.compile(
    r"\b(?:goi (?:dien|cho)|goi den|co (?:nguoi|so la|so) goi|nguoi goi|nhan tin|tin nhan"
    r"|nhan (?:zalo|qua zalo|cho toi|cho em|cho minh)|sms|ket ban zalo|zalo la)\b"
)
# … and asked to do what no office asks that way.
_ASKED_TO = re.compile(
    r"\b(?:cai|tai) (?:app|ung dung|phan mem)\b|\bchuyen (?:tien|khoan)\b|\bbam (?:vao )?link\b"
    r"|\b(?:khoa|tam khoa) (?:tai khoan|dinh danh|sim|so|vneid)\b|\bvao link\b"
)


def _unofficial_links(text: str) -> list[str]:
    return [m for m in _LINK.findall(text.lower()) if not _OFFICIAL_LINK.search(m)]


def tells_of_a_scam(text: str) -> bool:
    """True when ``text`` tells or pastes a likely scam: someone passing for an office or
    asking for an OTP; a call or a message asking to install an app, open a link, unlock
    an account or send money; or a link outside .gov.vn asked about (pure)."""
    words = fold_words(text)
    if _IMPERSONATION.search(words):
        return True
    if _CONTACTED.search(words) and _ASKED_TO.search(words):
        return True
    return bool(_unofficial_links(text)) and bool(
        _DOUBTED_OR_URGED.search(words) or _CONTACTED.search(words)
    )


def warn_of_a_scam(dispatcher: CollectingDispatcher, text: str) -> bool:
    """Send :data:`MSG_SCAM` with the official button when ``text`` tells of a scam;
    True when it did."""
    if not tells_of_a_scam(text):
        return False
    log.info("kb.scam.warned")
    dispatcher.utter_message(text=MSG_SCAM, buttons=BUTTONS_OFFICIAL)
    return True
