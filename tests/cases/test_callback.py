"""回访: the handler (or the level above) calls the reporter back about a resolved request.

The service (permissions, states, validation, audit rows, the internal timeline event) on the
test clock, the 回访满意率 computed against the raw call-back rows (the latest reached call per
request, charged to the resolving unit, never mixed into the resident's 满意率), and the views
(the detail card, its empty state, Chinese refusals, no 500 on bad input)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.cases import rates
from lianxin.cases import services as s
from lianxin.cases.models import CallBack, CaseEvent, EventKind, State
from lianxin.cases.services.callback import case_callback_record, may_record_callback
from tests.cases.factories import make_case
from tests.clock import SHANGHAI

pytestmark = pytest.mark.django_db
AT = datetime(2026, 11, 18, 15, 0, tzinfo=SHANGHAI)

OWN = {"grid_a1"}
ABOVE = {"village_a", "town_a", "county_admin", "supervisor"}


def _resolved(world, handler="grid_a1", **kw):
    case = make_case(world, **kw)
    s.case_accept(case=case, actor=world.users[handler])
    return s.case_resolve(case=case, actor=world.users[handler], resolution="已更换灯泡")


@pytest.fixture
def resolved(world):
    return _resolved(world)


# --- the service --------------------------------------------------------------------------------


def test_record_reached_call_back_is_audited_and_on_the_internal_timeline(world, resolved):
    cb = case_callback_record(
        case=resolved,
        actor=world.users["town_a"],
        reached=True,
        satisfied="basic",
        notes="  群众表示灯已经亮了  ",
        now=AT,
    )
    assert (cb.reached, cb.satisfied, cb.notes, cb.at) == (True, "basic", "群众表示灯已经亮了", AT)
    assert cb.unit == world.grid_a1 and cb.handler == world.users["grid_a1"]  # the resolver
    assert cb.by == world.users["town_a"]
    row = AuditEvent.objects.get(action=AuditAction.CREATE, target_type="cases.callback")
    assert row.actor == world.users["town_a"] and row.target_repr == resolved.code
    assert row.extra == {"case": resolved.pk, "reached": True, "satisfied": "basic"}
    ev = CaseEvent.objects.get(case=resolved, kind=EventKind.CALLBACK)
    assert ev.is_public is False and "基本满意" in ev.note and ev.created_at == AT


def test_not_reached_drops_the_satisfaction(world, resolved):
    cb = case_callback_record(
        case=resolved, actor=world.users["grid_a1"], reached=False, satisfied="satisfied", now=AT
    )
    assert cb.reached is False and cb.satisfied == ""
    assert "未接通" in CaseEvent.objects.get(case=resolved, kind=EventKind.CALLBACK).note


@pytest.mark.parametrize("satisfied", ["", "great", None])
def test_reached_needs_a_satisfaction(world, resolved, satisfied):
    with pytest.raises(s.CaseError, match="已接通的回访请选择"):
        case_callback_record(
            case=resolved, actor=world.users["grid_a1"], reached=True, satisfied=satisfied
        )
    assert (
        not CallBack.objects.exists()
        and not AuditEvent.objects.filter(target_type="cases.callback").exists()
    )


def test_notes_are_capped(world, resolved):
    with pytest.raises(s.CaseError, match="1000"):
        case_callback_record(
            case=resolved, actor=world.users["grid_a1"], reached=False, notes="长" * 1001
        )


def test_only_resolved_or_closed_requests(world):
    case = make_case(world)
    s.case_accept(case=case, actor=world.users["grid_a1"])
    with pytest.raises(s.CaseError, match="只能回访已办结或已关闭的诉求"):
        case_callback_record(case=case, actor=world.users["grid_a1"], reached=False)
    closed = _resolved(world)
    s.case_close(case=closed, actor=world.users["grid_a1"])
    assert case_callback_record(case=closed, actor=world.users["grid_a1"], reached=False)


def test_who_may_call_back(world, resolved):
    allowed = {n for n, u in world.users.items() if u.has_perm("cases.record_callback", resolved)}
    assert allowed == OWN | ABOVE
    assert {n for n, u in world.users.items() if may_record_callback(u, resolved)} == OWN | ABOVE
    for name in ("town_b", "village_b", "grid_b1", "dept", "resident_a"):
        with pytest.raises(PermissionDenied):
            case_callback_record(case=resolved, actor=world.users[name], reached=False)
    assert not CallBack.objects.exists()


def test_the_named_permission_needs_a_request(world):
    assert not any(u.has_perm("cases.record_callback") for u in world.users.values())


# --- 回访满意率 against the raw rows --------------------------------------------------------------


def _raw_rate(user, month: str = ""):
    """The definition itself: per request the latest reached call; 满意+基本满意 over them."""
    from lianxin.cases.models import Case

    visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
    latest: dict[int, CallBack] = {}
    for cb in CallBack.objects.filter(reached=True).order_by("at", "id"):
        counted = cb.case_id in visible and cb.case.state not in (State.MERGED, State.REJECTED)
        in_month = not month or f"{cb.case.created_at.astimezone(SHANGHAI):%Y-%m}" == month
        if counted and in_month:
            latest[cb.case_id] = cb
    good = sum(1 for cb in latest.values() if cb.satisfied in ("satisfied", "basic"))
    return len(latest), good


def _this_month() -> str:
    """The month the requests are made in: the test clock's (the 1st of a month in CI too)."""
    return f"{timezone.localdate():%Y-%m}"


