import pytest
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_lists_and_details_are_masked(world, client, login):
    login(world.users["village_a"])
    for url in (
        reverse("people:person_list"),
        reverse("people:person_detail", args=[world.persons["a"].pk]),
        reverse("people:household_detail", args=[world.households["a"].pk]),
        reverse("api:people_persons"),
    ):
        body = client.get(url).content.decode()
        assert "甲金丝雀" in body, url
        assert "620524195001010021" not in body, url
        assert "13811112222" not in body, url
        assert "138****2222" in body, url
    assert "6205**********0021" in client.get(reverse("people:person_list")).content.decode()


def test_reveal_needs_a_reason_and_writes_an_audit_row(world, client, login):
    login(world.users["grid_a1"])
    url = reverse("people:person_reveal", args=[world.persons["a"].pk])
    response = client.post(url, {"field": "phone", "reason": ""})
    assert response.status_code == 422
    assert "事由" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.REVEAL).exists()

    response = client.post(url, {"field": "phone", "reason": "入户走访核实"})
    assert response.status_code == 200
    assert "13811112222" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.REVEAL)
    assert event.actor == world.users["grid_a1"]
    assert event.target_id == str(world.persons["a"].pk)
    assert event.reason == "入户走访核实"
    assert event.extra == {"field": "phone"}


def test_reveal_of_other_fields_is_refused(world, client, login):
    login(world.users["village_a"])
    url = reverse("people:person_reveal", args=[world.persons["a"].pk])
    response = client.post(url, {"field": "name", "reason": "核实"})
    assert response.status_code == 422


def test_department_handler_may_not_reveal(world, client, login):
    login(world.users["dept"])
    url = reverse("people:person_reveal", args=[world.persons["a"].pk])
    assert client.post(url, {"field": "phone", "reason": "核实"}).status_code == 403


def test_personal_pages_are_not_cached(world, client, login):
    login(world.users["village_a"])
    response = client.get(reverse("people:person_detail", args=[world.persons["a"].pk]))
    assert response["Cache-Control"] == "no-store"


def test_household_tag_filter(world, client, login):
    from lianxin.people.models import Household

    Household.objects.filter(pk=world.households["a"].pk).update(tags=["独居老人"])
    Household.objects.create(
        number="A-0002", grid=world.grid_a1, address="东关社区4组1号", tags=["低保户"]
    )
    login(world.users["village_a"])
    body = client.get(reverse("people:household_list") + "?tag=独居老人").content.decode()
    assert "东关社区3组12号" in body
    assert "东关社区4组1号" not in body
    home = client.get(reverse("core:home")).content.decode()
    assert "重点关爱户" in home
    assert "独居老人" in home
