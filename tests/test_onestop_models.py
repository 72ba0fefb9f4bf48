"""Parsing the contract's JSON and the citizen-facing wording (pure functions)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.onestop import (
    DossierStatus,
    MalformedResponse,
    change_notification,
    fmt_vnd,
    parse_change_page,
    parse_datetime,
    parse_dossier,
    status_answer,
)

RECORD = {
    "MaHoSo": "000.00.12.h49-251002-0015",
    "MaTTHC": "1.001193",
    "TenTTHC": "Đăng ký khai sinh",
    "ChuHoSo": "Nguyễn Văn An",
    "NgayTiepNhan": "20251002081500",
    "NgayHenTra": "2025-10-07T17:00:00+07:00",
    "TrangThaiHoSo": "6",
    "DonViXuLy": "UBND phường Hạ Long",
    "NoiTraKetQua": "TTPVHCC phường Hạ Long",
    "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "MucPhi": 1263600}],
    "SoDienThoai": "0912345678",
    "TienDo": [
        {
            "ThoiDiemXuLy": "2025-10-02T08:15:00",
            "PhongBanXuLy": "Một cửa",
            "NoiDungXuLy": "Tiếp nhận",
            "TrangThai": 2,
        }
    ],
    "NgayCapNhat": "2025-10-03T09:00:00+07:00",
}


def test_parse_national_record():
    d = parse_dossier(RECORD)
    assert d.code == "000.00.12.H49-251002-0015"
    assert d.status is DossierStatus.NEEDS_PAYMENT
    assert d.applicant_masked == "N***** V** A*"
    assert d.received_at == parse_datetime("2025-10-02T08:15:00+07:00")
    assert d.fees[0].amount_vnd == 1263600
    assert "0912345678" not in repr(d)


@pytest.mark.parametrize(
    "bad",
    [
        [],
        {"MaHoSo": "x"},
        {**RECORD, "TrangThaiHoSo": 11},
        {**RECORD, "TrangThaiHoSo": "đang xử lý"},
        {**RECORD, "NgayHenTra": "hôm qua"},
        {**RECORD, "TienDo": "x"},
        {**RECORD, "DanhSachLePhi": [1]},
    ],
)
def test_malformed_records_raise(bad):
    with pytest.raises(MalformedResponse):
        parse_dossier(bad)


def test_change_page():
    page = parse_change_page({"changes": [{"MaHoSo": "a", "TrangThaiHoSo": 9}], "cursor": "b.1"})
    assert page.changes[0].status is DossierStatus.READY
    with pytest.raises(MalformedResponse):
        parse_change_page({"changes": []})


def test_overdue_only_while_unfinished():
    d = parse_dossier({**RECORD, "TrangThaiHoSo": 4})
    assert d.is_overdue(date(2025, 10, 8)) and d.overdue_days(date(2025, 10, 10)) == 3
    assert not d.is_overdue(date(2025, 10, 7))
    assert not parse_dossier({**RECORD, "TrangThaiHoSo": 9}).is_overdue(date(2026, 1, 1))
    text = status_answer(d, today=date(2025, 10, 10))
    assert "quá hẹn trả 3 ngày" in text
    assert "Hôm nay là ngày hẹn trả" in status_answer(d, today=date(2025, 10, 7))


def test_answer_is_short_and_dated():
    d = parse_dossier(RECORD)
    text = status_answer(d, today=date(2025, 10, 3))
    assert "tiếp nhận 02/10/2025, hẹn trả 07/10/2025" in text
    assert "1.263.600 đồng" in text
    assert len(text) < 700


@pytest.mark.parametrize("status", range(1, 11))
def test_every_status_has_words_and_a_notification(status):
    d = parse_dossier({**RECORD, "TrangThaiHoSo": status, "LyDo": "thiếu giấy tờ"})
    answer = status_answer(d, today=date(2025, 10, 3))
    note = change_notification(d, today=date(2025, 10, 3))
    assert d.status.label in answer and d.status.label in note
    assert ("thông báo cuối cùng" in note) is (status in (3, 7, 8, 10))


def test_formats():
    assert fmt_vnd(50000) == "50.000 đồng"
    assert parse_datetime("2025-10-02T01:00:00Z").astimezone().tzinfo is not None
    assert parse_datetime(None) is None
    assert isinstance(parse_datetime("2025-10-02"), datetime)
