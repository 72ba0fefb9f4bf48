"""Typed one-stop records, parsed from the contract's JSON (docs/onestop-openapi.yaml).

Field names on the wire are those of the national sync record (MaHoSo, TenTTHC,
NgayTiepNhan, NgayHenTra, TrangThaiHoSo, ...). Parsing keeps only what a public look-up may
show: personal fields a system might send anyway (phone, e-mail, ID number) are never read,
and the applicant's name is masked again here whatever the server did.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from bot.onestop._errors import MalformedResponse
from bot.privacy import mask_name

VN_TZ = timezone(timedelta(hours=7), "ICT")


class DossierStatus(enum.IntEnum):
    """National status codes of ``TrangThaiHoSo`` (Cổng DVC quốc gia)."""

    SUBMITTED = 1  # Mới đăng ký
    RECEIVED = 2  # Được tiếp nhận
    REJECTED = 3  # Không được tiếp nhận
    PROCESSING = 4  # Đang xử lý
    NEEDS_DOCUMENTS = 5  # Yêu cầu bổ sung giấy tờ
    NEEDS_PAYMENT = 6  # Yêu cầu thực hiện nghĩa vụ tài chính
    WITHDRAWN = 7  # Công dân yêu cầu rút hồ sơ
    STOPPED = 8  # Dừng xử lý
    READY = 9  # Đã xử lý xong, chờ trả kết quả
    RETURNED = 10  # Đã trả kết quả

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_final(self) -> bool:
        """Nothing will happen to the dossier any more (subscriptions end here)."""
        return self in FINAL_STATUSES


STATUS_LABELS: Mapping[DossierStatus, str] = {
    DossierStatus.SUBMITTED: "Mới đăng ký",
    DossierStatus.RECEIVED: "Đã được tiếp nhận",
    DossierStatus.REJECTED: "Không được tiếp nhận",
    DossierStatus.PROCESSING: "Đang xử lý",
    DossierStatus.NEEDS_DOCUMENTS: "Yêu cầu bổ sung giấy tờ",
    DossierStatus.NEEDS_PAYMENT: "Chờ thực hiện nghĩa vụ tài chính",
    DossierStatus.WITHDRAWN: "Đã rút hồ sơ",
    DossierStatus.STOPPED: "Dừng xử lý",
    DossierStatus.READY: "Đã có kết quả, chờ trả",
    DossierStatus.RETURNED: "Đã trả kết quả",
}
FINAL_STATUSES = frozenset(
    {DossierStatus.REJECTED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED, DossierStatus.RETURNED}
)
# "Quá hạn" is not a status: the due date passed while the result is not ready yet.
_NOT_OVERDUE = FINAL_STATUSES | {DossierStatus.READY}


@dataclass(frozen=True, kw_only=True, slots=True)
class ProgressStep:
    at: datetime
    department: str
    action: str
    status: DossierStatus | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Fee:
    name: str
    amount_vnd: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Dossier:
    code: str
    procedure_code: str
    procedure_name: str
    applicant_masked: str
    received_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None
    status: DossierStatus
    agency: str
    return_place: str
    online: bool = False
    reason: str | None = None
    missing_documents: tuple[str, ...] = ()
    fees: tuple[Fee, ...] = ()
    history: tuple[ProgressStep, ...] = ()
    updated_at: datetime | None = None

    def is_overdue(self, today: date) -> bool:
        return (
            self.due_at is not None
            and self.status not in _NOT_OVERDUE
            and self.due_at.astimezone(VN_TZ).date() < today
        )

    def overdue_days(self, today: date) -> int:
        if not self.is_overdue(today) or self.due_at is None:
            return 0
        return (today - self.due_at.astimezone(VN_TZ).date()).days

    @property
    def version(self) -> str:
        """Identifies one status change: stable across restarts, new for every change."""
        stamp = self.updated_at.isoformat() if self.updated_at else "-"
        return f"{int(self.status)}@{stamp}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Change:
    code: str
    status: DossierStatus | None
    at: datetime | None


@dataclass(frozen=True, kw_only=True, slots=True)
class ChangePage:
    changes: tuple[Change, ...]
    cursor: str
    has_more: bool = False


# --- parsing -------------------------------------------------------------------------


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601 (with or without offset) or the national ``yyyyMMddHHmmss``; local time is ICT."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise MalformedResponse(f"date is not a string: {value!r}")
    text = value.strip()
    try:
        if len(text) == 14 and text.isdigit():
            dt = datetime.strptime(text, "%Y%m%d%H%M%S")
        else:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise MalformedResponse(f"bad date {value!r}") from exc
    return dt if dt.tzinfo else dt.replace(tzinfo=VN_TZ)


def _status(value: Any) -> DossierStatus:
    try:
        return DossierStatus(int(value))
    except (TypeError, ValueError) as exc:
        raise MalformedResponse(f"bad TrangThaiHoSo {value!r}") from exc


def _text(data: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise MalformedResponse(f"missing {key}")
        return ""
    if not isinstance(value, str | int | float):
        raise MalformedResponse(f"{key} is not text")
    return str(value).strip()


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedResponse(f"{key} is not a list")
    return value


def parse_dossier(data: Any) -> Dossier:
    """A :class:`Dossier` from the contract's JSON object; :class:`MalformedResponse` if not."""
    if not isinstance(data, Mapping):
        raise MalformedResponse("dossier is not an object")
    try:
        history = tuple(
            ProgressStep(
                at=parse_datetime(step.get("ThoiDiemXuLy")) or datetime.min.replace(tzinfo=VN_TZ),
                department=_text(step, "PhongBanXuLy"),
                action=_text(step, "NoiDungXuLy"),
                status=_status(step["TrangThai"]) if step.get("TrangThai") is not None else None,
            )
            for step in _list(data, "TienDo")
        )
        fees = tuple(
            Fee(name=_text(f, "TenPhiLePhi"), amount_vnd=int(f.get("MucPhi") or 0))
            for f in _list(data, "DanhSachLePhi")
        )
        documents = tuple(
            _text(d, "TenGiayTo") if isinstance(d, Mapping) else str(d)
            for d in _list(data, "DanhSachHoSoBoSung")
        )
    except (AttributeError, TypeError, ValueError) as exc:
        raise MalformedResponse(f"bad nested field: {exc}") from exc
    return Dossier(
        code=_text(data, "MaHoSo", required=True).upper(),
        procedure_code=_text(data, "MaTTHC"),
        procedure_name=_text(data, "TenTTHC", required=True),
        # Masked again: initials only, whatever the server sent.
        applicant_masked=mask_name(_text(data, "ChuHoSo")),
        received_at=parse_datetime(data.get("NgayTiepNhan")),
        due_at=parse_datetime(data.get("NgayHenTra")),
        returned_at=parse_datetime(data.get("NgayTra")),
        status=_status(data.get("TrangThaiHoSo")),
        agency=_text(data, "DonViXuLy"),
        return_place=_text(data, "NoiTraKetQua"),
        online=str(data.get("HinhThuc", "")) == "1",
        reason=_text(data, "LyDo") or None,
        missing_documents=tuple(d for d in documents if d),
        fees=fees,
        history=history,
        updated_at=parse_datetime(data.get("NgayCapNhat")),
    )


