"""Procedures citizens ask about that the knowledge base does not hold: a visa ("làm visa
hàn quốc ở đâu"), correcting a civil status record ("tên trong giấy khai sinh của con bị
sai dấu, giờ muốn sửa") or changing a child's name, a border pass (giấy thông hành),
adoption, guardianship, divorce, dissolving a company, fire safety, poor-household status,
a land dispute, a lawsuit, a guest's stay reported (thông báo lưu trú), a child born
abroad or a record made abroad (civil status with a foreign element), a business
suspended or moved or a residence struck off (named with its registration, which is not
what is asked).

Without this, such a question got the nearest procedure's answer (a correction of a birth
record got how to register a birth) or "việc này nằm ngoài phạm vi". The bot now says that
this procedure is not in its guidance yet, where to look it up, and offers an official;
the question is kept for editors, who decide whether the procedure should be added. The
bot states no fact about the procedure itself: none is sourced.

A correction is told by a word of changing or of a mistake with what was wrong (name,
date of birth, accent mark…) and a civil status record (khai sinh, kết hôn, khai tử); a
mistake on an ID card is căn cước's cấp đổi, which the knowledge base holds.
"""

from __future__ import annotations

import re
import unicodedata

from actions.copies import COPY_PROCEDURE
from bot.nlu.text import fold_words

MSG_NOT_COVERED = (
    "Hướng dẫn của tôi chưa có thủ tục {name} nên tôi chưa trả lời chắc chắn được. Bạn có "
    "thể tra cứu tại https://dichvucong.gov.vn, hỏi bộ phận một cửa, hoặc bấm «Gặp cán bộ» "
    "để được cán bộ hướng dẫn ạ."
)
_SAID = re.compile(
    re.escape(MSG_NOT_COVERED.split("{name}")[0])
    + "(.+?)"
    + re.escape(MSG_NOT_COVERED.split("{name}")[1][:20])
)
# The records a correction is of: named in such a question, they are not what is asked.
RECORDS = frozenset(("khai_sinh", "ket_hon", "khai_tu", COPY_PROCEDURE))

