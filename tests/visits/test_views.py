"""The visits pages: today lists the right households, the form logs once, raise from a visit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.org.models import Role
from lianxin.people.models import Household
from lianxin.visits.models import Visit
from lianxin.visits.services import visit_log
from tests.cases.factories import category
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_today_lists_own_grid_households_and_sibling_sees_nothing(world, client, login):
    Household.objects.create(
        number="A-0009", grid=world.grid_a1, address="东关9号", tags=["低保户"]
    )
    Household.objects.create(number="A2-0001", grid=world.grid_a2, address="东关二网格1号")
    login(world.users["grid_a1"])
    html = client.get(reverse("visits:today")).content.decode()
    assert "A-0001" in html and "A-0009" in html and "重点关爱户" in html
    assert "A2-0001" not in html and "B-0001" not in html
    sibling = make_user("grid_a2", unit=world.grid_a2, role=Role.GRID_WORKER)
    login(sibling)
    html = client.get(reverse("visits:today")).content.decode()
    assert "A2-0001" in html and "A-0001" not in html and "A-0009" not in html
    url = reverse("visits:visit_new") + f"?household={world.households['a'].pk}"
    assert client.get(url).status_code == 200  # the picker: not its household
    assert "A-0001" not in client.get(url).content.decode()


def test_form_logs_once_and_raises_a_request(world, client, login):
    login(world.users["grid_a1"])
    url = reverse("visits:visit_new") + f"?household={world.households['a'].pk}"
    assert client.get(url).status_code == 200
    data = {
        "form_token": "t" * 32,
        "kind": "care",
        "met": "户主",
        "notes": "漏水",
        "needs": ["住房"],
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    visit = Visit.objects.get()
    assert visit.needs == ["住房"]
    detail = reverse("visits:visit_detail", kwargs={"pk": visit.pk})
    assert "立即上报诉求" in client.get(detail).content.decode()
    client.post(detail, {"action": "case", "title": "屋顶漏水", "category": category().pk})
    visit.refresh_from_db()
    assert visit.case is not None and visit.case.title == "屋顶漏水"
    assert visit.case.code in client.get(detail).content.decode()
    history = client.get(reverse("visits:household_history", kwargs={"pk": visit.household_id}))
    assert history.status_code == 200


def test_bad_input_is_a_message_not_a_500(world, client, login):
    login(world.users["grid_a1"])
    url = reverse("visits:visit_new") + f"?household={world.households['a'].pk}"
    response = client.post(url, {"kind": "nonsense"})
    assert response.status_code == 200 and "请选择走访类型" in response.content.decode()
    visit, _ = visit_log(actor=world.users["grid_a1"], household=world.households["a"])
    detail = reverse("visits:visit_detail", kwargs={"pk": visit.pk})
    assert client.post(detail, {"action": "case", "title": ""}).status_code == 302
    assert client.post(detail, {"action": "zzz"}).status_code == 302


def test_coverage_page_drills_down(world, client, login):
    visit_log(actor=world.users["grid_a1"], household=world.households["a"])
    login(world.users["county_admin"])
    html = client.get(reverse("visits:coverage")).content.decode()
    assert "城关镇" in html and "洛门镇" in html and "2026Q4" in html
    html = client.get(reverse("visits:coverage") + f"?unit={world.town_a.pk}").content.decode()
    assert "东关社区" in html and "100%" in html
    login(world.users["town_b"])
    html = client.get(reverse("visits:coverage") + f"?unit={world.town_a.pk}").content.decode()
    assert "东关社区" not in html


def test_household_page_shows_its_visits_through_the_hook(world, client, login):
    visit_log(actor=world.users["grid_a1"], household=world.households["a"])
    login(world.users["village_a"])
    url = reverse("people:household_detail", kwargs={"pk": world.households["a"].pk})
    html = client.get(url).content.decode()
    assert 'data-testid="household-visits"' in html and "日常走访" in html
