"""Trouble with the online portal or the VNeID app: "nộp online trên cổng dịch vụ công cứ
báo lỗi không tải file lên được", "vao dichvucong.gov.vn dang nhap vneid bi loi hoai".

Such messages speak of applying online, so they read as ``ask_online``; the answer on how
to apply online is what did not work. The bot cannot mend the portal: it apologises, says
what the citizen can still do (try again later, check the attachment, apply in person at
the commune's public administration centre) and offers an official; a dossier code sent
next is looked up as usual. The procedure discussed is kept.
"""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_replies import BUTTONS_OFFICIAL
from bot.logs import get_logger
from bot.nlu.text import fold_words

log = get_logger(__name__)

MSG_PORTAL_TROUBLE = (
    "Xin lỗi bạn vì sự bất tiện. Lỗi của Cổng Dịch vụ công hay ứng dụng VNeID tôi không sửa "
    "được từ đây. Bạn thử lại sau ít phút và kiểm tra tệp đính kèm (ảnh rõ, đúng định dạng), "
    "hoặc nộp trực tiếp tại Trung tâm Phục vụ hành chính công cấp xã. Cần người hỗ trợ thì bấm "
    "«Gặp cán bộ»; có mã hồ sơ thì gửi để tôi tra giúp nhé."
)

# Folded: the portal, the VNeID or VssID app (not "app ngân hàng cứ báo lỗi").
_PORTAL = re.compile(
    r"\b(?:dich vu cong|dichvucong|dvc|vneid|vn eid|vssid|cong thong tin dien tu"
    r"|tai khoan dinh danh|dinh danh dien tu)\b"
)
# Folded: it fails. "lỗi" folds like "lời" ("trả lời") and "lối" ("lối vào").
_FAILS = re.compile(
    r"(?<!\btra )(?<!\bloi )\bloi\b(?! (?:ich|vao|ra|di|nhuan|khuyen|noi|chao|moi|ngo)\b)"
    r"|\b(?:treo|dung hinh|quay mai|quay hoai|quay vong vong|vang ra|bi out|bi sap|sap roi)\b"
    # Not "không nộp … được à": whether a procedure can be applied for online.
    r"|\b(?:khong|ko|k|kg|chang) (?:the )?(?:vao|tai|up|upload|dang nhap|mo|load|xac thuc"
    r"|dinh kem|ky so|thanh toan)(?: \w+){0,4} (?:duoc|dc|noi)\b"
    # "cái vneid c đăng nhập mãi k đc, báo sai mật khẩu" (batch 113).
    r"|\b(?:vao|dang nhap|mo|load|xac thuc)(?: \w+){0,2} (?:khong|ko|k|kg|chang) (?:duoc|dc)\b"
    r"|\b(?:sai|quen|mat) mat khau\b"
)


def tells_of_portal_trouble(text: str) -> bool:
    """True when ``text`` says the portal or the VNeID app fails ("cổng dịch vụ công cứ báo
    lỗi", "vneid đăng nhập không được"; pure)."""
    words = fold_words(text)
    return bool(_PORTAL.search(words) and _FAILS.search(words))


def answer_portal_trouble(dispatcher: CollectingDispatcher, text: str) -> bool:
    """Send :data:`MSG_PORTAL_TROUBLE` with the official button when ``text`` tells of the
    portal failing; True when it did."""
    if not tells_of_portal_trouble(text):
        return False
    log.info("kb.portal_trouble.answered")
    dispatcher.utter_message(text=MSG_PORTAL_TROUBLE, buttons=BUTTONS_OFFICIAL)
    return True
