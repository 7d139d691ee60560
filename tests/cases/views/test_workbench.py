"""The staff queue, a request's page, bulk dispatch, photos and the poster (cases/views/workbench.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.cases import services as s
from lianxin.cases.models import Case, State
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_workbench_lists_scope_and_search(world, login):
    a = make_case(world, title="路灯不亮", description="门口路灯坏了")
    make_case(world, title="供暖不热", description="暖气冰凉", cat="heat-cold")
    b = make_case(
        world, grid=world.grid_b1, reporter="resident_b", title="路灯坏了", description="村口路灯"
    )
    c = login(world.users["village_a"])
    body = c.get(reverse("cases:workbench") + "?q=路灯").content.decode()
    assert a.code in body and b.code not in body and "供暖不热" not in body
    body = c.get(reverse("cases:workbench") + "?view=unit").content.decode()
    assert a.code not in body  # in the grid's queue, not the village's


def test_workbench_query_count_is_constant(world, login, django_assert_max_num_queries):
    c = login(world.users["county_admin"])
    for _i in range(3):
        make_case(world)
    c.get(reverse("cases:workbench"))
    with django_assert_max_num_queries(20) as ctx3:
        c.get(reverse("cases:workbench"))
    for _i in range(15):
        case = make_case(world)
        s.case_accept(case=case, actor=world.users["grid_a1"])
    with django_assert_max_num_queries(20) as ctx18:
        r = c.get(reverse("cases:workbench"))
    assert r.status_code == 200
    assert len(ctx18.captured_queries) == len(ctx3.captured_queries)


def test_htmx_accept_and_resolve(world, login):
    case = make_case(world)
    c = login(world.users["grid_a1"])
    r = c.post(reverse("cases:case_action", args=[case.pk, "accept"]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'data-testid="case-panel"' in r.content.decode()
    r = c.post(
        reverse("cases:case_action", args=[case.pk, "resolve"]),
        {"resolution": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "请填写办理结果" in r.content.decode()
    c.post(
        reverse("cases:case_action", args=[case.pk, "resolve"]),
        {"resolution": "已修"},
        HTTP_HX_REQUEST="true",
    )
    case.refresh_from_db()
    assert case.state == State.RESOLVED


def test_case_detail_other_subtree_404(world, login):
    case = make_case(world)
    assert (
        login(world.users["town_b"]).get(reverse("cases:case_detail", args=[case.pk])).status_code
        == 404
    )
    assert (
        login(world.users["town_a"]).get(reverse("cases:case_detail", args=[case.pk])).status_code
        == 200
    )


def test_bulk_dispatch(world, login):
    cases = [
        make_case(world, channel="staff", created_by=world.users["village_a"]) for _ in range(3)
    ]
    c = login(world.users["village_a"])
    r = c.post(
        reverse("cases:bulk_dispatch"), {"ids": [x.pk for x in cases], "to_unit": world.grid_a2.pk}
    )
    assert r.status_code == 302
    assert set(Case.objects.values_list("owner_unit", flat=True)) == {world.grid_a2.pk}


def test_poster_svg(world, login):
    r = login(world.users["village_a"]).get(reverse("cases:poster", args=[world.village_a.pk]))
    assert (
        r.status_code == 200 and b"<svg" in r.content and world.village_a.code.encode() in r.content
    )
    assert (
        login(world.users["village_b"])
        .get(reverse("cases:poster", args=[world.village_a.pk]))
        .status_code
        == 404
    )


def test_bulk_dispatch_menu_loads_on_demand_and_is_scoped(world, login):
    make_case(world)
    c = login(world.users["town_a"])
    page = c.get(reverse("cases:workbench")).content.decode()
    assert reverse("cases:dispatch_options") in page
    options = c.get(reverse("cases:dispatch_options")).content.decode()
    assert world.village_a.name in options
    assert world.village_b.name not in options
    r = c.post(reverse("cases:bulk_dispatch"), {"ids": [], "to_unit": ""})
    assert r.status_code == 302
