from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from lianxin.audit.models import AuditEvent
from lianxin.economy.imports import economy_import
from lianxin.economy.models import VillageIncome
from tests.economy.factories import make_income

pytestmark = pytest.mark.django_db

HEADER = [
    "村（社区）编码",
    "名称",
    "年度",
    "经营性收入",
    "发包及上交",
    "投资收益",
    "补助",
    "其他",
    "旅游",
]


def _xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["武山县 · 村级集体经济"])
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_report_row_by_row_and_nothing_from_a_bad_row(world):
    data = _xlsx(
        [
            ["620524100001", "", 2025, 100000, 20000, 0, 5000, 0, 0],  # 3: ok
            ["", "张家村", 2025, 80000, None, None, None, None, None],  # 4: ok, by name
            ["620524100001", "", 2025, 1, 1, 1, 1, 1, 1],  # 5: same village/year as 3
            ["999", "", 2025, 1, 0, 0, 0, 0, 0],  # 6: unknown
            ["", "张家村", 2024, -5, 0, 0, 0, 0, 0],  # 7: negative
            ["", "张家村", 2030, 5, 0, 0, 0, 0, 0],  # 8: future
            ["620524000000", "", 2025, 5, 0, 0, 0, 0, 0],  # 9: the county, not a village
        ]
    )
    report = economy_import(actor=world.users["county_admin"], data=data, dry_run=True)
    assert report.total == 7 and report.created == 2
    errors = dict(report.errors)
    assert sorted(errors) == [5, 6, 7, 8, 9]
    assert "同一村同一年度" in errors[5]
    assert "不在您的管辖范围内" in errors[6]
    assert "不能为负数" in errors[7]
    assert "未来年度" in errors[8]
    assert not VillageIncome.objects.exists()  # a dry run writes nothing
    report = economy_import(actor=world.users["county_admin"], data=data, dry_run=False)
    assert report.created == 2 and len(report.errors) == 5
    assert VillageIncome.objects.get(village=world.village_a).total == Decimal("125000")
    assert VillageIncome.objects.count() == 2
    assert AuditEvent.objects.filter(action="import", reason="economy xlsx").count() == 1
    again = economy_import(actor=world.users["county_admin"], data=data, dry_run=False)
    assert again.unchanged == 2 and again.created == again.updated == 0


def test_a_town_imports_only_its_villages(world):
    make_income(world.village_b, 2025, total=1)
    data = _xlsx([["620524101201", "", 2025, 9, 0, 0, 0, 0, 0]])
    report = economy_import(actor=world.users["town_a"], data=data, dry_run=False)
    assert report.errors and report.created == 0
    assert VillageIncome.objects.get(village=world.village_b).operating == 1


def test_formula_text_is_only_an_error(world):
    data = _xlsx([['=HYPERLINK("http://x")', "", 2025, "=1+1", 0, 0, 0, 0, 0]])
    report = economy_import(actor=world.users["county_admin"], data=data, dry_run=False)
    assert len(report.errors) == 1 and not VillageIncome.objects.exists()


def test_export_reads_back(world, client, login):
    make_income(world.village_a, 2025, operating=100, note="=cmd|' /C calc'!A0")
    make_income(world.village_b, 2025, operating=7)
    login(world.users["town_a"])
    response = client.get("/economy/export/?year=2025")
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    ws = load_workbook(io.BytesIO(data)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[1][:4] == ["村（社区）编码", "名称", "所属乡镇", "年度"]
    assert [r[1] for r in values[2:]] == ["东关社区"]  # town A only
    note = next(c for c in ws[3] if c.value and str(c.value).startswith("="))
    assert note.data_type == "s"
    assert AuditEvent.objects.filter(action="export", reason="economy ledger").exists()
    report = economy_import(actor=world.users["town_a"], data=data, dry_run=True)
    assert report.errors == [] and report.unchanged == 1