ALCOHOL_LICENCE = "cấp giấy phép bán lẻ rượu, thuốc lá"
FOOD_SAFETY = "cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"
# Folded phrases that name a procedure the knowledge base lacks, and its name.
_NAMED: tuple[tuple[re.Pattern[str], str], ...] = (
    # Not "thẻ visa" (a bank card).
    (re.compile(r"(?<!\bthe )\b(?:visa|thi thuc)\b"), "thị thực (visa)"),
    (re.compile(r"\b(?:cai chinh|bo sung) ho tich\b|\bcai chinh\b"), "cải chính hộ tịch"),
    (re.compile(r"\bgiay thong hanh\b"), "cấp giấy thông hành"),
    (re.compile(r"\b(?:nhan|xin) con nuoi\b"), "đăng ký nuôi con nuôi"),
    (re.compile(r"\b(?:dang ky|dk|dky) giam ho\b"), "đăng ký giám hộ"),
    # Batch 29.
    (
        re.compile(r"\bdoi (?:ho |ho ten |ten )?(?:ten )?(?:cho )?(?:con|be|chau)\b"),
        "thay đổi hộ tịch",
    ),
    (
        re.compile(r"\b(?:thu tuc|lam|nop don|don|xin) ly hon\b|\bly hon (?:nop|lam) o dau\b"),
        "ly hôn",
    ),
    (
        re.compile(r"\bgiai the (?:cty|cong ty|doanh nghiep|dn)\b|\bthu tuc giai the\b"),
        "giải thể doanh nghiệp",
    ),
    (re.compile(r"\b(?:pccc|phong chay chua chay)\b"), "phòng cháy, chữa cháy"),
    # Batch 34: a permit of its own, not registering the business.
    (
        re.compile(r"\b(?:kinh doanh |kd )?(?:dich vu )?lu hanh\b"),
        "cấp giấy phép kinh doanh lữ hành",
    ),
    (
        re.compile(r"\b(?:xin|cong nhan|xet|lam|dang ky|dk) (?:tro cap )?ho ngheo\b"),
        "công nhận hộ nghèo",
    ),
    # Batches 48, 55: a lawsuit, which a court hears ("kiện" alone is also a parcel or "ý
    # kiến"), and land taken by a relative or a neighbour (the commune mediates first).
    (
        re.compile(r"\b(?:khoi kien|di kien|phai kien|muon kien|kien (?:o dau|ra toa|len toa))\b"),
        "khởi kiện (do Tòa án giải quyết)",
    ),
    (
        re.compile(
            r"\btranh chap (?:dat|ranh gioi|thua ke|nha dat)\b|\b(?:lan|chiem) (?:het )?dat\b"
            r"|\blan chiem\b|\bchiem het\b"
        ),
        "hòa giải, giải quyết tranh chấp đất đai",
    ),
    # Batch 55: guests' stay, which a homestay reports, is no tạm trú; batch 112: "còn
    # khách việt thì sao, ở 2 3 đêm thôi".
    (
        re.compile(
            r"\b(?:khai bao|thong bao|bao) luu tru\b"
            r"|\bkhach(?: \w+){0,4} (?:o|nghi|ngu) (?:\d+|mot|hai|ba|vai|may)(?: \d+)? dem\b"
        ),
        "thông báo lưu trú",
    ),
    # Batch 66: changing land use (garden to residential land) before building.
    (
        re.compile(r"\bchuyen (?:doi )?muc dich(?: su dung)?(?: dat)?\b|\blen tho cu\b"),
        "chuyển mục đích sử dụng đất",
    ),
    # Batch 65: a school asks for it; it confirms residence, registers none.
    # "Vậy giờ cần chứng minh nơi cư trú thì lấy giấy gì" (batch 107) asks for it too.
    (
        re.compile(r"\bxac nhan (?:thong tin )?(?:ve )?cu tru\b|\bchung minh (?:noi )?cu tru\b"),
        "xác nhận thông tin về cư trú",
    ),
    # Batch 107: a pensioner's funeral allowance, which social insurance pays.
    (
        re.compile(
            r"\b(?:mai tang phi|tro cap mai tang|tien mai tang|che do mai tang|tro cap tuat"
            r"|tien tuat|che do tu tuat|tu tuat)\b"
        ),
        "trợ cấp mai táng, tử tuất (do cơ quan Bảo hiểm xã hội giải quyết)",
    ),
    # Batch 111: an electronic identity account raised to level 2, which the police do.
    (
        re.compile(
            r"\b(?:nang|len|dang ky|lam|kich hoat|xin) (?:tai khoan )?(?:vneid |dinh danh "
            r"(?:dien tu )?)?(?:muc 2|muc hai)\b|\bkich hoat (?:tai khoan )?(?:vneid|dinh danh)\b"
        ),
        "cấp tài khoản định danh điện tử (VNeID) mức 2",
    ),
    # Batches 114, 117, 118: a trademark, customs, a food safety certificate.
    (
        re.compile(r"\bdang ky (?:nhan hieu|thuong hieu|logo|ban quyen)\b|\bnhan hieu\b"),
        "đăng ký nhãn hiệu (do Cục Sở hữu trí tuệ giải quyết)",
    ),
    (
        # Not "xuất khẩu lao động" (working abroad).
        re.compile(r"\b(?:xuat hang|hai quan|nhap khau hang|xuat khau hang(?: hoa)?)\b"),
        "hải quan, xuất nhập khẩu hàng hóa",
    ),
    (re.compile(r"\ban toan thuc pham\b|\bvstp\b|\bvsattp\b"), FOOD_SAFETY),
    # Batch 109: a vehicle's inspection, which a registry centre does.
    (re.compile(r"\bdang kiem\b"), "đăng kiểm phương tiện (do trung tâm đăng kiểm thực hiện)"),
    # Batch 107: a licence to sell alcohol or tobacco, not the business's registration.
    (
        re.compile(
            r"\b(?:giay phep|phep) (?:ban|ban le|kinh doanh|kd) (?:le )?(?:ruou|thuoc la|bia)\b"
        ),
        ALCOHOL_LICENCE,
    ),
)
# A new licence's exams, which the entry on renewing and re-issuing a licence does not hold:
# "e truot sa hinh roi … thi lai co phai thi lai ly thuyet ko" (batch 111).
_LICENCES = frozenset(("giay_phep_lai_xe",))
# "thi bằng" folds like "thì bằng" ("… online thì bằng gửi về nhà"): a licence class or
# "lái" after it. Not a licence expired ("hết hạn … có phải thi lại"), which it holds.
_LICENCE = r"(?:bang (?:lai|a1|a2|a|b1|b2|b|c1|c|d|e)|gplx|sa hinh|ly thuyet|lai xe|thuc hanh)"
_EXAMS = re.compile(
    rf"\b(?:thi|hoc|sat hach)(?: lai)? {_LICENCE}\b|\btruot (?:sa hinh|ly thuyet|thuc hanh)\b"
    r"|\bsa hinh\b"
)
_EXPIRED = re.compile(r"\b(?:het han|qua han)\b")
EXAMS = "sát hạch, cấp mới giấy phép lái xe"
# Changes to a business registered, which name the registration but are procedures of
# their own (batch 62): "ra tết e muốn nghỉ bán 3 tháng … hộ kd", "đổi địa chỉ kinh doanh".
_BUSINESSES = frozenset(("ho_kinh_doanh", "thanh_lap_doanh_nghiep"))
_OF_A_BUSINESS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b(?:tam ngung|tam nghi|ngung|nghi) (?:kinh doanh|kd|buon ban|hoat dong)\b"
            r"|\b(?:tam ngung|tam nghi|nghi|ngung) ban (?:\d+|mot|vai|may) (?:thang|tuan|nam)\b"
        ),
        "tạm ngừng kinh doanh",
    ),
    (
        re.compile(
            r"\b(?:chuyen|doi|thay doi) (?:dia diem|dia chi|tru so)(?: kinh doanh| kd)?\b"
            # "cty bọn e đăng ký xong rồi nhưng muốn đổi tên, thêm ngành nghề" (batch 117)
            r"|\b(?:doi|thay doi|bo sung|them) (?:ten|nganh nghe|nganh kinh doanh)\b"
        ),
        "thay đổi nội dung đăng ký kinh doanh",
    ),
)
_BUSINESS = re.compile(r"\b(?:kinh doanh|kd|hkd|buon ban|cty|cong ty|doanh nghiep)\b")
# Countries and "abroad" (folded).
_ABROAD = (
    r"(?:nuoc ngoai|nhat|nhat ban|han|han quoc|dai loan|trung quoc|tq|my|hoa ky|uc|duc|phap"
    # Not "người lao động".
    r"|nga|lao(?! dong| cong)|campuchia|cam pu chia|thai lan|malaysia|singapore|canada|ba lan"
    r"|sec|anh quoc|ha lan|tay ban nha|thuy dien|na uy|phan lan)"
)
# A residence struck off, which names the registration but is a procedure of its own
# (batches 76, 80): "còn phải xóa thường trú cho ông không", "có phải đi cắt khẩu cho bố".
_RESIDENCES = frozenset(("thuong_tru", "tam_tru"))
# Moving house, whose registration at the new place strikes off the old: "có phải cắt khẩu
# ở nơi cũ trước không", "có cần xóa hộ khẩu ở quê trước k", "có phải về quê xóa hộ khẩu
# không" (batches 77, 81, 83) ask about thường trú.
_MOVING = re.compile(r"\b(?:chuyen|cu|moi|que|truoc|ve)\b")
_OF_A_RESIDENCE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:xoa|huy) (?:dang ky |dk )?tam tru\b"), "xóa đăng ký tạm trú"),
    # "người bạn Trung Quốc sang … chơi ở nhà tôi 1 tuần, có phải khai báo tạm trú không"
    # (batch 109): a foreigner's stay is declared otherwise.
    (
        re.compile(
            rf"\b(?:nguoi|khach|ban)(?: ban)? {_ABROAD}\b(?=.*\b(?:tam tru|luu tru)\b)"
            rf"|\b(?:tam tru|luu tru)\b.*\b(?:nguoi|khach|ban)(?: ban)? {_ABROAD}\b"
        ),
        "khai báo tạm trú cho người nước ngoài",
    ),
    (
        re.compile(
            r"\b(?:xoa|huy|cat) (?:dang ky |dk )?(?:thuong tru|ho khau|khau)\b"
            # "… co phai di xoa ten bo trong ho khau nua k" (batch 107)
            r"|\bxoa ten (?:\w+ ){0,3}(?:trong|khoi|o) (?:so )?(?:ho khau|thuong tru)\b"
        ),
        "xóa đăng ký thường trú",
    ),
)
# A civil status record corrected: a word of changing or of a mistake next to what was
# wrong ("sai dấu", "sửa lại ngày sinh", "tên … bị ghi sai"), and the record.
_FIELDS = r"(?:ho ten|ten dem|chu dem|ten|ngay sinh|nam sinh|que quan|dan toc|gioi tinh)"
_CORRECTION = re.compile(
    r"\b(?:sai|nham|sua|sua lai|doi|doi lai|thay doi|ghi sai|viet sai) (?:\w+ )?"
    + f"{_FIELDS}\\b|\\bsai dau\\b"
    + f"|\\b{_FIELDS}(?: \\w+){{0,8}} (?:bi )?(?:sai|nham|ghi sai|viet sai|ghi nham)\\b"
    # "ko phải khai sinh mới đâu, tôi hỏi sửa cái cũ cơ"
    + r"|\bsua (?:lai )?(?:cai|giay|ban|to) cu\b"
)
_RECORD = re.compile(r"\b(?:khai sinh|ket hon|khai tu|ho tich)\b")
# Civil status abroad, a procedure of its own with a foreign element (research sheet: "có
# yếu tố nước ngoài là thủ tục riêng"): a child born abroad ("con tôi sinh bên Nhật giờ về
# nước đăng ký khai sinh"), a record made abroad ("giấy kết hôn đăng ký ở Hàn Quốc … ghi chú
# thế nào"). Not a foreign spouse born abroad: kết hôn's entry speaks of that case (folded).
_CHILD = r"(?:con|be|chau|em be|dua nho|dua be|con trai|con gai)"
BORN_ABROAD = "đăng ký khai sinh có yếu tố nước ngoài (trẻ sinh ở nước ngoài)"
# Abroad named, then born "there" (folded, and as typed: "đẻ" is also "để"): "con trai bà
# … đang làm ở bên Hàn, đẻ cháu bên đấy được 8 tháng rồi" (batch 109).
_IN_A_COUNTRY = re.compile(rf"\b(?:o|ben|tai|sang) {_ABROAD}\b")
_BORN_THERE = re.compile(r"\b(?:sinh|đẻ)(?: (?:con|bé|cháu))? (?:ở|bên|tại) (?:đấy|đó|bển)\b")
_OF_ABROAD: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            rf"\b{_CHILD}(?: \w+){{0,5}} sinh (?:ra )?(?:o|ben|tai) {_ABROAD}\b"
            rf"|\bsinh (?:con|be|chau) (?:o|ben|tai) {_ABROAD}\b"
        ),
        BORN_ABROAD,
    ),
    (
        re.compile(
            rf"\b(?:dang ky|dk|dky|lam|cap)(?: giay)? (?:ket hon|khai sinh)(?: \w+){{0,3}}"
            rf" (?:o|ben|tai) {_ABROAD}\b|\bghi chu (?:ket hon|khai sinh|ly hon|ho tich)\b"
            rf"|\b(?:ket hon|khai sinh)(?: \w+){{0,3}} (?:dang ky|dk|dky|lam|cap) (?:o|ben|tai)"
            rf" {_ABROAD}\b"
        ),
        "ghi vào sổ hộ tịch việc hộ tịch đã đăng ký ở nước ngoài (ghi chú)",
    ),
)
_ID_CARD = re.compile(r"\b(?:cccd|can cuoc|cmnd|chung minh)\b")


