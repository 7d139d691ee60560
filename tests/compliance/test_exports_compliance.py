"""Inspections and upgrade plans as .xlsx: the lists' rows under the lists' filters, scoped,
audited, inspector logins masked, formula-safe, and written by the worker above the limit."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction
from lianxin.compliance import services
from tests.compliance.factories import checklist, inspection_for
from tests.jobs.list_exports import (
    FORMULA,
    all_text,
    cell,
    column,
    export_audits,
    inline,
    via_job,
)
from tests.venues.factories import plan_for, venue_a, venue_b, venue_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    a, b = venue_a(world), venue_b(world)
    a2 = venue_for(world.village_a, name=FORMULA, kind="bee_station")
    inspection_for(world, a)
    inspection_for(world, a2, failing=False)
    inspection_for(world, b)
    cl = checklist()
    phone = User.objects.create_user(username="13712345678", password="x", display_name="")
    from lianxin.compliance.models import Inspection

    services.inspection_record(
        actor=world.users["county_admin"],
        venue=a,
        checklist=cl,
        scores={i.pk: (i.max_score, "") for i in cl.items.all()},
        notes=FORMULA,
    )
    Inspection.objects.filter(notes=FORMULA).update(inspector=phone)
    plan_for(a, year=2026)
    done = date(2025, 10, 1)
    plan_for(a2, year=2025, status="accepted", funded_on=done, started_on=done, accepted_on=done)
    plan_for(b, year=2026)
    return world


def _listed(client, url: str, attr):
    response = client.get(url)
    assert response.status_code == 200
    return [attr(x) for x in response.context["page_obj"]]


def test_inspection_rows_equal_the_list(data, client, login):
    login(data.users["town_a"])
    listed = _listed(client, reverse("compliance:inspection_overview"), lambda i: i.venue.name)
    got = column(inline(client, reverse("compliance:inspection_export")), "阵地")
    assert got == listed and len(listed) == 3


@pytest.mark.parametrize(
    "query", ["", "?year=2026", "?status=accepted", "?year=2026&status=planned"]
)
def test_plan_rows_equal_the_list(data, client, login, query):
    login(data.users["town_a"])
    listed = _listed(client, reverse("venues:plan_list") + query, lambda p: (p.year, p.venue.name))
    xlsx = inline(client, reverse("compliance:plan_export") + query)
    assert list(zip(column(xlsx, "年度"), column(xlsx, "阵地"), strict=True)) == listed and listed


def test_sibling_town_exports_only_its_own(data, client, login):
    login(data.users["town_b"])
    inspections = inline(client, reverse("compliance:inspection_export"))
    assert column(inspections, "阵地") == [venue_b(data).name]
    plans = inline(client, reverse("compliance:plan_export"))
    assert column(plans, "阵地") == [venue_b(data).name]
    assert "东关" not in all_text(inspections) + all_text(plans)


def test_resident_cannot_export(data, client, login):
    login(data.users["resident_a"])
    assert client.get(reverse("compliance:inspection_export")).status_code == 403
    assert client.get(reverse("compliance:plan_export")).status_code == 403


def test_exports_are_audited(data, client, login):
    user = data.users["town_a"]
    login(user)
    inline(client, reverse("compliance:inspection_export"))
    inline(client, reverse("compliance:plan_export") + "?year=2026")
    inspections, plans = export_audits(user)
    assert inspections.action == plans.action == AuditAction.EXPORT
    assert plans.extra["filters"] == {"year": 2026}


def test_phone_login_of_an_inspector_masked(data, client, login):
    login(data.users["county_admin"])
    xlsx = inline(client, reverse("compliance:inspection_export"))
    assert "13712345678" not in all_text(xlsx)
    assert "137****5678" in column(xlsx, "指导人")


def test_formula_cells_are_text(data, client, login):
    login(data.users["county_admin"])
    for url in (reverse("compliance:inspection_export"), reverse("compliance:plan_export")):
        planted = cell(inline(client, url), FORMULA)
        assert planted.data_type == "s" and planted.quotePrefix


def test_above_the_inline_limit_a_job_writes_every_row(data, client, login, settings):
    settings.LIANXIN_EXPORT_INLINE_ROWS = 1
    login(data.users["county_admin"])
    listed = _listed(client, reverse("compliance:inspection_overview"), lambda i: i.venue.name)
    got = column(via_job(client, reverse("compliance:inspection_export")), "阵地")
    assert got == listed and len(listed) == 4
    plans = via_job(client, reverse("compliance:plan_export"))
    assert len(column(plans, "阵地")) == 3
