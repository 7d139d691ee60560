"""A request's steps through the panel (cases/views/actions.py and ``case_action``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from lianxin.cases import services as s
from lianxin.cases.models import State
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def _act(c, case, action, data=None):
    r = c.post(
        reverse("cases:case_action", args=[case.pk, action]), data or {}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert 'data-testid="action-error"' not in body, body[body.find("action-error") :][:200]
    case.refresh_from_db()
    return body


def test_every_action_through_the_panel(world, login):
    from django.test import Client

    village, grid, town = Client(), Client(), Client()
    login(world.users["village_a"], village)
    login(world.users["grid_a1"], grid)
    login(world.users["town_a"], town)
    case = make_case(world, channel="staff", created_by=world.users["village_a"])
    _act(village, case, "note", {"note": "先电话联系"})
    _act(village, case, "dispatch", {"to_unit": world.grid_a2.pk, "note": "请网格处理"})
    assert case.owner_unit == world.grid_a2
    _act(village, case, "send_back", {"note": "派错网格"})
    assert case.owner_unit == world.village_a
    _act(village, case, "transfer", {"to_unit": world.grid_a1.pk, "note": "转一网格"})
    _act(grid, case, "escalate", {"note": "需社区协调"})
    assert case.owner_unit == world.village_a
    _act(village, case, "accept")
    _act(village, case, "start")
    _act(
        village,
        case,
        "extension_request",
        {
            "until": (case.resolve_due_at + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "note": "等配件",
        },
    )
    assert (
        "extension_decide"
        not in village.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    )
    _act(town, case, "extension_decide", {"approve": "1", "note": "同意"})
    assert case.extension_state == "approved"
    _act(village, case, "resolve", {"resolution": "已协调解决"})
    _act(village, case, "close")
    assert case.state == State.CLOSED
    _act(town, case, "reopen", {"note": "群众再次反映"})
    assert case.state == State.REOPENED
    other = make_case(world)
    _act(grid, other, "merge", {"into": case.code})
    assert other.state == State.MERGED
    third = make_case(world)
    _act(grid, third, "reject", {"note": "不属受理范围"})
    assert third.state == State.REJECTED


def test_action_error_is_shown_in_the_panel(world, login):
    case = make_case(world)
    c = login(world.users["grid_a1"])
    r = c.post(
        reverse("cases:case_action", args=[case.pk, "reject"]), {"note": ""}, HTTP_HX_REQUEST="true"
    )
    assert (
        'data-testid="action-error"' in r.content.decode() and "不予受理理由" in r.content.decode()
    )


# --- the table and its one dispatcher -------------------------------------------------------


def test_the_table_holds_every_step_the_panel_offers():
    from lianxin.cases.services.machine import ACTION_LABELS
    from lianxin.cases.views.actions import ACTIONS

    assert set(ACTIONS) == (set(ACTION_LABELS) - {"evaluate"}) | {"note"}


def _post(c, case, action, data=None, htmx=True):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return c.post(reverse("cases:case_action", args=[case.pk, action]), data or {}, **extra)


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("no_such_step", {}, "未知的操作。"),
        ("dispatch", {"to_unit": ""}, "请选择承办单位。"),
        ("transfer", {"to_unit": "999999", "note": "x"}, "请选择承办单位。"),
        ("merge", {"into": "NOSUCHCODE"}, "没有找到要合并到的诉求查询码。"),
        ("escalate", {"note": ""}, "请填写上报理由。"),
    ],
)
def test_a_refused_step_is_shown_in_the_panel(world, login, action, data, message):
    case = make_case(world)
    c = login(world.users["grid_a1"])
    r = _post(c, case, action, data)
    assert r.status_code == 200
    body = r.content.decode()
    assert 'data-testid="action-error"' in body and message in body


def test_extension_without_a_date_is_refused_in_the_panel(world, login):
    case = make_case(world)
    c = login(world.users["grid_a1"])
    _act(c, case, "accept")
    r = _post(c, case, "extension_request", {"until": "", "note": "等配件"})
    assert r.status_code == 200 and "请填写延期后的时限。" in r.content.decode()


def test_without_htmx_an_error_is_a_message_and_a_redirect(world, login):
    case = make_case(world)
    c = login(world.users["grid_a1"])
    r = _post(c, case, "reject", {"note": ""}, htmx=False)
    assert r.status_code == 302
    assert r["Location"] == reverse("cases:case_detail", args=[case.pk])
    page = c.get(r["Location"]).content.decode()
    assert "请填写不予受理理由。" in page


def test_a_step_the_actor_may_not_take_is_403(world, login):
    case = make_case(world)
    s.case_accept(case=case, actor=world.users["grid_a1"])
    c = login(world.users["village_a"])
    assert _post(c, case, "resolve", {"resolution": "已解决"}).status_code == 403
    case.refresh_from_db()
    assert case.state == State.ACCEPTED


def test_a_request_outside_the_scope_is_404(world, login):
    case = make_case(world)
    c = login(world.users["grid_b1"])
    assert _post(c, case, "accept").status_code == 404
