"""The calendar screen, its permissions, and the banner from 1 November."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.audit.models import AuditEvent
from lianxin.workdays.models import CalendarDay, CalendarYear, DayKind
from lianxin.workdays.services import calendar_day_create, calendar_year_complete
from tests.workdays.helpers import NOTICE_2027, xlsx

TZ = ZoneInfo("Asia/Shanghai")
NOV_1 = datetime(2026, 11, 1, 8, 0, tzinfo=TZ)
OCT_31 = datetime(2026, 10, 31, 20, 0, tzinfo=TZ)


def test_county_admin_lists_adds_edits_deletes_and_completes(world, client, login):
    login(world.users["county_admin"])
    with time_machine.travel(NOV_1, tick=False):
        page = client.get(reverse("workdays:calendar")).content.decode()
        assert "2027 年节假日安排" in page and "尚未确认" in page  # opens on next year from 1 Nov
        r = client.post(
            reverse("workdays:day_create"),
            {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
        )
        assert r.status_code == 302 and r["Location"].endswith("?year=2027")
        day = CalendarDay.objects.get(date=date(2027, 1, 1))
        r = client.post(
            reverse("workdays:day_edit", args=[day.pk]),
            {"date": "2027-01-01", "kind": "holiday", "name": "元旦节"},
        )
        assert r.status_code == 302
        day.refresh_from_db()
        assert day.name == "元旦节"
        page = client.get(reverse("workdays:calendar") + "?year=2027").content.decode()
        assert "元旦节" in page
        r = client.post(reverse("workdays:year_complete", args=[2027]), {"reference": "国办通知"})
        assert r.status_code == 302
        assert CalendarYear.objects.get(year=2027).is_complete
        extra = CalendarDay.objects.create(
            year=day.year, date=date(2027, 1, 2), kind=DayKind.HOLIDAY, name="x"
        )
        assert client.post(reverse("workdays:day_delete", args=[extra.pk])).status_code == 302
        assert not CalendarDay.objects.filter(pk=extra.pk).exists()
    assert set(
        AuditEvent.objects.filter(target_type__startswith="workdays.").values_list(
            "action", flat=True
        )
    ) == {
        "create",
        "update",
        "delete",
    }


def test_bad_input_is_shown_on_the_form_not_a_500(world, client, login):
    login(world.users["county_admin"])
    r = client.post(
        reverse("workdays:day_create"), {"date": "2027-01-04", "kind": "workday", "name": "补班"}
    )
    assert r.status_code == 200 and "周六或周日" in r.content.decode()
    r = client.post(
        reverse("workdays:day_create"), {"date": "not-a-date", "kind": "holiday", "name": "x"}
    )
    assert r.status_code == 200
    assert client.get(reverse("workdays:calendar") + "?year=abc").status_code == 200
    assert client.get(reverse("workdays:calendar") + "?year=99999").status_code == 200
    r = client.post(reverse("workdays:year_complete", args=[2031]))
    assert r.status_code == 302  # refused with a message: nothing entered for 2031
    assert not CalendarYear.objects.filter(year=2031, is_complete=True).exists()


def test_town_admin_sees_the_calendar_but_cannot_change_it(world, client, login):
    login(world.users["town_a"])
    page = client.get(reverse("workdays:calendar") + "?year=2026")
    assert page.status_code == 200 and "元旦" in page.content.decode()
    assert 'data-testid="year-complete"' not in page.content.decode()
    day = CalendarDay.objects.filter(date__year=2026).first()
    assert client.get(reverse("workdays:day_create")).status_code == 403
    assert (
        client.post(
            reverse("workdays:day_create"),
            {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("workdays:day_edit", args=[day.pk]),
            {"date": "2026-01-01", "kind": "holiday", "name": "改"},
        ).status_code
        == 403
    )
    assert client.post(reverse("workdays:day_delete", args=[day.pk])).status_code == 403
    assert (
        client.post(reverse("workdays:year_reopen", args=[2026]), {"reason": "x"}).status_code
        == 403
    )
    assert (
        client.post(
            reverse("workdays:import"), {"file": SimpleUploadedFile("a.xlsx", xlsx(NOTICE_2027))}
        ).status_code
        == 403
    )
    assert CalendarDay.objects.filter(pk=day.pk, name=day.name).exists()
    assert CalendarYear.objects.get(year=2026).is_complete
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_import_page_dry_run_then_import(world, client, login):
    login(world.users["county_admin"])
    upload = lambda: SimpleUploadedFile("2027.xlsx", xlsx(NOTICE_2027))  # noqa: E731
    r = client.post(reverse("workdays:import"), {"file": upload(), "dry_run": "on"})
    body = r.content.decode()
    assert "试导入（未写入）" in body and "新增 7" in body
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    r = client.post(reverse("workdays:import"), {"file": upload(), "complete": "on"})
    assert "已导入" in r.content.decode()
    assert CalendarYear.objects.get(year=2027).is_complete
    r = client.post(reverse("workdays:import"), {"file": SimpleUploadedFile("x.xlsx", b"garbage")})
    assert r.status_code == 200 and "无法读取" in r.content.decode()
    bad = xlsx([("2027-02-30", "放假", "春节")])
    r = client.post(reverse("workdays:import"), {"file": SimpleUploadedFile("b.xlsx", bad)})
    body = r.content.decode()
    assert "有错误，未写入" in body and "不存在" in body


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("county_admin", True),
        ("town_a", True),
        ("village_a", False),
        ("grid_a1", False),
        ("resident_a", False),
    ],
)
def test_banner_from_1_november_for_county_and_town_admins(world, client, login, who, shown):
    url = reverse("core:home")
    with time_machine.travel(OCT_31, tick=False):
        login(world.users[who])
        assert 'data-testid="workdays-banner"' not in client.get(url).content.decode()
    with time_machine.travel(NOV_1, tick=False):
        login(world.users[who])
        body = client.get(url).content.decode()
        assert ('data-testid="workdays-banner"' in body) == shown
        if shown:
            assert "2027 年节假日安排尚未录入" in body


def test_banner_links_the_county_admin_to_the_screen_and_goes_once_the_year_is_complete(
    world, client, login
):
    admin = world.users["county_admin"]
    login(admin)
    with time_machine.travel(NOV_1, tick=False):
        body = client.get(reverse("cases:workbench")).content.decode()
        assert reverse("workdays:calendar") + "?year=2027" in body
        calendar_day_create(actor=admin, day=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
        body = client.get(reverse("cases:workbench")).content.decode()
        assert 'data-testid="workdays-banner"' in body  # entered is not complete
        calendar_year_complete(actor=admin, year=2027)
        assert (
            'data-testid="workdays-banner"'
            not in client.get(reverse("cases:workbench")).content.decode()
        )


def test_banner_check_costs_the_same_queries_cold_or_warm_and_none_once_complete(
    world, client, login
):
    admin = world.users["county_admin"]
    login(admin)
    url = reverse("core:home")
    with time_machine.travel(NOV_1, tick=False):
        client.get(url)
        with CaptureQueriesContext(connection) as first:
            client.get(url)
        with CaptureQueriesContext(connection) as second:
            client.get(url)
        assert len(first.captured_queries) == len(second.captured_queries)
        calendar_day_create(actor=admin, day=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
        calendar_year_complete(actor=admin, year=2027)
        client.get(url)  # the answer "complete" is cached from here on
        with CaptureQueriesContext(connection) as cached:
            client.get(url)
        year_queries = [q for q in cached.captured_queries if "workdays_calendaryear" in q["sql"]]
        assert year_queries == []
