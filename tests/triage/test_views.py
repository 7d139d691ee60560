"""The fragments: a resident sees nearby duplicates and 我也遇到, never a suggestion; staff see
suggestions (at intake and on the request's page) and merge with one click."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.cases.models import CoReporter, State
from tests.cases.factories import make_case
from tests.triage.factories import trained

pytestmark = pytest.mark.django_db

LAT, LNG = 34.715, 104.885  # inside grid_a1
FORM = {
    "title": "路灯坏了",
    "description": "人民路路灯坏了好几天，晚上很黑",
    "lat": str(LAT),
    "lng": str(LNG),
}


def _light(world, **kw):
    return make_case(
        world,
        title="路灯不亮",
        description="人民路路灯坏了一个星期，晚上黑乎乎的",
        lat=LAT,
        lng=LNG,
        **kw,
    )


def test_the_intake_pages_carry_the_slot(client, world, login):
    page = client.get(reverse("cases:intake")).content.decode()
    assert 'data-testid="triage-slot"' in page and reverse("triage:intake_check") in page
    login(world.users["town_a"])
    page = client.get(reverse("cases:staff_intake")).content.decode()
    assert 'data-testid="triage-slot"' in page


def test_a_resident_sees_duplicates_and_me_too_but_no_suggestion(client, world):
    trained(world)
    case = _light(world)
    html = client.post(reverse("triage:intake_check"), FORM).content.decode()
    assert "附近已有类似诉求，是同一件事吗？" in html
    assert case.title in html and "我也遇到" in html
    assert case.reporter_name not in html and case.reporter_phone not in html
    assert 'data-testid="triage-hints"' not in html


def test_staff_get_the_top_three_at_intake(client, world, login):
    trained(world)
    login(world.users["town_a"])
    html = client.post(
        reverse("triage:intake_check"),
        {"title": "讨薪", "description": "老板拖欠工资三个月", "grid": world.grid_a1.pk},
    ).content.decode()
    assert 'data-testid="triage-hints"' in html
    assert 'data-triage-fill="#id_category"' in html  # a click fills the field, nothing is applied
    assert "劳资纠纷" in html and world.department.name in html
    assert "我也遇到" not in html


def test_me_too_attaches_and_goes_to_the_request(client, world):
    case = _light(world)
    r = client.post(
        reverse("triage:attach", args=[case.pk]),
        {**FORM, "reporter_name": "李四", "reporter_phone": "13911112222"},
    )
    assert r.status_code == 200 and case.code in r["HX-Redirect"]
    assert CoReporter.objects.filter(case=case, phone="13911112222").exists()


def test_me_too_needs_a_name_and_a_valid_phone(client, world):
    case = _light(world)
    r = client.post(reverse("triage:attach", args=[case.pk]), {**FORM, "reporter_name": "李四"})
    assert r.status_code == 422 and "手机号" in r.content.decode()
    assert not CoReporter.objects.exists()


def test_me_too_only_on_a_request_shown_for_the_posted_text(client, world):
    case = _light(world)
    data = {"reporter_name": "李四", "reporter_phone": "13911112222"}
    unrelated = {**FORM, **data, "description": "老板拖欠工资", "title": "讨薪"}
    assert client.post(reverse("triage:attach", args=[case.pk]), unrelated).status_code == 404
    assert client.post(reverse("triage:attach", args=[case.pk]), data).status_code == 404
    assert not CoReporter.objects.exists()


def test_the_request_page_loads_the_panel_for_staff_only(client, world, login):
    trained(world)
    case = _light(world)
    dup = _light(world, reporter="resident_b")
    login(world.users["town_a"])
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("triage:case_panel", args=[case.pk]) in page
    html = client.get(reverse("triage:case_panel", args=[case.pk])).content.decode()
    assert 'data-triage-fill="#to_unit"' in html and dup.code in html
    assert reverse("triage:merge", args=[case.pk, dup.pk]) in html
    login(world.users["town_b"])
    assert client.get(reverse("triage:case_panel", args=[case.pk])).status_code == 404
    login(world.users["resident_a"])
    assert client.get(reverse("triage:case_panel", args=[case.pk])).status_code == 404


def test_one_click_merge(client, world, login):
    case = _light(world)
    into = _light(world, reporter="resident_b")
    login(world.users["grid_a1"])
    r = client.post(reverse("triage:merge", args=[case.pk, into.pk]))
    assert r.status_code == 200 and r["HX-Redirect"].endswith(f"/{into.pk}/")
    case.refresh_from_db()
    assert case.state == State.MERGED and case.merged_into == into
    assert into.co_reporters.filter(from_case=case).exists()


def test_a_merge_outside_one_s_reach_is_refused(client, world, login):
    case = _light(world)
    into = _light(world, reporter="resident_b")
    login(world.users["town_b"])
    assert client.post(reverse("triage:merge", args=[case.pk, into.pk])).status_code == 404
    case.refresh_from_db()
    assert case.state == State.SUBMITTED
