"""The workbench's suggestions (issue 14, 5a): each not-yet-dispatched row gets the top 3 units
(and the category when it differs), loaded for the whole page in one batch, shown only to staff
who may handle the request, and nothing applied until a person confirms the dispatch."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lianxin.cases import services as s
from lianxin.cases.models import Case, State
from lianxin.triage import workbench
from tests.cases.factories import make_case
from tests.triage.factories import trained

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_prediction_cache():
    workbench._cache.clear()
    yield
    workbench._cache.clear()


def _wage(world, **kw):
    kw.setdefault("cat", "dispute-wage")
    return make_case(world, title="讨要工钱", description="老板拖欠我们三个月工资不给", **kw)


def _hints(client, ids):
    return client.get(reverse("triage:workbench"), {"ids": ids})


def test_the_workbench_carries_a_place_per_dispatchable_row_and_one_loader(world, login):
    trained(world)
    waiting = _wage(world)
    done = make_case(world)
    s.case_accept(case=done, actor=world.users["grid_a1"])
    s.case_start(case=done, actor=world.users["grid_a1"])
    c = login(world.users["grid_a1"])
    page = c.get(reverse("cases:workbench")).content.decode()
    assert f'id="lx-triage-row-{waiting.pk}"' in page
    assert f'id="lx-triage-row-{done.pk}"' not in page  # in progress: nothing to dispatch
    loaders = re.findall(r'hx-get="([^"]*/triage/workbench/[^"]*)"', page)
    assert len(loaders) == 1 and f"ids={waiting.pk}" in loaders[0]
    assert f"ids={done.pk}" not in loaders[0]
    assert 'data-testid="triage-dispatch-dialog"' in page
    assert reverse("cases:bulk_dispatch") in page


def test_a_resident_gets_no_slot_and_no_hints(world, login):
    trained(world)
    case = _wage(world)
    c = login(world.users["resident_a"])
    assert _hints(c, [case.pk]).status_code == 403


def test_the_hints_name_the_department_and_apply_nothing(world, login):
    trained(world)
    case = _wage(world, cat="infra-light")  # filed under the wrong category
    c = login(world.users["grid_a1"])
    html = _hints(c, [case.pk]).content.decode()
    assert f'id="lx-triage-row-{case.pk}"' in html and 'hx-swap-oob="true"' in html
    units = re.findall(r'data-unit="(\d+)"', html)
    assert units[0] == str(world.department.pk) and len(units) <= 3
    assert re.search(r"\d+%", html)
    assert 'data-testid="triage-category"' in html  # the wage category, not the light's
    case.refresh_from_db()
    assert case.owner_unit == world.grid_a1 and case.unit == world.grid_a1
    # the category is not offered when it is the request's own
    same = _wage(world)
    html = _hints(c, [same.pk]).content.decode()
    assert 'data-testid="triage-category"' not in html


def test_dispatched_or_unseen_requests_get_none(world, login):
    trained(world)
    moved = _wage(world)
    s.case_dispatch(case=moved, actor=world.users["grid_a1"], to_unit=world.department)
    elsewhere = _wage(world, grid=world.grid_b1, reporter="resident_b")
    fresh = _wage(world)
    html = _hints(login(world.users["town_a"]), [moved.pk, elsewhere.pk, fresh.pk]).content.decode()
    assert f"lx-triage-row-{fresh.pk}" in html
    assert f"lx-triage-row-{moved.pk}" not in html  # already dispatched once
    assert f"lx-triage-row-{elsewhere.pk}" not in html  # town B's
    html = _hints(login(world.users["town_b"]), [fresh.pk]).content.decode()
    assert "lx-triage-row" not in html


def test_without_a_model_the_rows_stay_empty(world, login):
    case = _wage(world)
    r = _hints(login(world.users["grid_a1"]), [case.pk])
    assert r.status_code == 200 and "lx-triage-row" not in r.content.decode()


def test_the_batch_is_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    trained(world)
    c = login(world.users["county_admin"])
    few = [_wage(world).pk for _i in range(3)]
    _hints(c, few)  # the model loaded once
    with django_assert_max_num_queries(15) as ctx3:
        _hints(c, few)
    many = few + [make_case(world, title=f"路灯坏了{i}").pk for i in range(15)]
    with django_assert_max_num_queries(15) as ctx18:
        html = _hints(c, many).content.decode()
    assert html.count('hx-swap-oob="true"') == 18
    assert len(ctx18.captured_queries) == len(ctx3.captured_queries)


def test_each_request_is_predicted_once_per_model(world, login, monkeypatch):
    trained(world)
    case = _wage(world)
    c = login(world.users["grid_a1"])
    seen: list[int] = []
    real = workbench.document

    def counting(text, place):
        seen.append(1)
        return real(text, place)

    monkeypatch.setattr(workbench, "document", counting)
    first = _hints(c, [case.pk]).content.decode()
    second = _hints(c, [case.pk]).content.decode()
    assert len(seen) == 1 and first == second
    from lianxin.triage import selectors
    from lianxin.triage.services import routing_model_train

    routing_model_train()  # a new model version: predicted again
    selectors._loaded.clear()
    _hints(c, [case.pk])
    assert len(seen) == 2


def test_the_workbench_query_count_is_unchanged_by_the_slot(
    world, login, django_assert_max_num_queries
):
    trained(world)
    c = login(world.users["county_admin"])
    for _i in range(3):
        _wage(world)
    c.get(reverse("cases:workbench"))
    with django_assert_max_num_queries(20) as ctx3:
        c.get(reverse("cases:workbench"))
    for _i in range(15):
        _wage(world)
    with django_assert_max_num_queries(20) as ctx18:
        page = c.get(reverse("cases:workbench")).content.decode()
    rows = page.count('data-testid="case-row"')
    assert rows == 20 and page.count('data-testid="triage-row"') == rows  # all dispatchable
    assert len(ctx18.captured_queries) == len(ctx3.captured_queries)


def test_the_confirmation_dispatches_to_the_suggested_unit(world, login):
    """What the dialog posts (one request, the suggested unit) dispatches it, and only then."""
    trained(world)
    case = _wage(world)
    c = login(world.users["grid_a1"])
    unit = re.findall(r'data-unit="(\d+)"', _hints(c, [case.pk]).content.decode())[0]
    r = c.post(
        reverse("cases:bulk_dispatch"),
        {"ids": [case.pk], "to_unit": unit, "next": reverse("cases:workbench")},
    )
    assert r.status_code == 302 and r["Location"] == reverse("cases:workbench")
    case = Case.objects.get(pk=case.pk)
    assert case.owner_unit == world.department and case.state == State.SUBMITTED
