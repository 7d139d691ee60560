"""Helpers of the reports tests."""

from __future__ import annotations

from django.core.files.base import ContentFile

from lianxin.reports.models import MonthlyReport, ReportState


def stored_report(unit, month, *, pdf=b"%PDF-1.4 stored", xlsx=b"PK stored") -> MonthlyReport:
    """A finished brief with stand-in files (the route walk needs a row, not a rendering)."""
    report, _created = MonthlyReport.objects.get_or_create(unit=unit, month=month)
    report.pdf.save("brief.pdf", ContentFile(pdf), save=False)
    report.xlsx.save("brief.xlsx", ContentFile(xlsx), save=False)
    report.state = ReportState.DONE
    report.figures = {"cases_total": 0}
    report.save()
    return report
