"""我也遇到 at intake and one-click merge: transactional, audited, reporters kept and told."""

from __future__ import annotations

import pytest

from lianxin.audit.models import AuditEvent
from lianxin.cases import services as cases
from lianxin.cases.models import Case, CoReporter, CoReporterSource, EventKind, Rating, State
from lianxin.notifications.models import Notification
from lianxin.triage import selectors, services
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db

LAT, LNG = 34.715, 104.885  # inside grid_a1
TEXT = "人民路的路灯坏了好几天，晚上很黑"


def _light(world, **kw):
    return make_case(
        world, title="路灯不亮", description="人民路路灯坏了一个星期，晚上黑乎乎的", **kw
    )


def test_nearby_recent_similar_requests_are_duplicates(world, settings):
    settings.LIANXIN_TRIAGE_DUPLICATE_METRES = 300
    near = _light(world, lat=LAT, lng=LNG)
    far = _light(world, lat=LAT + 0.01, lng=LNG)  # ~1.1 km away
    other = make_case(world, title="工资拖欠", description="老板拖欠工资", lat=LAT, lng=LNG)
    found = selectors.duplicates(text=TEXT, grid=world.grid_a1, lat=LAT, lng=LNG)
    assert [d.case for d in found] == [near]
    assert found[0].metres is not None and found[0].metres < 50
    assert far not in [d.case for d in found] and other not in [d.case for d in found]
    # without a point: the same grid
    assert near in [d.case for d in selectors.duplicates(text=TEXT, grid=world.grid_a1)]


def test_old_or_closed_requests_are_not_duplicates(world, settings, clock):
    settings.LIANXIN_TRIAGE_DUPLICATE_DAYS = 7
    old = _light(world, lat=LAT, lng=LNG)
    rejected = _light(world, lat=LAT, lng=LNG)
    cases.case_reject(case=rejected, actor=world.users["grid_a1"], reason="不属于受理范围")
    from datetime import timedelta

    clock.shift(timedelta(days=8))
    assert selectors.duplicates(text=TEXT, grid=world.grid_a1, lat=LAT, lng=LNG) == []
    assert old.pk  # still there, just too old


def test_staff_see_only_duplicates_they_may_see(world):
    mine = _light(world, grid=world.grid_a1)
    assert selectors.duplicates(text=TEXT, grid=world.grid_a1, user=world.users["town_b"]) == []
    found = selectors.duplicates(text=TEXT, grid=world.grid_a1, user=world.users["town_a"])
    assert [d.case for d in found] == [mine]


def test_me_too_attaches_a_co_reporter_once(world):
    case = _light(world)
    row, created = services.duplicate_attach(case=case, name="李四", phone="13911112222")
    assert created and row.source == CoReporterSource.ATTACH
    again, created = services.duplicate_attach(case=case, name="李四", phone="139 1111 2222")
    assert not created and again.pk == row.pk
    assert case.events.filter(kind=EventKind.CO_REPORT).count() == 1
    event = case.events.get(kind=EventKind.CO_REPORT)
    assert "13911112222" not in event.note and "李四" not in event.note  # the timeline is public
    assert AuditEvent.objects.filter(action="cases.co_report", target_id=str(case.pk)).exists()
    with pytest.raises(cases.CaseError):  # the reporter themself
        services.duplicate_attach(case=case, name="x", phone=case.reporter_phone)


def test_a_closed_request_takes_no_co_reporter(world):
    case = _light(world)
    cases.case_reject(case=case, actor=world.users["grid_a1"], reason="不属于受理范围")
    with pytest.raises(cases.CaseError):
        services.duplicate_attach(case=case, name="李四", phone="13911112222")
    assert not CoReporter.objects.exists()


def test_a_co_reporter_is_told_the_outcome_and_may_rate_it(world):
    case = _light(world, reporter="resident_b")
    services.duplicate_attach(
        case=case, name="甲", phone="13911112222", user=world.users["resident_a"]
    )
    services.duplicate_attach(case=case, name="乙", phone="13933334444")
    grid = world.users["grid_a1"]
    cases.case_accept(case=case, actor=grid)
    case.refresh_from_db()
    cases.case_resolve(case=case, actor=grid, resolution="已更换灯泡")
    assert Notification.objects.filter(
        recipient=world.users["resident_a"], title__contains="已办结"
    ).exists()
    case.refresh_from_db()
    assert cases.may_evaluate(case, user=world.users["resident_a"])
    assert cases.may_evaluate(case, phone="13933334444")
    assert not cases.may_evaluate(case, phone="13955556666")
    cases.case_evaluate(case=case, rating=Rating.SATISFIED, phone="13933334444")
    case.refresh_from_db()
    assert case.state == State.CLOSED


def test_merge_keeps_the_reporters_and_tells_them(world):
    into = _light(world, reporter="resident_b")
    dup = _light(world, reporter="resident_a")
    services.duplicate_attach(case=dup, name="丙", phone="13977778888")
    merged = services.duplicate_merge(actor=world.users["grid_a1"], case=dup, into=into)
    assert merged.state == State.MERGED and merged.merged_into == into
    kept = {(c.phone, c.source) for c in into.co_reporters.all()}
    assert kept == {
        (world.users["resident_a"].phone, CoReporterSource.MERGE),
        ("13977778888", CoReporterSource.MERGE),
    }
    assert Notification.objects.filter(
        recipient=world.users["resident_a"], url__contains=into.code
    ).exists()
    assert AuditEvent.objects.filter(action="triage.merge", target_id=str(dup.pk)).exists()


def test_a_refused_merge_writes_nothing(world):
    into = _light(world)
    dup = _light(world, reporter="resident_b")
    cases.case_reject(case=into, actor=world.users["grid_a1"], reason="不属于受理范围")
    with pytest.raises(cases.CaseError):
        services.duplicate_merge(actor=world.users["grid_a1"], case=dup, into=into)
    dup.refresh_from_db()
    assert dup.state == State.SUBMITTED
    assert not CoReporter.objects.exists()
    assert not AuditEvent.objects.filter(action="triage.merge").exists()


def test_only_who_may_handle_it_merges(world):
    into, dup = _light(world), _light(world, reporter="resident_b")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.duplicate_merge(actor=world.users["town_b"], case=dup, into=into)
    assert Case.objects.get(pk=dup.pk).state == State.SUBMITTED


def test_a_joined_request_is_in_the_resident_s_list(world, client, login):
    case = _light(world, reporter="resident_b")
    services.duplicate_attach(
        case=case, name="甲", phone="13911112222", user=world.users["resident_a"]
    )
    from lianxin.cases.selectors import resident_cases

    assert list(resident_cases(user=world.users["resident_a"])) == [case]
    login(world.users["resident_a"])
    assert case.title in client.get("/cases/mine/").content.decode()
