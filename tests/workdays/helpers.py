"""Building the .xlsx files the import tests upload."""

from __future__ import annotations

import io
from datetime import date


def xlsx(rows, header=("日期", "类型", "名称"), title=None) -> bytes:
    """An .xlsx like the one an office makes of the State Council's notice. A cell given as
    ("text", value) is written as a string cell even when it looks like a formula."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(list(header))
    for r, row in enumerate(rows, start=ws.max_row + 1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, tuple) and value[0] == "text":
                cell.value = value[1]
                cell.data_type = "s"
            else:
                cell.value = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


NOTICE_2027 = [
    (date(2027, 1, 1), "放假", "元旦"),
    (date(2027, 1, 2), "放假", "元旦"),
    (date(2027, 1, 3), "放假", "元旦"),
    ("2027-02-06", "放假", "春节"),
    ("2027/2/7", "放假", "春节"),
    ("2027年2月8日", "放假", "春节"),
    ("2027-02-20", "调休上班", "春节调休"),
]
