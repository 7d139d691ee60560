"""The workbench's .xlsx export: the list's rows under the list's filters, scoped, audited,
masked, formula-safe, and written by the worker above the inline limit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent
from tests.cases.factories import make_case
from tests.jobs.list_exports import FORMULA, cell, column, export_audits, inline, via_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    made = [
        make_case(world, title="东关路灯不亮一号"),
        make_case(world, title="东关路灯不亮二号", grid=world.grid_a2),
        make_case(world, title="垃圾堆放没人清理", cat="other"),
        make_case(world, title=FORMULA + "路灯", reporter="resident_a"),
        make_case(world, title="张家村路灯不亮", grid=world.grid_b1, reporter="resident_b"),
    ]
    return made


def _list_codes(client, query: str) -> list[str]:
    response = client.get(reverse("cases:workbench") + query)
    assert response.status_code == 200
    return [c.code for c in response.context["page_obj"]]


@pytest.mark.parametrize(
    "query", ["", "?q=路灯", "?q=路灯&sort=created", "?state=submitted&sort=due"]
)
def test_rows_equal_the_list_under_the_same_filters(world, cases, client, login, query):
    login(world.users["town_a"])
    listed = _list_codes(client, query)
    data = inline(client, reverse("cases:workbench_export") + query)
    assert column(data, "查询码") == listed
    assert listed  # the filter leaves rows to compare


def test_filter_by_grid_and_category(world, cases, client, login):
    login(world.users["county_admin"])
    query = f"?grid={world.grid_a2.pk}"
    data = inline(client, reverse("cases:workbench_export") + query)
    assert column(data, "查询码") == [cases[1].code] == _list_codes(client, query)


def test_sibling_town_gets_only_its_own_rows(world, cases, client, login):
    login(world.users["town_b"])
    data = inline(client, reverse("cases:workbench_export") + "?q=路灯")
    assert column(data, "查询码") == [cases[4].code]
    assert "东关" not in "".join(column(data, "诉求"))


def test_resident_cannot_export(world, cases, client, login):
    login(world.users["resident_a"])
    assert client.get(reverse("cases:workbench_export")).status_code == 403


def test_export_is_audited_with_its_filters(world, cases, client, login):
    user = world.users["town_a"]
    login(user)
    inline(client, reverse("cases:workbench_export") + "?q=路灯&overdue=on")
    (row,) = export_audits(user)
    assert row.action == AuditAction.EXPORT
    assert row.extra["filters"]["q"] == "路灯" and row.extra["filters"]["overdue"] is True


def test_reporter_phone_and_name_masked(world, cases, client, login):
    login(world.users["town_a"])
    data = inline(client, reverse("cases:workbench_export"))
    phones = column(data, "联系电话")
    assert "139****0001" in phones
    assert not any("13900000001" in (p or "") for p in phones)
    assert "甲居民" not in column(data, "联系人")


def test_formula_title_is_text(world, cases, client, login):
    login(world.users["town_a"])
    data = inline(client, reverse("cases:workbench_export"))
    planted = cell(data, FORMULA + "路灯")
    assert planted.data_type == "s"
    from tests.core.test_spreadsheets import assert_no_formulas

    assert_no_formulas(data)


def test_above_the_inline_limit_a_job_writes_every_row(world, cases, client, login, settings):
    settings.LIANXIN_EXPORT_INLINE_ROWS = 2
    login(world.users["county_admin"])
    listed = _list_codes(client, "?q=路灯")
    data = via_job(client, reverse("cases:workbench_export") + "?q=路灯")
    assert column(data, "查询码") == listed and len(listed) == 5
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, actor=world.users["county_admin"]
    ).exists()
