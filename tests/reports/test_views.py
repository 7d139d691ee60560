"""The report pages: a unit's briefs, asking for one (a job with progress), scoped and audited
downloads, and a request's 交办单/督办单."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditEvent
from lianxin.reports.models import MonthlyReport, ReportState
from tests.reports.conftest import last_month, pdf_text
from tests.reports.factories import stored_report

pytestmark = pytest.mark.django_db


def test_unit_page_lists_twelve_months_and_children(world, client, login):
    login(world.users["county_admin"])
    response = client.get(reverse("reports:unit", args=[world.county.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="report-generate"') == 12
    assert "城关镇" in body and "洛门镇" in body
    assert reverse("reports:index") in body  # the nav entry


def test_index_opens_the_users_own_unit(world, client, login):
    login(world.users["town_a"])
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:unit", args=[world.town_a.pk])


def test_generate_runs_a_job_then_the_brief_is_downloadable(world, month_cases, client, login):
    login(world.users["town_a"])
    url = reverse("reports:generate", args=[world.town_a.pk])
    month = f"{last_month():%Y-%m}"
    response = client.post(url, {"month": month})
    report = MonthlyReport.objects.get(unit=world.town_a, month=last_month())
    assert report.state == ReportState.DONE  # the immediate backend ran the job inline
    assert report.job is not None and report.job.state == "done"
    assert response.status_code == 302
    # asked again: the same brief, not a second one
    client.post(url, {"month": month})
    assert MonthlyReport.objects.filter(unit=world.town_a).count() == 1
    page = client.get(reverse("reports:unit", args=[world.town_a.pk])).content.decode()
    assert reverse("reports:report_pdf", args=[report.pk]) in page
    pdf = client.get(reverse("reports:report_pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "no-store" in pdf["Cache-Control"]
    assert "城关镇" in pdf_text(pdf.content)
    xlsx = client.get(reverse("reports:report_xlsx", args=[report.pk]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    exports = AuditEvent.objects.filter(action="export", target_id=str(report.pk))
    assert sorted(e.extra["format"] for e in exports) == ["pdf", "xlsx"]
    assert exports.first().actor == world.users["town_a"]
    created = AuditEvent.objects.filter(action="create", target_type="reports.monthlyreport")
    assert created.count() == 1


def test_current_and_future_months_are_refused(world, client, login):
    from django.utils import timezone

    login(world.users["town_a"])
    url = reverse("reports:generate", args=[world.town_a.pk])
    response = client.post(url, {"month": f"{timezone.localdate():%Y-%m}"}, follow=True)
    assert "只能生成已结束月份的简报" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_sibling_town_gets_404(world, client, login):
    report = stored_report(world.town_a, last_month())
    login(world.users["town_b"])
    for url in (
        reverse("reports:unit", args=[world.town_a.pk]),
        reverse("reports:report_pdf", args=[report.pk]),
        reverse("reports:report_xlsx", args=[report.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("reports:generate", args=[world.town_a.pk]), {"month": f"{last_month():%Y-%m}"}
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="export", target_id=str(report.pk)).exists()


def test_village_clerk_cannot_open_the_towns_brief(world, client, login):
    report = stored_report(world.town_a, last_month())
    login(world.users["village_a"])
    assert client.get(reverse("reports:report_pdf", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:unit", args=[world.village_a.pk])).status_code == 200


def test_resident_is_refused(world, client, login):
    login(world.users["resident_a"])
    assert client.get(reverse("reports:unit", args=[world.town_a.pk])).status_code == 403


# --- 交办单 / 督办单 -----------------------------------------------------------------------


def test_case_page_links_the_sheets(world, month_cases, client, login):
    login(world.users["town_a"])
    case = month_cases["a2"]
    body = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("reports:case_assign", args=[case.pk]) in body
    assert reverse("reports:case_supervise", args=[case.pk]) in body


def test_assignment_sheet(world, month_cases, client, login):
    login(world.users["town_a"])
    case = month_cases["a1"]
    response = client.get(reverse("reports:case_assign", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content).replace("\n", "").replace(" ", "")
    for words in (
        "群众诉求交办单",
        case.code,
        "路灯不亮",
        "东关第1网格",
        "交办人（签字）",
        "接收人（签字）",
    ):
        assert words.replace(" ", "") in text, words
    assert case.reporter_phone not in text
    assert case.reporter_phone[:3] + "****" + case.reporter_phone[-4:] in text
    row = AuditEvent.objects.get(action="export", target_id=str(case.pk))
    assert row.extra == {"sheet": "assign"} and row.actor == world.users["town_a"]


def test_supervision_sheet(world, month_cases, client, login):
    login(world.users["county_admin"])
    case = month_cases["a2"]  # never signed for: the sweep put it under 督办
    assert case.supervised_at is not None
    response = client.get(reverse("reports:case_supervise", args=[case.pk]))
    text = pdf_text(response.content).replace("\n", "").replace(" ", "")
    for words in (
        "群众诉求督办单",
        case.code,
        "督办单位",
        case.supervising_unit.name,
        "超时未签收",
        "督办人（签字）",
    ):
        assert words in text, words


def test_sheets_of_a_sibling_towns_request_are_404(world, month_cases, client, login):
    login(world.users["town_b"])
    case = month_cases["a1"]
    for name in ("reports:case_assign", "reports:case_supervise"):
        assert client.get(reverse(name, args=[case.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="export", target_id=str(case.pk)).exists()
