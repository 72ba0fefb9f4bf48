"""The simulated one-stop database: seeded dossiers, status transitions, a change log."""

from __future__ import annotations

import random
import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from simulator._data import (
    AGENCIES,
    GIVEN,
    MIDDLE,
    PROCEDURES,
    REJECT_REASONS,
    STOP_REASONS,
    SUPPLEMENT_REASON,
    SURNAMES,
    Agency,
    Procedure,
)

VN_TZ = timezone(timedelta(hours=7), "ICT")
LABELS = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}
FINAL = frozenset({3, 7, 8, 10})
IN_PROGRESS = frozenset({1, 2, 4, 5, 6})
# What the next step of a dossier in each status can be, with weights.
TRANSITIONS: dict[int, tuple[tuple[int, float], ...]] = {
    1: ((2, 0.9), (3, 0.1)),
    2: ((4, 1.0),),
    4: ((9, 0.6), (5, 0.2), (6, 0.15), (8, 0.05)),
    5: ((4, 0.9), (8, 0.1)),
    6: ((9, 0.5), (4, 0.5)),
    9: ((10, 1.0),),
}
_WEIGHTS = {1: 5, 2: 10, 3: 3, 4: 30, 5: 10, 6: 7, 7: 2, 8: 3, 9: 12, 10: 18}
_STEP_TEXT = {
    1: ("Cổng Dịch vụ công", "Nộp hồ sơ trực tuyến"),
    2: ("Bộ phận một cửa", "Tiếp nhận hồ sơ"),
    3: ("Bộ phận một cửa", "Từ chối tiếp nhận hồ sơ"),
    4: ("Phòng chuyên môn", "Thẩm định hồ sơ"),
    5: ("Phòng chuyên môn", "Yêu cầu bổ sung hồ sơ"),
    6: ("Bộ phận một cửa", "Thông báo nghĩa vụ tài chính"),
    7: ("Bộ phận một cửa", "Rút hồ sơ theo yêu cầu"),
    8: ("Phòng chuyên môn", "Dừng xử lý hồ sơ"),
    9: ("Bộ phận một cửa", "Nhận kết quả từ phòng chuyên môn"),
    10: ("Bộ phận một cửa", "Trả kết quả cho công dân"),
}


class CursorExpired(Exception):
    pass