# Taxes, which the tax office handles: "đăng ký xong có phải đóng thuế không", "thuế thì
# sao" (batches 76, 78). Folded, "thuế" is also "thuê" (rent): typed with its mark, or
# folded with a word of paying one. Not beside a fee ("thuế phí ai chịu", "trước bạ"), which
# the fee of the procedure answers.
_TAX_TYPED = re.compile(r"\bthuế\b")
_TAX = re.compile(
    r"(?<!\bhop )\b(?:dong|nop|ke khai|quyet toan|chiu|mien) thue\b"
    r"|\bthue (?:tncn|thu nhap|mon bai|gtgt|vat|khoan|kinh doanh)\b"
    # "co phai dang ky thue rieng ko" (batch 114), not "đăng ký thuê nhà".
    r"|\b(?:dang ky|dk) thue\b(?! (?:nha|tro|phong|dat|xe|mat bang|cua hang|ki ot|kiot))"
)
_FEE = re.compile(r"\b(?:phi|le phi|truoc ba)\b")
TAXES = "kê khai, nộp thuế (do cơ quan thuế giải quyết)"
# Matters that come beside a procedure rather than instead of it: the taxes of a business,
# its licence to sell alcohol (batches 103, 107). The procedure discussed is kept, and an
# aspect asked next ("thay đổi ngành nghề mất mấy ngày") is of it, not of the matter.
BESIDE_A_PROCEDURE = frozenset((TAXES, ALCOHOL_LICENCE, FOOD_SAFETY))


