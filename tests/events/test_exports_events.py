"""The event list's and an event's attendance .xlsx exports: the list's rows under its filters,
scoped, audited, phones masked, formula-safe, and written by the worker above the limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditAction
from lianxin.events import services
from lianxin.events.models import EventKind
from tests.events.factories import make_event
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
def events(world):
    e1 = make_event(world, capacity=2, title=FORMULA)
    make_event(world, kind=EventKind.TRAINING, title="东关党员培训", starts_in=timedelta(days=3))
    make_event(world, title="张家村村晚", unit=world.village_b, actor=world.users["village_b"])
    for who in ("party_a", "resident_a"):
        services.registration_create(actor=world.users[who], event=e1)
    return e1


def _listed(client, query: str) -> list[str]:
    response = client.get(reverse("events:event_list") + query)
    assert response.status_code == 200
    return [e.title for e in response.context["page_obj"]]


@pytest.mark.parametrize("query", ["", "?kind=training", "?when=upcoming&kind=culture"])
def test_event_rows_equal_the_list(world, events, client, login, query):
    login(world.users["town_a"])
    listed = _listed(client, query)
    data = inline(client, reverse("events:event_list_export") + query)
    assert column(data, "活动名称") == listed and listed


def test_counts_in_the_list_export(world, events, client, login):
    login(world.users["village_a"])
    data = inline(client, reverse("events:event_list_export"))
    row = column(data, "活动名称").index(FORMULA)
    assert column(data, "已报名")[row] == 2 and column(data, "名额")[row] == 2


def test_sibling_town_exports_only_its_own(world, events, client, login):
    login(world.users["town_b"])
    data = inline(client, reverse("events:event_list_export"))
    assert column(data, "活动名称") == ["张家村村晚"]
    response = client.get(reverse("events:attendance_export", args=[events.pk]))
    assert response.status_code == 404


def test_resident_cannot_export(world, events, client, login):
    login(world.users["resident_a"])
    assert client.get(reverse("events:event_list_export")).status_code == 403
    assert client.get(reverse("events:attendance_export", args=[events.pk])).status_code == 403


def test_attendance_rows_equal_the_roster(world, events, client, login):
    reg = events.registrations.order_by("id").first()
    services.attendance_mark(actor=world.users["village_a"], registration=reg)
    login(world.users["village_a"])
    page = client.get(reverse("events:event_detail", args=[events.pk]))
    roster = [r.registrant_name for r in page.context["roster"]]
    data = inline(client, reverse("events:attendance_export", args=[events.pk]))
    assert column(data, "姓名") == roster and len(roster) == 2
    assert column(data, "到场") == ["是", "否"]
    assert column(data, "签到时间")[0] is not None


def test_exports_are_audited(world, events, client, login):
    user = world.users["town_a"]
    login(user)
    inline(client, reverse("events:event_list_export") + "?kind=training")
    inline(client, reverse("events:attendance_export", args=[events.pk]))
    listed, attendance = export_audits(user)
    assert listed.action == attendance.action == AuditAction.EXPORT
    assert listed.extra["filters"] == {"kind": "training", "when": "upcoming"}
    assert attendance.target_id == str(events.pk)


def test_attendance_phones_masked(world, events, client, login):
    login(world.users["town_a"])
    data = inline(client, reverse("events:attendance_export", args=[events.pk]))
    assert "13900000003" not in all_text(data) and "13900000001" not in all_text(data)
    assert set(column(data, "联系电话")) == {"139****0003", "139****0001"}


def test_formula_title_is_text(world, events, client, login):
    login(world.users["town_a"])
    planted = cell(inline(client, reverse("events:event_list_export")), FORMULA)
    assert planted.data_type == "s" and planted.quotePrefix


def test_above_the_inline_limit_a_job_writes_every_row(world, events, client, login, settings):
    settings.LIANXIN_EXPORT_INLINE_ROWS = 1
    login(world.users["county_admin"])
    listed = _listed(client, "")
    data = via_job(client, reverse("events:event_list_export"))
    assert column(data, "活动名称") == listed and len(listed) == 3
    attendance = via_job(client, reverse("events:attendance_export", args=[events.pk]))
    assert len(column(attendance, "姓名")) == 2
