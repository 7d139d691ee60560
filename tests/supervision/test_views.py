"""The console on screen: lists with counts, filters, empty state and pagination; issuing,
replying, reviewing through the forms; the unit's and the request's panels; the export; English."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.supervision import services
from lianxin.supervision.models import OrderState, SupervisionOrder
from tests.cases.factories import make_case
from tests.supervision.factories import decide, issue

pytestmark = pytest.mark.django_db


def _due(days=2) -> str:
    return f"{timezone.localtime(timezone.now() + timedelta(days=days)):%Y-%m-%dT%H:%M}"


def test_empty_list_and_counts(world, client, login):
    login(world.users["town_a"])
    page = client.get(reverse("supervision:order_list")).content.decode()
    assert "没有符合条件的督办单。" in page
    issue(world)
    page = client.get(reverse("supervision:order_list")).content.decode()
    assert "网格走访进度滞后" in page and page.count('data-testid="order-row"') == 1
    assert "没有符合条件的督办单。" not in page


def test_list_paginates_and_filters(world, client, login, settings):
    settings.LIANXIN_PAGE_SIZE = 2
    for _ in range(3):
        issue(world)
    login(world.users["town_a"])
    first = client.get(reverse("supervision:order_list")).content.decode()
    assert first.count('data-testid="order-row"') == 2
    second = client.get(reverse("supervision:order_list") + "?page=2").content.decode()
    assert second.count('data-testid="order-row"') == 1
    none = client.get(reverse("supervision:order_list") + "?state=accepted").content.decode()
    assert none.count('data-testid="order-row"') == 0


def test_sibling_town_sees_nothing(world, client, login):
    order = issue(world)
    login(world.users["town_b"])
    assert "网格走访" not in client.get(reverse("supervision:order_list")).content.decode()
    url = reverse("supervision:order_detail", args=[order.pk])
    assert client.get(url).status_code == 404


def test_issue_on_a_request_reply_and_accept_through_the_pages(world, client, login):
    case = make_case(world)
    sup = login(world.users["supervisor"])
    form_url = reverse("supervision:order_new") + f"?case={case.pk}"
    page = sup.get(form_url).content.decode()
    assert "发出督办单" in page and world.town_a.name in page
    response = sup.post(
        form_url,
        {
            "case": case.pk,
            "unit": world.town_a.pk,
            "title": "路灯长期不亮",
            "instruction": "请立即核实并限期修复。",
            "due_at": _due(),
        },
    )
    order = SupervisionOrder.objects.get()
    assert response.status_code == 302 and order.unit == world.town_a and order.case == case
    detail = reverse("supervision:order_detail", args=[order.pk])
    # the case page lists it
    case_page = sup.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert order.code in case_page
    login(world.users["town_a"])
    assert 'data-testid="reply-form"' in client.get(detail).content.decode()
    response = client.post(detail, {"action": "reply", "reply": "已安排电工修复，今日完成。"})
    assert response.status_code == 302
    assert client.post(detail, {"action": "accept"}).status_code == 403  # not the issuer side
    login(world.users["supervisor"])
    assert client.post(detail, {"action": "accept", "note": "属实"}).status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.ACCEPTED


def test_bad_input_is_shown_on_the_form(world, client, login):
    order = issue(world)
    login(world.users["village_a"])
    detail = reverse("supervision:order_detail", args=[order.pk])
    response = client.post(detail, {"action": "reply", "reply": "好"})
    assert response.status_code == 200 and "至少" in response.content.decode()
    assert client.post(detail, {"action": "nope"}).status_code == 404


def test_unit_page_shows_the_record(world, client, login):
    order = issue(world)
    decide(world, order=order)
    login(world.users["town_a"])
    page = client.get(reverse("org:unit_detail", args=[world.village_a.code])).content.decode()
    assert "督办记录" in page and order.code in page and 'data-testid="record-decision"' in page
    login(world.users["village_b"], client)
    page = client.get(reverse("org:unit_detail", args=[world.village_b.code])).content.decode()
    assert order.code not in page


def test_export_is_the_list_and_audited(world, client, login):
    order = issue(world)
    issue(world, actor="supervisor", unit=world.town_b)
    login(world.users["town_a"])
    response = client.get(reverse("supervision:order_export"))
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in ws.iter_rows(min_row=3, values_only=True)]
    assert codes == [order.code]
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, target_repr="supervision orders"
    ).exists()


def test_export_cells_are_never_formulas(world, client, login):
    services.order_issue(
        actor=world.users["town_a"],
        unit=world.village_a,
        title='=HYPERLINK("http://x")',
        instruction="请回复。",
        due_at=timezone.now() + timedelta(days=1),
    )
    login(world.users["town_a"])
    response = client.get(reverse("supervision:order_export"))
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = ws.cell(row=3, column=3)
    assert cell.data_type == "s" and cell.value.startswith("=")  # a string cell, not a formula
    assert cell.quotePrefix


def test_ranking_and_decision_pages(world, client, login):
    login(world.users["supervisor"])
    page = client.get(reverse("supervision:ranking") + "?month=2026-11").content.decode()
    assert "末位问责" in page
    url = reverse("supervision:decision_new") + f"?unit={world.town_a.code}&month=2026-11"
    response = client.post(
        url,
        {
            "unit": world.town_a.code,
            "month": "2026-11",
            "kind": "notice",
            "responsible": "城关镇镇长",
            "reason": "三率得分末位。",
            "due_on": f"{timezone.localdate() + timedelta(days=20):%Y-%m-%d}",
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    client.post(detail, {"action": "note", "text": "已通报全县。"})
    client.post(detail, {"action": "close", "note": "整改完成。"})
    page = client.get(detail).content.decode()
    assert "已通报全县。" in page and "已办结" in page
    listing = client.get(reverse("supervision:decision_list") + "?state=closed").content.decode()
    assert listing.count('data-testid="decision-row"') == 1


def test_english(world, client, login):
    issue(world)
    login(world.users["town_a"])
    client.cookies["lianxin_language"] = "en"
    page = client.get(reverse("supervision:order_list"), HTTP_ACCEPT_LANGUAGE="en").content
    text = page.decode()
    assert "Awaiting reply" in text and "Issued by my levels" in text


def test_a_unit_that_issues_to_no_one_opens_on_its_inbox(world, client, login):
    order = issue(world, actor="village_a", unit=world.grid_a1)
    login(world.users["grid_a1"])
    page = client.get(reverse("supervision:order_list")).content.decode()
    assert order.title in page and 'data-testid="reply-form"' not in page
    detail = client.get(reverse("supervision:order_detail", args=[order.pk])).content.decode()
    assert 'data-testid="reply-form"' in detail
    login(world.users["town_a"], client)
    inbox = client.get(reverse("supervision:order_list") + "?box=received").content.decode()
    assert order.code not in inbox  # addressed to the grid, not to the town


def test_ranking_opens_on_the_last_finished_month(world, client, login):
    last = f"{timezone.localdate().replace(day=1) - timedelta(days=1):%Y-%m}"
    order = issue(world, actor="supervisor", unit=world.town_a, month=last)
    login(world.users["supervisor"])
    page = client.get(reverse("supervision:ranking")).content.decode()
    assert f"{last} 末位问责" in page
    detail = client.get(reverse("supervision:order_detail", args=[order.pk])).content.decode()
    assert f"?month={last}" in detail


def test_home_panel_shows_what_awaits(world, client, login):
    login(world.users["village_a"])
    assert "待本单位回复" not in client.get("/").content.decode()  # nothing to do: no panel
    issue(world)
    page = client.get("/").content.decode()
    assert "待本单位回复" in page and "?box=received&amp;state=issued" in page
    login(world.users["village_b"], client)
    assert "待本单位回复" not in client.get("/").content.decode()


def test_a_large_export_runs_as_a_job_with_the_same_rows(world, client, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LIANXIN_EXPORT_INLINE_ROWS = 0
    order = issue(world)
    issue(world, actor="supervisor", unit=world.town_b)
    login(world.users["town_a"])
    job = client.get(reverse("supervision:order_export"), follow=True).context["job"]
    response = client.get(reverse("jobs:job_download", args=[job.pk]))
    data = b"".join(response.streaming_content)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [row[0] for row in ws.iter_rows(min_row=3, values_only=True)] == [order.code]
