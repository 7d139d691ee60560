"""A county clerk opens the county dashboard for last month, follows a town's overdue number down
to its list (same scope, same filter, same count), opens the town's dashboard, then asks for the
town's monthly brief: the progress page shows it queued, the worker builds it, the page turns to
done by itself, and the downloaded PDF's text carries the dashboard's figures."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def _last_month_at(day: int, hour: int = 10) -> datetime:
    from lianxin.reports.selectors import previous_month

    m = previous_month(timezone.localdate())
    return datetime(m.year, m.month, day, hour, tzinfo=timezone.get_current_timezone())


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() or "" for page in reader.pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_dashboard_overdue_list_and_the_towns_monthly_pdf(e2e_world, new_page, settings, tmp_path):
    from lianxin.cases import services as cs
    from lianxin.cases.sweep import deadline_sweep
    from lianxin.dashboards.rollup import build_all
    from lianxin.jobs.services import job_run
    from lianxin.reports.models import MonthlyReport
    from tests.cases.factories import ensure_categories, make_case

    settings.MEDIA_ROOT = tmp_path / "media"
    # queued, not run inline: the worker's part is played below, while the page watches
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    w = e2e_world
    ensure_categories()
    at = _last_month_at(10)
    for i, grid in enumerate([w.grid_a1, w.grid_a1, w.grid_a2]):
        make_case(w, grid=grid, title=f"超时诉求{i}", now=at + timedelta(hours=i))  # never signed
    done = make_case(w, grid=w.grid_a1, title="已办结", now=at)
    done = cs.case_accept(case=done, actor=w.users["grid_a1"], now=at + timedelta(hours=1))
    cs.case_resolve(
        case=done, actor=w.users["grid_a1"], resolution="已修", now=at + timedelta(hours=3)
    )
    make_case(w, grid=w.grid_b1, reporter="resident_b", title="乙镇", now=at)  # another town
    # The worker's last runs of that month: the sweep stamps the three unsigned ones overdue,
    # the rollup takes the month's snapshot figures (超时, 督办) as the month ends.
    month_end = _last_month_at(28, 23)
    deadline_sweep(now=month_end)
    build_all(months=2, now=month_end)
    month = f"{at:%Y-%m}"

    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, "county_admin")
    page.goto(f"/dashboards/{w.county.pk}/?month={month}")
    row = page.locator(f'tr[data-unit="{w.town_a.pk}"]')
    link = row.locator('td[data-key="overdue"] a')
    overdue = int(link.inner_text())
    assert overdue == 3
    link.click()
    page.wait_for_load_state("networkidle")
    assert "/cases/" in page.url and "view=overdue" in page.url
    assert str(w.town_a.pk) in page.url  # the town's scope
    assert page.locator('tr[data-testid="case-row"]').count() == overdue
    assert "乙镇" not in page.locator("main").inner_text()

    # the town's own dashboard, same month: its headline figures as shown
    page.goto(f"/dashboards/{w.county.pk}/?month={month}")
    page.locator(f'tr[data-unit="{w.town_a.pk}"] th a').click()
    page.wait_for_load_state("networkidle")
    assert f"/dashboards/{w.town_a.pk}/" in page.url
    if "month=" not in page.url:
        page.goto(f"/dashboards/{w.town_a.pk}/?month={month}")
    cards = page.locator(".dash-card")
    shown = {
        cards.nth(i).get_attribute("data-key"): (
            cards.nth(i).locator(".dash-label").inner_text().strip(),
            cards.nth(i).locator(".dash-value").inner_text().strip(),
        )
        for i in range(cards.count())
    }
    assert shown["overdue"][1] == str(overdue)
    assert shown["cases_total"][1] == "4"

    # the town's briefs: ask for last month's; the progress page shows it queued
    page.goto("/reports/")
    page.locator(f'a[href="/reports/units/{w.town_a.pk}/"]').click()
    page.wait_for_load_state("networkidle")
    page.locator(f'tr[data-month="{month}"] [data-testid="report-generate"]').click()
    page.wait_for_load_state("networkidle")
    progress = page.locator('[data-testid="job-progress"]')
    assert "/jobs/" in page.url
    assert progress.get_attribute("data-state") == "queued"
    report = MonthlyReport.objects.get(unit=w.town_a, month=at.date().replace(day=1))
    assert report.job is not None and not report.pdf

    job_run(job_id=str(report.job_id))  # the worker's task body
    page.wait_for_selector('[data-testid="job-progress"][data-state="done"]', timeout=15_000)
    assert "月度简报已生成" in page.locator('[data-testid="job-progress"]').inner_text()
    page.get_by_role("link", name="返回").click()
    page.wait_for_load_state("networkidle")
    row = page.locator(f'tr[data-month="{month}"]')
    assert "已生成" in row.inner_text()
    with page.expect_download() as info:
        row.locator('[data-testid="report-pdf"]').click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    data = open(download.path(), "rb").read()  # noqa: PTH123, SIM115
    assert data[:5] == b"%PDF-"
    text = _squash(_pdf_text(data))
    assert _squash(f"城关镇{at.year}年{at.month}月工作简报") in text
    for key, (label, value) in shown.items():
        # each card's figure printed above its label, as on the dashboard
        assert _squash(f"{value}{label}") in text, (key, label, value)
    assert "超时诉求0" in text and "乙镇" not in text
    assert errors == []


def test_the_reports_page_on_a_phone_and_in_print(e2e_world, new_page, settings, tmp_path):
    """360 px: no sideways page scroll, every control a 44-px target; printed: A4, the
    controls (生成, 下级单位) left out, the months and their states kept."""
    from pypdf import PdfReader

    from lianxin.reports.selectors import previous_month
    from tests.reports.factories import stored_report

    settings.MEDIA_ROOT = tmp_path / "media"
    w = e2e_world
    stored_report(w.town_a, previous_month(timezone.localdate()))
    page = new_page(phone=True)
    log_in(page, "town_a")
    page.goto(f"/reports/units/{w.town_a.pk}/")
    assert page.locator('[data-testid="report-pdf"]').count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    small = page.evaluate(
        """() => [...document.querySelectorAll('main a.btn, main button')]
            .filter(e => e.offsetParent && e.getBoundingClientRect().height < 44)
            .map(e => e.textContent.trim())"""
    )
    assert small == []
    page.emulate_media(media="print")
    assert page.locator('[data-testid="report-generate"]').first.is_hidden()
    assert page.locator("tr[data-month]").first.is_visible()
    data = page.pdf(prefer_css_page_size=True)
    first = PdfReader(io.BytesIO(data)).pages[0]
    size = (round(float(first.mediabox.width)), round(float(first.mediabox.height)))
    assert size == (595, 842), size  # A4 in points
    text = _squash(_pdf_text(data))
    month = f"{previous_month(timezone.localdate()):%Y-%m}"
    assert f"{month}已生成" in text and "2025-12未生成" in text  # the months and states kept
    assert "下级单位" not in text and "东关社区" not in text  # the children's buttons