def not_covered(text: str, named: set[str]) -> str | None:
    """The name of the procedure ``text`` asks about when the knowledge base lacks it
    ("còn visa nhật thì bên mình có hướng dẫn không"), else None; ``named``: the ids of
    the procedures the message names, which are asked about instead, unless they are the
    record a correction is of (pure)."""
    folded = fold_words(text)
    # Procedures of their own that name one the knowledge base holds: a business's change,
    # a residence struck off, a new licence's exams, civil status abroad.
    business = bool(named and named <= _BUSINESSES) or bool(_BUSINESS.search(folded))
    residence = named <= _RESIDENCES | {"khai_tu"} and not _MOVING.search(folded)
    exams = named <= _LICENCES and bool(_EXAMS.search(folded)) and not _EXPIRED.search(folded)
    beside_a_name = (
        (_first_named(_OF_A_BUSINESS, folded) if business else None)
        or (_first_named(_OF_A_RESIDENCE, folded) if residence else None)
        or (EXAMS if exams else None)
        or (_of_abroad(text, folded) if named <= RECORDS else None)
    )
    if beside_a_name:
        return beside_a_name
    correction = corrects_a_record(text)
    if named - RECORDS or (named and not correction):
        return None
    if lacking := _first_named(_NAMED, folded):
        return lacking
    if correction:
        return "cải chính hộ tịch"
    return TAXES if _asks_about_taxes(text, folded) else None


