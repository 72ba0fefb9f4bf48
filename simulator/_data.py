"""Seed data: the 20 procedures of the knowledge base, Quảng Ninh agencies, names.

Everything here is invented for the simulation (agency sub-codes, names, addresses are
plausible, not real records). Procedure names and codes (mã TTHC) follow
shared/reference/procedures-facts.yml where a code is known.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Procedure:
    id: str
    code: str  # mã TTHC
    name: str
    field: str  # lĩnh vực
    agency: str  # key of AGENCIES: who handles it
    days: int  # processing time (calendar days, simplified)
    fees: tuple[tuple[str, int], ...] = ()
    supplements: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Agency:
    code: str  # V1V2V3.Z1Z2.Y1Y2.H49 (old format) — used in dossier codes
    new_code: str  # H49.xx (new format, TT 04/2025)
    name: str
    return_place: str


AGENCIES: dict[str, tuple[Agency, ...]] = {
    "commune": (
        Agency(
            code="000.21.01.H49",
            new_code="H49.21",
            name="UBND phường Hạ Long",
            return_place="Trung tâm Phục vụ hành chính công phường Hạ Long",
        ),
        Agency(
            code="000.21.02.H49",
            new_code="H49.22",
            name="UBND phường Hồng Gai",
            return_place="Trung tâm Phục vụ hành chính công phường Hồng Gai",
        ),
        Agency(
            code="000.21.03.H49",
            new_code="H49.23",
            name="UBND phường Bãi Cháy",
            return_place="Trung tâm Phục vụ hành chính công phường Bãi Cháy",
        ),
        Agency(
            code="000.22.01.H49",
            new_code="H49.31",
            name="UBND phường Cẩm Phả",
            return_place="Trung tâm Phục vụ hành chính công phường Cẩm Phả",
        ),
        Agency(
            code="000.23.01.H49",
            new_code="H49.41",
            name="UBND phường Uông Bí",
            return_place="Trung tâm Phục vụ hành chính công phường Uông Bí",
        ),
        Agency(
            code="000.24.01.H49",
            new_code="H49.51",
            name="UBND đặc khu Vân Đồn",
            return_place="Trung tâm Phục vụ hành chính công đặc khu Vân Đồn",
        ),
    ),
    "police_commune": (
        Agency(
            code="000.30.01.H49",
            new_code="H49.61",
            name="Công an phường Hạ Long",
            return_place="Bộ phận một cửa Công an phường Hạ Long",
        ),
        Agency(
            code="000.30.02.H49",
            new_code="H49.62",
            name="Công an phường Cẩm Phả",
            return_place="Bộ phận một cửa Công an phường Cẩm Phả",
        ),
    ),
    "police_province": (
        Agency(
            code="000.00.12.H49",
            new_code="H49.12",
            name="Công an tỉnh Quảng Ninh",
            return_place="Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh (quầy Công an tỉnh)",
        ),
    ),
    "land": (
        Agency(
            code="000.00.15.H49",
            new_code="H49.15",
            name="Văn phòng Đăng ký đất đai tỉnh Quảng Ninh",
            return_place="Trung tâm Phục vụ hành chính công nơi nộp hồ sơ (quầy Văn phòng Đăng ký đất đai)",
        ),
    ),
    "province": (
        Agency(
            code="000.00.01.H49",
            new_code="H49.01",
            name="Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh",
            return_place="Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh",
        ),
    ),
    "insurance": (
        Agency(
            code="000.00.18.H49",
            new_code="H49.18",
            name="Bảo hiểm xã hội tỉnh Quảng Ninh",
            return_place="Bảo hiểm xã hội cơ sở nơi nộp hồ sơ",
        ),
    ),
    "employment": (
        Agency(
            code="000.00.19.H49",
            new_code="H49.19",
            name="Trung tâm Dịch vụ việc làm tỉnh Quảng Ninh",
            return_place="Trung tâm Dịch vụ việc làm tỉnh Quảng Ninh",
        ),
    ),
}

PROCEDURES: tuple[Procedure, ...] = (
    Procedure(
        id="khai_sinh",
        code="1.001193",
        name="Đăng ký khai sinh",
        field="Hộ tịch",
        agency="commune",
        days=1,
        supplements=("Giấy chứng sinh (bản chính)",),
    ),
    Procedure(
        id="ket_hon",
        code="1.000894",
        name="Đăng ký kết hôn",
        field="Hộ tịch",
        agency="commune",
        days=1,
        supplements=("Giấy xác nhận tình trạng hôn nhân của bên nam",),
    ),
    Procedure(
        id="khai_tu",
        code="1.000656",
        name="Đăng ký khai tử",
        field="Hộ tịch",
        agency="commune",
        days=1,
        supplements=("Giấy báo tử (bản chính)",),
    ),
    Procedure(
        id="xac_nhan_hon_nhan",
        code="1.004873",
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        field="Hộ tịch",
        agency="commune",
        days=3,
        supplements=("Bản án/quyết định ly hôn đã có hiệu lực (bản sao)",),
    ),
    Procedure(
        id="trich_luc_ho_tich",
        code="2.000635",
        name="Cấp bản sao trích lục hộ tịch",
        field="Hộ tịch",
        agency="commune",
        days=1,
        fees=(("Phí cấp bản sao trích lục", 8000),),
    ),
    Procedure(
        id="can_cuoc",
        code="1.001255",
        name="Cấp đổi thẻ căn cước",
        field="Căn cước",
        agency="police_commune",
        days=7,
        fees=(("Lệ phí cấp đổi thẻ căn cước", 50000),),
        supplements=("Giấy tờ chứng minh thay đổi thông tin (nếu có)",),
    ),
    Procedure(
        id="thuong_tru",
        code="1.004222",
        name="Đăng ký thường trú",
        field="Đăng ký, quản lý cư trú",
        agency="police_commune",
        days=7,
        fees=(("Lệ phí đăng ký thường trú", 20000),),
        supplements=("Giấy tờ chứng minh chỗ ở hợp pháp",),
    ),
    Procedure(
        id="tam_tru",
        code="1.004194",
        name="Đăng ký tạm trú",
        field="Đăng ký, quản lý cư trú",
        agency="police_commune",
        days=3,
        fees=(("Lệ phí đăng ký tạm trú", 15000),),
        supplements=("Hợp đồng thuê nhà (bản sao)",),
    ),
    Procedure(
        id="chung_thuc_ban_sao",
        code="2.000815",
        name="Chứng thực bản sao từ bản chính",
        field="Chứng thực",
        agency="commune",
        days=1,
        fees=(("Phí chứng thực (2.000 đồng/trang)", 10000),),
    ),
    Procedure(
        id="chung_thuc_chu_ky",
        code="2.000884",
        name="Chứng thực chữ ký trong giấy tờ, văn bản",
        field="Chứng thực",
        agency="commune",
        days=1,
        fees=(("Phí chứng thực chữ ký", 10000),),
    ),
    Procedure(
        id="ly_lich_tu_phap",
        code="3.000333",
        name="Cấp Phiếu lý lịch tư pháp",
        field="Lý lịch tư pháp",
        agency="police_province",
        days=10,
        fees=(("Phí cung cấp thông tin lý lịch tư pháp", 200000),),
        supplements=("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (bổ sung nơi cư trú)",),
    ),
    Procedure(
        id="giay_phep_xay_dung",
        code="1.009994",
        name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        field="Hoạt động xây dựng",
        agency="commune",
        days=15,
        fees=(("Lệ phí cấp giấy phép xây dựng", 75000),),
        supplements=(
            "Bản vẽ thiết kế mặt bằng, mặt cắt móng",
            "Giấy chứng nhận quyền sử dụng đất (bản sao)",
        ),
    ),
    Procedure(
        id="so_do",
        code="1.012756",
        name="Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        field="Đất đai",
        agency="land",
        days=20,
        fees=(("Lệ phí cấp Giấy chứng nhận", 100000), ("Lệ phí trước bạ", 1250000)),
        supplements=("Mảnh trích đo địa chính thửa đất", "Giấy tờ về nguồn gốc sử dụng đất"),
    ),
    Procedure(
        id="ho_kinh_doanh",
        code="2.000575",
        name="Đăng ký thành lập hộ kinh doanh",
        field="Đăng ký kinh doanh",
        agency="commune",
        days=3,
        fees=(("Lệ phí đăng ký hộ kinh doanh", 100000),),
        supplements=("Hợp đồng thuê địa điểm kinh doanh (bản sao)",),
    ),
    Procedure(
        id="thanh_lap_doanh_nghiep",
        code="1.010034",
        name="Đăng ký thành lập doanh nghiệp",
        field="Thành lập và hoạt động doanh nghiệp",
        agency="province",
        days=3,
        fees=(("Lệ phí đăng ký doanh nghiệp", 50000),),
        supplements=("Điều lệ công ty (bản có chữ ký các thành viên)",),
    ),
    Procedure(
        id="giay_phep_lai_xe",
        code="3.000347",
        name="Cấp đổi giấy phép lái xe",
        field="Đường bộ",
        agency="police_province",
        days=7,
        fees=(("Lệ phí cấp đổi giấy phép lái xe", 135000),),
        supplements=("Giấy khám sức khỏe của người lái xe",),
    ),
    Procedure(
        id="dang_ky_xe",
        code="1.013079",
        name="Đăng ký xe (cấp chứng nhận đăng ký, biển số)",
        field="Đăng ký, quản lý phương tiện giao thông",
        agency="police_commune",
        days=2,
        fees=(("Lệ phí cấp chứng nhận đăng ký, biển số", 150000),),
        supplements=("Chứng từ nguồn gốc xe", "Chứng từ lệ phí trước bạ"),
    ),
    Procedure(
        id="ho_chieu",
        code="2.001415",
        name="Cấp hộ chiếu phổ thông ở trong nước",
        field="Xuất nhập cảnh",
        agency="police_province",
        days=8,
        fees=(("Lệ phí cấp hộ chiếu", 200000),),
        supplements=("Ảnh chân dung mới (nền trắng)",),
    ),
    Procedure(
        id="tro_cap_that_nghiep",
        code="1.000401",
        name="Giải quyết hưởng trợ cấp thất nghiệp",
        field="Việc làm",
        agency="employment",
        days=20,
        supplements=("Quyết định thôi việc (bản sao chứng thực)", "Sổ bảo hiểm xã hội"),
    ),
    Procedure(
        id="bao_hiem_y_te",
        code="1.000282",
        name="Tham gia bảo hiểm y tế theo hộ gia đình",
        field="Bảo hiểm y tế",
        agency="insurance",
        days=5,
        fees=(("Tiền đóng bảo hiểm y tế (thành viên thứ nhất, 12 tháng)", 1263600),),
        supplements=("Danh sách thành viên hộ gia đình tham gia BHYT (mẫu DK01)",),
    ),
)

SURNAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
    "Phan",
    "Hồ",
)
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Hữu", "Xuân", "Hải")
GIVEN = (
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hùng",
    "Hương",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phương",
    "Quân",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Việt",
    "Yến",
)

REJECT_REASONS = (
    "hồ sơ không thuộc thẩm quyền giải quyết của cơ quan tiếp nhận",
    "thành phần hồ sơ không đúng quy định",
)
STOP_REASONS = (
    "người yêu cầu không bổ sung hồ sơ trong thời hạn",
    "không đủ điều kiện giải quyết theo quy định",
)
SUPPLEMENT_REASON = "hồ sơ còn thiếu giấy tờ theo quy định"
