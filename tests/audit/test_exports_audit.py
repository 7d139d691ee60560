"""The audit log as .xlsx: the list's rows under its filters (as they stood at the click),
scoped like the list, itself audited, phone-number logins masked, formula-safe, and written by
the worker above the inline limit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.audit.services import audit_record
from lianxin.org.models import Role, UnitKind
from lianxin.org.services import unit_create
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


@pytest.fixture
def log(world):
    other = unit_create(
        code="620523000000",
        name="甘谷县",
        kind=UnitKind.COUNTY,
        parent=world.county.parent,
        division_code="620523000000",
    )
    world.users["other_county"] = make_user("other_admin", unit=other, role=Role.COUNTY_ADMIN)
    u = world.users
    audit_record(action=AuditAction.UPDATE, actor=u["town_a"], target_repr="东关档案", reason="改")
    audit_record(action=AuditAction.REVEAL, actor=u["town_a"], target_repr="13811112222")
    audit_record(action=AuditAction.UPDATE, actor=u["town_b"], target_repr=FORMULA)
    audit_record(action=AuditAction.LOGIN, actor=u["resident_a"])
    audit_record(action=AuditAction.UPDATE, actor=u["other_county"], target_repr="甘谷档案")
    return world


def _listed(client, query: str) -> list[str]:
    response = client.get(reverse("audit:audit_list") + query)
    assert response.status_code == 200
    return [e.target_repr for e in response.context["page_obj"]]


def _objects(data: bytes) -> list[str]:
    return [x or "" for x in column(data, "对象")]


@pytest.mark.parametrize("query", ["", "?action=update", "?q=东关", "?action=update&q=town_b"])
def test_rows_equal_the_list(log, client, login, query):
    login(log.users["county_admin"])
    listed = _listed(client, query)
    data = inline(client, reverse("audit:audit_export") + query)
    assert _objects(data) == [x.replace("13811112222", "138****2222") for x in listed]
    assert listed


def test_the_file_is_the_list_at_the_click(log, client, login):
    """The export's own audit row (written while it builds) is not in it."""
    login(log.users["county_admin"])
    listed = _listed(client, "")
    data = inline(client, reverse("audit:audit_export"))
    assert len(column(data, "动作")) == len(listed)
    assert "导出" not in column(data, "动作")


def test_another_county_and_a_town_cannot_export_these_rows(log, client, login):
    login(log.users["other_county"])
    listed = _listed(client, "")
    data = inline(client, reverse("audit:audit_export"))
    assert _objects(data) == listed
    assert "甘谷档案" in _objects(data)
    # rows of the other county's actors are not there (rows without an actor are, as listed)
    assert not {"town_a", "town_b", "county_admin"} & set(column(data, "操作人"))
    assert "东关档案" not in all_text(data) and FORMULA not in all_text(data)
    login(log.users["town_b"])
    assert client.get(reverse("audit:audit_export")).status_code == 403


def test_export_is_audited(log, client, login):
    user = log.users["supervisor"]
    login(user)
    inline(client, reverse("audit:audit_export") + "?action=update")
    (row,) = export_audits(user)
    assert row.action == AuditAction.EXPORT and row.extra["filters"] == {"action": "update"}


def test_phone_logins_masked(log, client, login):
    login(log.users["county_admin"])
    data = inline(client, reverse("audit:audit_export"))
    text = all_text(data)
    assert "13811112222" not in text and "13900000001" not in text
    assert "139****0001" in column(data, "操作人")


def test_formula_cell_is_text(log, client, login):
    login(log.users["county_admin"])
    planted = cell(inline(client, reverse("audit:audit_export")), FORMULA)
    assert planted.data_type == "s" and planted.quotePrefix


def test_above_the_inline_limit_a_job_writes_every_row(log, client, login, settings):
    settings.LIANXIN_EXPORT_INLINE_ROWS = 1
    login(log.users["county_admin"])
    listed = _listed(client, "?action=update")
    data = via_job(client, reverse("audit:audit_export") + "?action=update")
    assert _objects(data) == listed and len(listed) == 2
    assert (
        AuditEvent.objects.filter(action=AuditAction.EXPORT, reason="audit log xlsx").count() == 1
    )
