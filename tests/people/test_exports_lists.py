"""The person and household lists' .xlsx exports: the lists' rows under the lists' filters,
scoped, audited, ID and phone masked, formula-safe, and written by the worker above the limit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditAction
from lianxin.people.models import Household, Person
from tests.jobs.list_exports import (
    FORMULA,
    all_text,
    cell,
    column,
    export_audits,
    inline,
    via_job,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    h = Household.objects.create(
        number="A-0002", grid=world.grid_a2, address=FORMULA, tags=["独居老人"]
    )
    Person.objects.create(name=FORMULA, unit=world.grid_a2, household=h, phone="13755556666")
    Person.objects.create(name="甲王五", unit=world.grid_a1, id_number="620524198001010013")
    Person.objects.create(name="乙王六", unit=world.grid_b1)
    return world


def _listed(client, url: str, attr: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [getattr(x, attr) for x in response.context["page_obj"]]


@pytest.mark.parametrize("query", ["", "?q=甲", "?unit=620524100001-G02"])
def test_person_rows_equal_the_list(people, client, login, query):
    login(people.users["town_a"])
    listed = _listed(client, reverse("people:person_list") + query, "name")
    data = inline(client, reverse("people:person_export") + query)
    assert column(data, "姓名") == listed and listed


@pytest.mark.parametrize("query", ["", "?q=A-", "?tag=独居老人"])
def test_household_rows_equal_the_list(people, client, login, query):
    login(people.users["town_a"])
    listed = _listed(client, reverse("people:household_list") + query, "number")
    data = inline(client, reverse("people:household_export") + query)
    assert column(data, "户号") == listed and listed


def test_sibling_town_exports_only_its_own(people, client, login):
    login(people.users["town_b"])
    persons = inline(client, reverse("people:person_export"))
    assert set(column(persons, "姓名")) == {"乙金丝雀", "乙党员", "乙王六"}
    households = inline(client, reverse("people:household_export") + "?q=A-")
    assert column(households, "户号") == []
    assert "甲金丝雀" not in all_text(inline(client, reverse("people:person_export") + "?q=甲"))


def test_resident_cannot_export(people, client, login):
    login(people.users["resident_a"])
    assert client.get(reverse("people:person_export")).status_code == 403
    assert client.get(reverse("people:household_export")).status_code == 403


def test_exports_are_audited(people, client, login):
    user = people.users["town_a"]
    login(user)
    inline(client, reverse("people:person_export") + "?q=甲")
    inline(client, reverse("people:household_export") + "?tag=独居老人")
    persons, households = export_audits(user)
    assert persons.action == households.action == AuditAction.EXPORT
    assert persons.extra["filters"] == {"q": "甲"}
    assert households.extra["filters"] == {"tag": "独居老人"}


def test_id_and_phone_masked(people, client, login):
    login(people.users["town_a"])
    data = inline(client, reverse("people:person_export"))
    text = all_text(data)
    for full in ("620524195001010021", "13811112222", "620524198001010013", "13755556666"):
        assert full not in text
    assert "6205**********0021" in column(data, "身份证号")
    assert "138****2222" in column(data, "手机号")


def test_formula_cells_are_text(people, client, login):
    login(people.users["town_a"])
    for url in (reverse("people:person_export"), reverse("people:household_export")):
        planted = cell(inline(client, url), FORMULA)
        assert planted.data_type == "s" and planted.quotePrefix


def test_above_the_inline_limit_a_job_writes_every_row(people, client, login, settings):
    settings.LIANXIN_EXPORT_INLINE_ROWS = 1
    login(people.users["county_admin"])
    listed = _listed(client, reverse("people:person_list"), "name")
    data = via_job(client, reverse("people:person_export"))
    assert column(data, "姓名") == listed and len(listed) == 7
    households = via_job(client, reverse("people:household_export"))
    assert len(column(households, "户号")) == 3