@dataclass(kw_only=True)
class Record:
    code: str
    procedure: Procedure
    agency: Agency
    applicant: str
    phone: str
    id_number: str
    online: bool
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    status: int
    returned_at: datetime | None = None
    reason: str | None = None
    documents: list[str] = field(default_factory=list)
    fees: list[tuple[str, int]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    updated_at: datetime | None = None

    def overdue(self, now: datetime) -> bool:
        return (
            self.due_at is not None
            and self.status in IN_PROGRESS
            and self.due_at.date() < now.date()
        )

    def public(self, now: datetime, *, leak: bool = False) -> dict[str, Any]:
        """The record as the contract's public look-up returns it."""
        data: dict[str, Any] = {
            "MaHoSo": self.code,
            "MaTTHC": self.procedure.code,
            "TenTTHC": self.procedure.name,
            "TenLinhVuc": self.procedure.field,
            "ChuHoSo": self.applicant if leak else _mask_name(self.applicant),
            "NgayNopHoSo": _iso(self.submitted_at),
            "NgayTiepNhan": _iso(self.received_at),
            "NgayHenTra": _iso(self.due_at),
            "NgayTra": _iso(self.returned_at),
            "TrangThaiHoSo": self.status,
            "TenTrangThaiHoSo": LABELS[self.status],
            "QuaHan": self.overdue(now),
            "HinhThuc": 1 if self.online else 0,
            "DonViXuLy": self.agency.name,
            "NoiTraKetQua": self.agency.return_place,
            "LyDo": self.reason,
            "DanhSachHoSoBoSung": [{"TenGiayTo": d} for d in self.documents],
            "DanhSachLePhi": [{"TenPhiLePhi": n, "MucPhi": a} for n, a in self.fees],
            "TienDo": self.history,
            "NgayCapNhat": _iso(self.updated_at),
        }
        if leak:
            data.update(SoDienThoai=self.phone, Email="congdan@example.vn", SoGiayTo=self.id_number)
        return data


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _mask_name(name: str) -> str:
    return " ".join(p[0] + "*" * (len(p) - 1) for p in name.split())


def _now() -> datetime:
    return datetime.now(VN_TZ)


class DossierStore:
    def __init__(
        self, *, seed: int, count: int, clock: Callable[[], datetime] = _now, log_size: int = 10_000
    ) -> None:
        self._seed = seed
        self._count = count
        self._clock = clock
        self._log_size = log_size
        self.reset()

    # --- seeding -------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the seeded state; the change log starts over (old cursors expire)."""
        self._rng = random.Random(self._seed)
        self._tick_rng = random.Random(self._seed + 1)
        self.records: dict[str, Record] = {}
        self._seq_by_day: dict[tuple[str, str], int] = {}
        self.boot = secrets.token_hex(4)
        self._seq = 0
        self._log: deque[tuple[int, str, int, str]] = deque(maxlen=self._log_size)
        now = self._clock()
        statuses = list(range(1, 11)) * 2  # every status at least twice
        pool = list(_WEIGHTS)
        weights = list(_WEIGHTS.values())
        while len(statuses) < self._count:
            statuses.append(self._rng.choices(pool, weights)[0])
        for i, status in enumerate(statuses[: self._count]):
            rec = self._make(i, status, now)
            self.records[rec.code] = rec

    def _make(self, i: int, status: int, now: datetime) -> Record:
        rng = self._rng
        proc = PROCEDURES[i % len(PROCEDURES)]
        agency = rng.choice(AGENCIES[proc.agency])
        overdue = status in {2, 4, 5, 6} and rng.random() < 0.3
        if status == 1:
            age = rng.randint(0, 2)
        elif status in {2, 4, 5, 6}:
            age = (
                proc.days + rng.randint(1, 10) if overdue else rng.randint(0, max(proc.days - 1, 0))
            )
        else:
            age = proc.days + rng.randint(0, 40)
        submitted = (now - timedelta(days=age)).replace(
            hour=rng.randint(7, 16),
            minute=rng.choice((0, 10, 15, 20, 30, 40, 45, 50)),
            second=0,
            microsecond=0,
        )
        if submitted > now:
            submitted = now - timedelta(minutes=rng.randint(5, 120))
        online = status == 1 or rng.random() < 0.4
        rec = Record(
            code=self._new_code(agency, submitted, new_format=rng.random() < 0.1),
            procedure=proc,
            agency=agency,
            applicant=f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            phone="09" + "".join(str(rng.randint(0, 9)) for _ in range(8)),
            id_number="022" + "".join(str(rng.randint(0, 9)) for _ in range(9)),
            online=online,
            submitted_at=submitted,
            received_at=None,
            due_at=None,
            status=1,
        )
        if online:
            self._step(rec, 1, submitted, log=False)
        if status == 1:
            return rec
        # Walk a plausible path to the target status, spreading steps over the elapsed time.
        path = {
            2: [2],
            3: [3],
            4: [2, 4],
            5: [2, 4, 5],
            6: [2, 4, 6],
            7: [2, 4, 7],
            8: [2, 4, 8],
            9: [2, 4, 9],
            10: [2, 4, 9, 10],
        }[status]
        end = min(now, submitted + timedelta(days=max(age, 0))) if status in FINAL | {9} else now
        span = max((end - submitted).total_seconds(), 600.0)
        for n, step in enumerate(path, start=1):
            at = submitted + timedelta(seconds=span * (n / (len(path) + 1)) if step != 2 else 300)
            self._apply(rec, step, min(at, now), log=False)
        return rec

    def _new_code(self, agency: Agency, day: datetime, *, new_format: bool) -> str:
        key = (agency.code, day.strftime("%y%m%d"))
        seq = self._seq_by_day.get(key, self._rng.randint(0, 40)) + 1
        self._seq_by_day[key] = seq
        if new_format:  # TT 04/2025: MX1X2.Y1Y2Y3-YYMMDD-AAXXXX
            return f"{agency.new_code}-{key[1]}-01{seq:04d}"
        return f"{agency.code}-{key[1]}-{seq:04d}"

    # --- transitions ---------------------------------------------------------------

    def _step(self, rec: Record, status: int, at: datetime, *, log: bool) -> None:
        dept, text = _STEP_TEXT[status]
        rec.history.append(
            {
                "ThoiDiemXuLy": _iso(at),
                "PhongBanXuLy": f"{dept} - {rec.agency.name}",
                "NoiDungXuLy": text,
                "TrangThai": status,
            }
        )
        rec.status = status
        rec.updated_at = at
        if log:
            self._seq += 1
            self._log.append((self._seq, rec.code, status, _iso(at) or ""))

    def _apply(
        self,
        rec: Record,
        status: int,
        at: datetime,
        *,
        log: bool = True,
        reason: str | None = None,
        documents: list[str] | None = None,
    ) -> None:
        rng = self._tick_rng if log else self._rng
        rec.reason = None
        rec.documents = []
        rec.fees = []
        if status == 2 or (rec.received_at is None and status not in {1, 3}):
            rec.received_at = at
            rec.due_at = (at + timedelta(days=rec.procedure.days)).replace(
                hour=17, minute=0, second=0
            )
        if status == 3:
            rec.reason = reason or rng.choice(REJECT_REASONS)
        elif status == 5:
            rec.reason = reason or SUPPLEMENT_REASON
            rec.documents = (
                list(documents)
                if documents
                else list(rec.procedure.supplements or ("Giấy tờ theo hướng dẫn của cán bộ",))
            )
        elif status == 6:
            rec.fees = list(rec.procedure.fees or (("Phí, lệ phí giải quyết thủ tục", 50000),))
        elif status == 8:
            rec.reason = reason or rng.choice(STOP_REASONS)
        elif status == 10:
            rec.returned_at = at
        self._step(rec, status, at, log=log)

    def set_status(
        self,
        code: str,
        status: int,
        *,
        reason: str | None = None,
        documents: list[str] | None = None,
    ) -> Record:
        if status not in LABELS:
            raise ValueError("status must be 1..10")
        rec = self.records[code]
        self._apply(rec, status, self._clock(), reason=reason, documents=documents)
        return rec

    def set_due(self, code: str, due: datetime) -> Record:
        rec = self.records[code]
        rec.due_at = due
        return rec

    def advance(self, code: str) -> Record | None:
        rec = self.records[code]
        options = TRANSITIONS.get(rec.status)
        if not options:
            return None
        nxt = self._tick_rng.choices([s for s, _ in options], [w for _, w in options])[0]
        self._apply(rec, nxt, self._clock())
        return rec

    def tick(self, count: int = 1) -> list[str]:
        """Advance ``count`` random unfinished dossiers by one step."""
        live = [c for c, r in self.records.items() if r.status in TRANSITIONS]
        moved = []
        for code in self._tick_rng.sample(live, min(count, len(live))):
            if self.advance(code):
                moved.append(code)
        return moved

    # --- queries -------------------------------------------------------------------

    def query(self, *, status: int | None = None, overdue: bool | None = None) -> list[Record]:
        now = self._clock()
        return [
            r
            for r in self.records.values()
            if (status is None or r.status == status)
            and (overdue is None or r.overdue(now) == overdue)
        ]

    @property
    def head(self) -> str:
        return f"{self.boot}.{self._seq}"

    def changes(self, cursor: str | None, limit: int) -> tuple[list[dict[str, Any]], str, bool]:
        if not cursor:
            return [], self.head, False
        boot, _, raw = cursor.partition(".")
        if boot != self.boot or not raw.isdigit():
            raise CursorExpired(cursor)
        after = int(raw)
        oldest = self._log[0][0] if self._log else self._seq + 1
        if after > self._seq or (after < oldest - 1 and after < self._seq):
            raise CursorExpired(cursor)
        items = [e for e in self._log if e[0] > after][:limit]
        last = items[-1][0] if items else after
        has_more = last < self._seq
        return (
            [{"MaHoSo": c, "TrangThaiHoSo": s, "ThoiDiem": at} for _, c, s, at in items],
            f"{self.boot}.{last}",
            has_more,
        )