def _last_month() -> str:
    return f"{timezone.localdate().replace(day=1) - timedelta(days=1):%Y-%m}"


def test_callback_rate_counts_the_latest_reached_call_per_request(world):
    a, b, c, d = (_resolved(world) for _ in range(4))
    town = world.users["town_a"]
    month = _this_month()
    t = timezone.now() + timedelta(minutes=5)  # after the resolution, same month
    # a: unsatisfied, then reached again satisfied -> satisfied counts once
    case_callback_record(case=a, actor=town, reached=True, satisfied="unsatisfied", now=t)
    case_callback_record(
        case=a, actor=town, reached=True, satisfied="satisfied", now=t + timedelta(hours=1)
    )
    # b: satisfied, then a later call not reached -> still the reached one
    case_callback_record(case=b, actor=town, reached=True, satisfied="basic", now=t)
    case_callback_record(case=b, actor=town, reached=False, now=t + timedelta(hours=2))
    # c: reached, unsatisfied
    case_callback_record(case=c, actor=town, reached=True, satisfied="unsatisfied", now=t)
    # d: never reached -> not counted at all
    case_callback_record(case=d, actor=town, reached=False, now=t)
    assert _raw_rate(town) == (3, 2)
    total = rates.rates_total(user=town, month=month)
    assert (total.callback_reached, total.callback_satisfied) == _raw_rate(town, month)
    assert total.callback_rate == pytest.approx(2 / 3)
    # the resident's own 满意率 is untouched by the calls (nobody rated yet)
    assert total.rated == 0 and total.satisfaction_rate is None
    by_unit = {r.key: r for r in rates.rates_by(user=town, dimension="unit", month=month)}
    assert (
        by_unit[world.grid_a1.pk].callback_reached,
        by_unit[world.grid_a1.pk].callback_satisfied,
    ) == (3, 2)
    by_handler = {r.key: r for r in rates.rates_by(user=town, dimension="handler", month=month)}
    assert by_handler[world.users["grid_a1"].pk].callback_reached == 3
    by_cat = rates.rates_by(user=town, dimension="category", month=month)
    assert sum(r.callback_reached for r in by_cat) == 3
    by_month = rates.rates_by(user=town, dimension="month")
    assert [(r.label, r.callback_reached, r.callback_satisfied) for r in by_month] == [
        (month, 3, 2)
    ]


