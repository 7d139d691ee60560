"""A tracking code (查询码) typed into the workbench search finds its request, in scope only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.cases.selectors import CaseFilters, case_list, tracking_code
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def _dashed(code: str) -> str:
    return f"{code[:4]}-{code[4:8]} {code[8:]}".lower()


def test_tracking_code_normalised():
    assert tracking_code("abcd-efgh 23") == "ABCDEFGH23"
    assert tracking_code("路灯不亮") == ""
    assert tracking_code("ABCDEFGHI0") == ""  # I and 0 are never issued


def test_workbench_search_finds_request_by_tracking_code(world, login):
    case = make_case(world, title="路灯不亮")
    make_case(world, title="路灯不亮")  # the same words: only the code tells them apart
    client = login(world.users["village_a"])
    for typed in (case.code, _dashed(case.code)):
        resp = client.get(reverse("cases:workbench"), {"q": typed})
        assert resp.status_code == 200
        assert [c.pk for c in resp.context["page_obj"].object_list] == [case.pk], typed


def test_tracking_code_found_whatever_the_list_tab(world):
    case = make_case(world)
    found = case_list(user=world.users["village_a"], filters=CaseFilters(view="mine", q=case.code))
    assert list(found.values_list("pk", flat=True)) == [case.pk]


def test_tracking_code_outside_scope_finds_nothing(world, login):
    case = make_case(world, grid=world.grid_a1)
    assert not case_list(user=world.users["village_b"], filters=CaseFilters(q=case.code)).exists()
    resp = login(world.users["town_b"]).get(reverse("cases:workbench"), {"q": case.code})
    assert resp.status_code == 200
    assert list(resp.context["page_obj"].object_list) == []
