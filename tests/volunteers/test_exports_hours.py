"""Volunteer hours (the points ranking) as .xlsx: the page's rows under its filters, scoped,
audited, phone-number logins masked, formula-safe, and written by the worker above the limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.audit.models import AuditAction
from lianxin.volunteers.models import RecordStatus, ServiceRecord, SourceKind
from tests.conftest import make_user
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
_n = iter(range(1, 10_000))


def _record(user, unit, *, points, hours, title="东关村晚志愿服务", days_ago=0):
    return ServiceRecord.objects.create(
        user=user,
        unit=unit,
        source_kind=SourceKind.ATTENDANCE,
        source_id=next(_n),
        title=title,
        occurred_on=timezone.localdate() - timedelta(days=days_ago),
        hours=f"{hours:.1f}",
        points=points,
        status=RecordStatus.CONFIRMED,
        confirmed_at=timezone.now(),
    )


@pytest.fixture
def hours(world):
    phone_login = make_user("13712345678", unit=world.grid_a1, role="resident")
    phone_login.display_name = ""
    phone_login.save(update_fields=["display_name"])
    _record(world.users["party_a"], world.village_a, points=10, hours=2, title=FORMULA)
    _record(world.users["party_a"], world.village_a, points=5, hours=1)
    _record(phone_login, world.grid_a1, points=7, hours=1.5)
    _record(world.users["party_b"], world.village_b, points=20, hours=3, title="张家村晚")
    _record(world.users["party_a"], world.village_a, points=99, hours=9, days_ago=40)
    return world


def _listed(client, query: str):
    response = client.get(reverse("volunteers:ranking") + query)
    assert response.status_code == 200
    data = response.context["data"]
    return [r["points"] for r in data["rows"]], [u["unit__name"] for u in data["units"]]


@pytest.mark.parametrize("query", ["", "?unit=620524100001-G01", "?month=", "?month=2020-01"])
def test_rows_equal_the_page(hours, client, login, query):
    if query == "?month=":  # the month of the record 40 days ago
        query += (timezone.localdate() - timedelta(days=40)).strftime("%Y-%m")
    login(hours.users["town_a"])
    people, units = _listed(client, query)
    data = inline(client, reverse("volunteers:hours_export") + query)
    assert column(data, "积分", sheet=0) == people
    assert column(data, "单位", sheet=1) == units
    assert sum(column(data, "积分", sheet=2)) == sum(people)


def test_sibling_town_exports_only_its_own(hours, client, login):
    login(hours.users["town_b"])
    data = inline(client, reverse("volunteers:hours_export"))
    assert column(data, "积分") == [20]
    assert "东关" not in all_text(data) and "甲党员" not in all_text(data)
    # a unit of the other town named in the query is out of scope: the whole scope, not its rows
    data = inline(client, reverse("volunteers:hours_export") + "?unit=620524100001")
    assert column(data, "积分") == [20]


def test_resident_cannot_export(hours, client, login):
    login(hours.users["resident_a"])
    assert client.get(reverse("volunteers:hours_export")).status_code == 403


def test_export_is_audited(hours, client, login):
    user = hours.users["town_a"]
    login(user)
    inline(client, reverse("volunteers:hours_export") + "?month=2026-11")
    (row,) = export_audits(user)
    assert row.action == AuditAction.EXPORT
    assert row.extra["filters"] == {"month": "2026-11", "unit": ""}


def test_phone_logins_masked(hours, client, login):
    login(hours.users["town_a"])
    data = inline(client, reverse("volunteers:hours_export"))
    assert "13712345678" not in all_text(data)
    assert "137****5678" in column(data, "姓名", sheet=0)
    assert "137****5678" in column(data, "姓名", sheet=2)


def test_formula_title_is_text(hours, client, login):
    login(hours.users["town_a"])
    planted = cell(inline(client, reverse("volunteers:hours_export")), FORMULA)
    assert planted.data_type == "s" and planted.quotePrefix


def test_above_the_inline_limit_a_job_writes_every_row(hours, client, login, settings):
    settings.LIANXIN_EXPORT_INLINE_ROWS = 2
    login(hours.users["county_admin"])
    people, units = _listed(client, "")
    data = via_job(client, reverse("volunteers:hours_export"))
    assert column(data, "积分", sheet=0) == people and len(people) == 3
    assert column(data, "单位", sheet=1) == units
    assert len(column(data, "事项", sheet=2)) == 4