def test_callback_rate_is_scoped_and_kept_apart_from_the_rating(world):
    month = _this_month()
    a = _resolved(world)
    b = _resolved(world, handler="grid_b1", grid=world.grid_b1, reporter="resident_b")
    s.case_evaluate(case=a, rating="unsatisfied", user=world.users["resident_a"])
    case_callback_record(case=b, actor=world.users["town_b"], reached=True, satisfied="satisfied")
    town_a = rates.rates_total(user=world.users["town_a"], month=month)
    assert (town_a.callback_reached, town_a.callback_satisfied) == (0, 0)
    assert town_a.callback_rate is None and town_a.satisfaction_rate == 0.0
    town_b = rates.rates_total(user=world.users["town_b"], month=month)
    assert (town_b.callback_reached, town_b.callback_satisfied) == (1, 1)
    assert town_b.rated == 0 and town_b.satisfaction_rate is None
    county = rates.rates_total(user=world.users["county_admin"], month=month)
    assert (
        (county.callback_reached, county.callback_satisfied)
        == _raw_rate(world.users["county_admin"], month)
        == (1, 1)
    )
    # another month has none
    assert (
        rates.rates_total(user=world.users["county_admin"], month=_last_month()).callback_reached
        == 0
    )


def test_rates_page_shows_the_callback_column(world, login, resolved):
    case_callback_record(
        case=resolved, actor=world.users["grid_a1"], reached=True, satisfied="satisfied"
    )
    body = (
        login(world.users["town_a"])
        .get(reverse("cases:rates") + f"?month={_this_month()}")
        .content.decode()
    )
    assert "回访满意率" in body and 'data-testid="callback-definition"' in body
    assert 'data-testid="callback-rate" title="1/1"' in body


# --- views --------------------------------------------------------------------------------------


def _post(client, case, data, htmx=False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("cases:callback_record", args=[case.pk]), data, **headers)


def test_detail_shows_the_callback_card_with_its_empty_state(world, login, resolved):
    body = (
        login(world.users["grid_a1"])
        .get(reverse("cases:case_detail", args=[resolved.pk]))
        .content.decode()
    )
    assert 'data-testid="callback-form"' in body and "还没有回访记录。" in body
    assert "查看完整号码" in body  # the reveal with a reason, for the call


def test_detail_of_an_open_request_has_no_callback_card(world, login):
    case = make_case(world)
    body = (
        login(world.users["grid_a1"])
        .get(reverse("cases:case_detail", args=[case.pk]))
        .content.decode()
    )
    assert 'data-testid="callbacks"' not in body


def test_record_through_the_form(world, login, resolved):
    c = login(world.users["village_a"])
    resp = _post(
        c, resolved, {"reached": "1", "satisfied": "satisfied", "notes": "很满意"}, htmx=True
    )
    assert resp.status_code == 200
    body = resp.content.decode()
    assert 'data-testid="callback-row"' in body and "很满意" in body and "满意" in body
    resp = _post(c, resolved, {"reached": "0"})
    assert resp.status_code == 302
    assert CallBack.objects.filter(case=resolved).count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请选择是否接通。"),
        ({"reached": "1"}, "已接通的回访请选择"),
        ({"reached": "2"}, "请检查回访信息"),
        ({"reached": "1", "satisfied": "<script>"}, "请检查回访信息"),
        ({"reached": "0", "notes": "长" * 1001}, "请检查回访信息"),
    ],
)
def test_bad_input_is_a_chinese_message_never_a_500(world, login, resolved, data, message):
    resp = _post(login(world.users["grid_a1"]), resolved, data, htmx=True)
    assert resp.status_code == 422
    assert message in resp.content.decode()
    assert not CallBack.objects.exists()


def test_open_request_refused_with_message(world, login):
    case = make_case(world)
    s.case_accept(case=case, actor=world.users["grid_a1"])
    resp = _post(login(world.users["grid_a1"]), case, {"reached": "0"}, htmx=True)
    assert resp.status_code == 422 and "只能回访已办结或已关闭的诉求" in resp.content.decode()


@pytest.mark.parametrize(("who", "status"), [("town_b", 404), ("dept", 404), ("resident_a", 403)])
def test_outside_the_line_cannot_post(world, login, resolved, who, status):
    assert _post(login(world.users[who]), resolved, {"reached": "0"}).status_code == status
    assert not CallBack.objects.exists()
