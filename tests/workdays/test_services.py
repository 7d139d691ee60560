"""Changes to the calendar: validated, permitted to the county administrator only, audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.audit.models import AuditEvent
from lianxin.workdays import services as s
from lianxin.workdays.models import CalendarDay, CalendarYear, DayKind
from lianxin.workdays.selectors import recompute_pending_years


def _audits(action):
    return AuditEvent.objects.filter(action=action, target_type__startswith="workdays.")


def test_county_admin_adds_edits_deletes_a_day_each_audited(world):
    admin = world.users["county_admin"]
    day = s.calendar_day_create(
        actor=admin, day=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦"
    )
    year = CalendarYear.objects.get(year=2027)
    assert not year.is_complete and year.revision == 1
    created = _audits("create").get()
    assert created.actor == admin and created.extra["after"] == {
        "date": "2027-01-01",
        "kind": "holiday",
        "name": "元旦",
    }

    s.calendar_day_update(
        actor=admin, day=day, date_value=date(2027, 1, 2), kind=DayKind.HOLIDAY, name="元旦假期"
    )
    updated = _audits("update").get()
    assert (
        updated.extra["before"]["date"] == "2027-01-01"
        and updated.extra["after"]["name"] == "元旦假期"
    )

    s.calendar_day_delete(actor=admin, day=day)
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert _audits("delete").get().extra["before"]["date"] == "2027-01-02"
    assert CalendarYear.objects.get(year=2027).revision == 3


@pytest.mark.parametrize(
    "who", ["town_a", "village_a", "grid_a1", "supervisor", "dept", "resident_a"]
)
def test_only_the_county_admin_may_change_the_calendar(world, who):
    user = world.users[who]
    with pytest.raises(PermissionDenied):
        s.calendar_day_create(actor=user, day=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    with pytest.raises(PermissionDenied):
        s.calendar_year_complete(actor=user, year=2027)
    day = CalendarDay.objects.filter(date__year=2026).first()
    with pytest.raises(PermissionDenied):
        s.calendar_day_delete(actor=user, day=day)
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    assert not AuditEvent.objects.filter(target_type__startswith="workdays.").exists()


@pytest.mark.parametrize(
    ("day", "kind", "name", "message"),
    [
        (date(2027, 1, 4), DayKind.WORKDAY, "补班", "调休上班日应是周六或周日"),  # a Monday
        (date(2027, 1, 1), DayKind.HOLIDAY, "", "请填写名称"),
        (date(2027, 1, 1), DayKind.HOLIDAY, '=HYPERLINK("http://x")', "公式符号"),
        (date(2027, 1, 1), "other", "元旦", "放假"),
        (date(2026, 1, 1), DayKind.HOLIDAY, "元旦", "已录入"),  # seeded already
    ],
)
def test_bad_days_are_refused_in_chinese(world, day, kind, name, message):
    with pytest.raises(ValidationError) as exc:
        s.calendar_day_create(actor=world.users["county_admin"], day=day, kind=kind, name=name)
    assert message in " ".join(exc.value.messages)


def test_complete_needs_a_day_off_then_waits_for_the_worker_and_is_audited(world):
    admin = world.users["county_admin"]
    with pytest.raises(ValidationError, match="还没有录入任何放假日期"):
        s.calendar_year_complete(actor=admin, year=2027)
    s.calendar_day_create(actor=admin, day=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    year = s.calendar_year_complete(actor=admin, year=2027, reference="国办发明电〔2026〕1号")
    assert year.is_complete and year.completed_by == admin and year.recompute_pending
    assert recompute_pending_years() == {2027: year.revision}
    audit = AuditEvent.objects.get(action="update", target_type="workdays.calendaryear")
    assert "2027" in audit.reason and audit.extra["reference"] == "国办发明电〔2026〕1号"
    with pytest.raises(ValidationError, match="已确认"):
        s.calendar_year_complete(actor=admin, year=2027)


def test_recompute_done_keeps_a_year_that_changed_meanwhile_pending(world):
    admin = world.users["county_admin"]
    s.calendar_day_create(actor=admin, day=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    s.calendar_year_complete(actor=admin, year=2027)
    seen = recompute_pending_years()
    s.calendar_day_create(actor=admin, day=date(2027, 1, 2), kind=DayKind.HOLIDAY, name="元旦")
    assert s.recompute_done(years=seen) == 0
    assert recompute_pending_years()
    assert s.recompute_done(years=recompute_pending_years()) == 1
    assert recompute_pending_years() == {}


def test_reopen_needs_a_reason_and_is_audited(world):
    admin = world.users["county_admin"]
    with pytest.raises(ValidationError, match="理由"):
        s.calendar_year_reopen(actor=admin, year=2026, reason=" ")
    year = s.calendar_year_reopen(actor=admin, year=2026, reason="误确认")
    assert not year.is_complete
    assert (
        AuditEvent.objects.get(action="update", target_type="workdays.calendaryear").reason
        == "误确认"
    )
