"""Plain, short Vietnamese for a citizen: what a dossier's status means and what to do next.

Pure functions over :class:`Dossier`; used by the status answer and by the notifier's
messages, so both say the same thing in the same words.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.onestop._models import VN_TZ, Dossier, DossierStatus

NATIONAL_LOOKUP_URL = "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html"
_HUMAN_HINT = 'hoặc nhắn "gặp cán bộ"'


def fmt_date(value: datetime | date | None) -> str:
    """dd/mm/yyyy in Vietnam's time zone; empty when unknown."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(VN_TZ).date()
    return value.strftime("%d/%m/%Y")


def fmt_vnd(amount: int) -> str:
    """``50000`` → ``50.000 đồng`` (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def today_vn() -> date:
    return datetime.now(VN_TZ).date()


def _place(d: Dossier) -> str:
    return d.return_place or d.agency or "Bộ phận một cửa nơi bạn nộp hồ sơ"


def _reason(d: Dossier) -> str:
    return f" (lý do: {d.reason.rstrip('.')})" if d.reason else ""


def explain_status(d: Dossier) -> str:
    """What the status means for the citizen, and what to do next."""
    s = d.status
    if s is DossierStatus.SUBMITTED:
        return (
            "Hồ sơ đã nộp thành công, đang chờ bộ phận một cửa kiểm tra và tiếp nhận. "
            "Bạn chưa cần làm gì thêm; khi được tiếp nhận, hồ sơ sẽ có ngày hẹn trả."
        )
    if s is DossierStatus.RECEIVED:
        return "Hồ sơ đã được tiếp nhận và chuyển đi giải quyết. Bạn chưa cần làm gì thêm, chỉ cần chờ đến ngày hẹn trả."
    if s is DossierStatus.PROCESSING:
        return "Cơ quan chuyên môn đang thẩm định, giải quyết hồ sơ. Bạn chưa cần làm gì thêm."
    if s is DossierStatus.NEEDS_DOCUMENTS:
        docs = "".join(f"\n• {doc}" for doc in d.missing_documents)
        head = f"Cơ quan giải quyết đề nghị bạn bổ sung giấy tờ{_reason(d)}"
        where = "trên Cổng Dịch vụ công (mục hồ sơ của bạn)" if d.online else f"tại {_place(d)}"
        return (
            f"{head}:{docs}\n" if docs else f"{head}. "
        ) + f"Bạn nộp bổ sung {where}. Thời hạn giải quyết tạm dừng cho đến khi bạn bổ sung đủ."
    if s is DossierStatus.NEEDS_PAYMENT:
        fees = "".join(f"\n• {f.name}: {fmt_vnd(f.amount_vnd)}" for f in d.fees)
        head = "Bạn cần nộp phí, lệ phí (hoặc nghĩa vụ tài chính) để hồ sơ được giải quyết tiếp"
        return (
            f"{head}:{fees}\n" if fees else f"{head}. "
        ) + f"Bạn có thể thanh toán trực tuyến trên Cổng Dịch vụ công hoặc nộp tại {_place(d)}."
    if s is DossierStatus.READY:
        return (
            f"Hồ sơ đã giải quyết xong. Bạn nhận kết quả tại {_place(d)}; nhớ mang Giấy tiếp nhận "
            "hồ sơ và hẹn trả kết quả cùng giấy tờ tùy thân (hoặc nhận qua bưu chính nếu đã đăng ký)."
        )
    if s is DossierStatus.RETURNED:
        when = f" ngày {fmt_date(d.returned_at)}" if d.returned_at else ""
        return f"Kết quả đã được trả{when}. Hồ sơ đã hoàn tất."
    if s is DossierStatus.REJECTED:
        return (
            f"Hồ sơ không được tiếp nhận{_reason(d)}. Bạn có thể hoàn thiện theo hướng dẫn rồi nộp lại; "
            f"cần hỏi thêm, bạn liên hệ {_place(d)} {_HUMAN_HINT}."
        )
    if s is DossierStatus.WITHDRAWN:
        return "Hồ sơ đã được rút theo yêu cầu của người nộp; việc giải quyết đã kết thúc."
    # STOPPED
    return (
        f"Hồ sơ đã bị dừng xử lý{_reason(d)}. Bạn liên hệ {_place(d)} để biết cách làm tiếp, "
        f"{_HUMAN_HINT}."
    )


def overdue_note(d: Dossier, today: date) -> str:
    days = d.overdue_days(today)
    if days <= 0:
        due_today = (
            d.due_at is not None
            and d.status is not DossierStatus.READY
            and not d.status.is_final
            and d.due_at.astimezone(VN_TZ).date() == today
        )
        return "Hôm nay là ngày hẹn trả kết quả." if due_today else ""
    return (
        f"Hồ sơ đã quá hẹn trả {days} ngày. Thành thật xin lỗi bạn vì sự chậm trễ; bạn có thể "
        f"liên hệ {d.agency or _place(d)} để được giải thích, {_HUMAN_HINT}."
    )


def status_answer(d: Dossier, *, today: date) -> str:
    """The whole answer to "hồ sơ của tôi thế nào rồi?" (fits a phone screen)."""
    lines = [f"Hồ sơ {d.code}", f"• Thủ tục: {d.procedure_name}"]
    if d.applicant_masked:
        lines.append(f"• Chủ hồ sơ: {d.applicant_masked}")
    dates = []
    if d.received_at:
        dates.append(f"tiếp nhận {fmt_date(d.received_at)}")
    if d.due_at:
        dates.append(f"hẹn trả {fmt_date(d.due_at)}")
    if dates:
        lines.append("• Ngày " + ", ".join(dates))
    lines.append(f"• Tình trạng: {d.status.label}")
    lines.append(explain_status(d))
    note = overdue_note(d, today)
    if note:
        lines.append(note)
    return "\n".join(lines)


def change_notification(d: Dossier, *, today: date) -> str:
    """The message sent when a subscribed dossier's status changes."""
    lines = [
        f"Hồ sơ {d.code} ({d.procedure_name}) vừa có cập nhật: {d.status.label}.",
        explain_status(d),
    ]
    note = overdue_note(d, today)
    if note:
        lines.append(note)
    if d.status.is_final:
        lines.append("Đây là thông báo cuối cùng về hồ sơ này.")
    else:
        lines.append('Nhắn "hủy theo dõi" nếu bạn không muốn nhận thông báo nữa.')
    return "\n".join(lines)
