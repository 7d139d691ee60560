"""Issue 14 (6): a clerk opens the workbench, accepts the unit the 分派助手 suggests for a
not-yet-dispatched request, confirms, and the request ends with that handling unit."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_a_clerk_dispatches_to_a_suggested_unit_from_the_workbench(e2e_world, new_page):
    from lianxin.cases.models import Case, EventKind, State
    from tests.cases.factories import ensure_categories, make_case
    from tests.triage.factories import trained

    ensure_categories()
    w = e2e_world
    trained(w)
    wage = make_case(
        w, title="讨要工钱", description="老板拖欠我们三个月工资不给", cat="dispute-wage"
    )

    page = new_page()
    log_in(page, "grid_a1")
    page.goto("/cases/?view=unit")
    row = page.locator(f"#lx-triage-row-{wage.pk}")
    suggested = row.locator(f"[data-testid=triage-unit][data-unit='{w.department.pk}']")
    suggested.wait_for()
    assert "%" in suggested.inner_text()  # shown with its confidence
    assert row.locator("[data-testid=triage-unit]").count() <= 3
    suggested.click()

    dialog = page.locator("[data-testid=triage-dispatch-dialog]")
    dialog.wait_for(state="visible")
    assert dialog.locator("[data-testid=triage-dispatch-unit]").inner_text() == "县住建局"
    assert Case.objects.get(pk=wage.pk).owner_unit == w.grid_a1  # nothing applied yet

    # a person may still change their mind
    dialog.locator("[data-triage-close]").click()
    dialog.wait_for(state="hidden")
    assert Case.objects.get(pk=wage.pk).owner_unit == w.grid_a1

    suggested.click()
    dialog.locator("input[name=note]").fill("欠薪，请职能部门处理")
    dialog.locator("[data-testid=triage-dispatch-confirm]").click()
    page.wait_for_url("**/cases/?view=unit")
    page.wait_for_load_state("networkidle")
    assert "已派单 1 件" in page.content()

    wage = Case.objects.get(pk=wage.pk)
    assert wage.unit == w.department and wage.owner_unit == w.department
    assert wage.state == State.SUBMITTED  # in the department's queue, to sign for
    step = wage.events.filter(kind=EventKind.DISPATCH).get()
    assert step.actor == w.users["grid_a1"] and step.to_unit == w.department
    assert step.note == "欠薪，请职能部门处理"