def parse_change_page(data: Any) -> ChangePage:
    if not isinstance(data, Mapping) or not isinstance(data.get("cursor"), str):
        raise MalformedResponse("change page without cursor")
    changes: list[Change] = []
    for item in _list(data, "changes"):
        if not isinstance(item, Mapping):
            raise MalformedResponse("change is not an object")
        raw_status = item.get("TrangThaiHoSo")
        changes.append(
            Change(
                code=_text(item, "MaHoSo", required=True).upper(),
                status=_status(raw_status) if raw_status is not None else None,
                at=parse_datetime(item.get("ThoiDiem")),
            )
        )
    return ChangePage(
        changes=tuple(changes), cursor=data["cursor"], has_more=bool(data.get("has_more"))
    )


def dossier_to_cache(dossier: Dossier) -> dict[str, Any]:
    """The contract JSON of a parsed dossier (already filtered and masked) for the cache."""

    def iso(dt: datetime | None) -> str | None:
        return dt.isoformat() if dt else None

    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure_code,
        "TenTTHC": dossier.procedure_name,
        "ChuHoSo": dossier.applicant_masked,
        "NgayTiepNhan": iso(dossier.received_at),
        "NgayHenTra": iso(dossier.due_at),
        "NgayTra": iso(dossier.returned_at),
        "TrangThaiHoSo": int(dossier.status),
        "DonViXuLy": dossier.agency,
        "NoiTraKetQua": dossier.return_place,
        "HinhThuc": 1 if dossier.online else 0,
        "LyDo": dossier.reason,
        "DanhSachHoSoBoSung": [{"TenGiayTo": d} for d in dossier.missing_documents],
        "DanhSachLePhi": [{"TenPhiLePhi": f.name, "MucPhi": f.amount_vnd} for f in dossier.fees],
        "TienDo": [
            {
                "ThoiDiemXuLy": iso(s.at),
                "PhongBanXuLy": s.department,
                "NoiDungXuLy": s.action,
                "TrangThai": int(s.status) if s.status else None,
            }
            for s in dossier.history
        ],
        "NgayCapNhat": iso(dossier.updated_at),
    }
