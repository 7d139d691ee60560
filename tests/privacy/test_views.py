"""The 我的数据 page, its downloads (audited) and the correction pages, as residents and clerks."""

from __future__ import annotations

import io
import json
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.privacy.models import CorrectionRequest, CorrectionState
from tests.cases.factories import make_case
from tests.clock import SHANGHAI
from tests.privacy.factories import TITLES, make_correction, resident_rows, visit_for

pytestmark = pytest.mark.clock(datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI))


def test_page_shows_own_rows_only(world, client, login):
    resident_rows(world, "a")
    resident_rows(world, "b")
    login(world.users["resident_a"])
    html = client.get(reverse("privacy:my_data")).content.decode()
    assert "甲金丝雀" in html and TITLES["a"] in html and "138****2222" in html
    assert "乙金丝雀" not in html and TITLES["b"] not in html
    assert "13811112222" not in html and "620524195001010021" not in html


def test_json_download_has_the_same_content_and_is_audited(world, client, login):
    resident_rows(world, "a")
    login(world.users["resident_a"])
    response = client.get(reverse("privacy:download_json"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    doc = json.loads(response.content)
    assert doc["sections"]["person"]["rows"][0]["姓名"] == "甲金丝雀"
    assert doc["sections"]["person"]["rows"][0]["手机号"] == "138****2222"
    assert doc["sections"]["cases"]["rows"][0]["标题"] == TITLES["a"]
    assert "乙金丝雀" not in response.content.decode()
    row = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert row.actor == world.users["resident_a"] and row.extra["format"] == "json"


def test_xlsx_download_goes_through_spreadsheets_and_is_audited(world, client, login):
    resident_rows(world, "a")
    login(world.users["resident_a"])
    response = client.get(reverse("privacy:download_xlsx"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    assert "人员信息" in wb.sheetnames
    values = [c for row in wb["人员信息"].iter_rows(values_only=True) for c in row if c]
    assert "甲金丝雀" in values and "138****2222" in values
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).extra["format"] == "xlsx"


def test_correction_form_errors_are_chinese_and_a_request_reaches_the_page(world, client, login):
    login(world.users["resident_a"])
    url = reverse("privacy:correction_new")
    response = client.post(url, {"kind": "person", "problem": ""})
    assert "请说明哪里不对。" in response.content.decode()
    response = client.post(
        url,
        {"kind": "person", "field": "phone", "problem": "手机号换了", "proposed": "13811119999"},
    )
    assert response.status_code == 302
    corr = CorrectionRequest.objects.get()
    assert corr.resident == world.users["resident_a"]
    html = client.get(reverse("privacy:my_data")).content.decode()
    assert "手机号换了" in html and "待处理" in html


def test_clerk_of_another_village_sees_none_of_it(world, client, login):
    corr = make_correction(world, "a")
    login(world.users["village_b"])
    assert "手机号换了" not in client.get(reverse("privacy:correction_list")).content.decode()
    detail = reverse("privacy:correction_detail", args=[corr.pk])
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"action": "done", "note": "改好了"}).status_code == 404
    login(world.users["resident_a"])
    assert client.get(detail).status_code == 403


def test_clerk_applies_a_correction_and_the_resident_sees_the_outcome(world, client, login):
    corr = make_correction(world, "a")
    login(world.users["village_a"])
    html = client.get(reverse("privacy:correction_list")).content.decode()
    assert "手机号换了" in html
    detail = reverse("privacy:correction_detail", args=[corr.pk])
    page = client.get(detail).content.decode()
    assert "13811119999" not in page  # the proposed number is masked on the page too
    response = client.post(detail, {"action": "apply", "value": "", "note": ""})
    assert response.status_code == 302
    corr.refresh_from_db()
    assert corr.state == CorrectionState.CORRECTED
    world.persons["a"].refresh_from_db()
    assert world.persons["a"].phone == "13811119999"
    login(world.users["resident_a"])
    assert "已更正" in client.get(reverse("privacy:my_data")).content.decode()


def test_rejecting_needs_a_reason(world, client, login):
    corr = make_correction(world, "a", kind="case", field="")
    login(world.users["village_a"])
    detail = reverse("privacy:correction_detail", args=[corr.pk])
    response = client.post(detail, {"action": "reject", "note": ""})
    assert "请填写不予更正的理由。" in response.content.decode()
    corr.refresh_from_db()
    assert corr.state == CorrectionState.PENDING


def test_page_query_count_does_not_grow_with_rows(
    world, client, login, django_assert_max_num_queries
):
    resident_rows(world, "a")
    make_correction(world, "a")
    login(world.users["resident_a"])
    client.get(reverse("privacy:my_data"))  # warm the session and scope caches
    with django_assert_max_num_queries(25) as captured:
        assert client.get(reverse("privacy:my_data")).status_code == 200
    few = len(captured)
    make_case(world, reporter=world.users["resident_a"], title="又一条诉求")
    visit_for(world, "a", days_ago=10)
    make_correction(world, "a", kind="other", field="")
    with django_assert_max_num_queries(few):
        client.get(reverse("privacy:my_data"))