def _of_abroad(text: str, folded: str) -> str | None:
    """Civil status abroad: a child born abroad, or "there" after a country, or a record made
    abroad (else None)."""
    if abroad := _first_named(_OF_ABROAD, folded):
        return abroad
    typed = unicodedata.normalize("NFC", text.lower())
    return BORN_ABROAD if _IN_A_COUNTRY.search(folded) and _BORN_THERE.search(typed) else None


def _first_named(table: tuple[tuple[re.Pattern[str], str], ...], folded: str) -> str | None:
    """The name of the first pattern of ``table`` the folded text matches, else None."""
    return next((name for pattern, name in table if pattern.search(folded)), None)


def _asks_about_taxes(text: str, folded: str) -> bool:
    typed = unicodedata.normalize("NFC", text.lower())
    return bool(_TAX_TYPED.search(typed) or _TAX.search(folded)) and not _FEE.search(folded)


def corrects_a_record(text: str) -> bool:
    """True when ``text`` asks to correct a civil status record ("tên trong giấy khai sinh
    bị sai dấu, giờ muốn sửa", "ngày sinh trên giấy kết hôn ghi nhầm"; pure)."""
    folded = fold_words(text)
    if _ID_CARD.search(folded):
        return False
    return bool(_CORRECTION.search(folded) and _RECORD.search(folded))


def not_covered_named(said: str) -> str | None:
    """The procedure a bot message said no entry holds (:data:`MSG_NOT_COVERED`), else
    None (pure)."""
    found = _SAID.match(said)
    return found.group(1) if found else None
