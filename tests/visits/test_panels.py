""" "来自走访": the request and wish raised from a visit link back to it, for who may see the visit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.visits.models import VisitKind
from lianxin.visits.services import visit_log, visit_raise_case, visit_raise_wish
from lianxin.wishes.models import WishCategory
from tests.cases.factories import category, make_case

pytestmark = pytest.mark.django_db


def _visit(world):
    gw = world.users["grid_a1"]
    visit, _ = visit_log(
        actor=gw, household=world.households["a"], kind=VisitKind.CARE, notes="屋顶漏水"
    )
    return gw, visit


def test_case_page_links_back_to_its_visit(world, client, login):
    gw, visit = _visit(world)
    case = visit_raise_case(actor=gw, visit=visit, category=category(), title="屋顶漏水")
    url = reverse("cases:case_detail", args=[case.pk])
    visit_url = reverse("visits:visit_detail", args=[visit.pk])
    for who in ("grid_a1", "town_a", "county_admin"):
        login(world.users[who])
        html = client.get(url).content.decode()
        assert "来自走访" in html and visit_url in html, who
    # The sibling town cannot open the request at all, nor learn of the visit.
    login(world.users["town_b"])
    response = client.get(url)
    assert response.status_code in (403, 404) and visit_url not in response.content.decode()


def test_case_not_from_a_visit_has_no_panel(world, client, login):
    case = make_case(world)
    login(world.users["grid_a1"])
    response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    assert 'data-testid="from-visit"' not in response.content.decode()


def test_wish_page_links_back_to_its_visit(world, client, login):
    gw, visit = _visit(world)
    wish = visit_raise_wish(
        actor=gw, visit=visit, title="想要一台收音机", category=WishCategory.DAILY
    )
    visit_url = reverse("visits:visit_detail", args=[visit.pk])
    login(gw)
    html = client.get(reverse("wishes:wish_detail", args=[wish.pk])).content.decode()
    assert "来自走访" in html and visit_url in html
    # A resident never sees the staff's visit record through the wish page.
    login(world.users["resident_a"])
    response = client.get(reverse("wishes:wish_detail", args=[wish.pk]))
    assert visit_url not in response.content.decode()
