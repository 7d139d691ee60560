from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin.events import services
from lianxin.events.models import Event, EventKind, Registration
from tests.events.factories import make_event
from tests.volunteers.factories import make_team

pytestmark = pytest.mark.django_db


def test_staff_create_event_with_service_items(world, client, login):
    login(world.users["village_a"])
    start = timezone.localtime() + timedelta(days=3)
    r = client.post(
        reverse("events:event_new"),
        {
            "unit": world.village_a.pk,
            "kind": "service_day",
            "title": "十二月便民服务日",
            "place": "东关社区广场",
            "starts_at": start.strftime("%Y-%m-%dT09:00"),
            "ends_at": start.strftime("%Y-%m-%dT12:00"),
            "capacity": "",
            "audience": "all",
            "hours": "3",
            "service_items": "家电维修\n地毯清洗\n理发",
        },
    )
    event = Event.objects.get()
    assert r.status_code == 302, r.content.decode()[:2000]
    assert [i.name for i in event.service_items.all()] == ["家电维修", "地毯清洗", "理发"]
    body = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert "地毯清洗" in body and "门口签到二维码" in body


def test_event_form_rejects_end_before_start(world, client, login):
    login(world.users["village_a"])
    start = timezone.localtime() + timedelta(days=3)
    r = client.post(
        reverse("events:event_new"),
        {
            "unit": world.village_a.pk,
            "kind": "culture",
            "title": "村晚",
            "place": "广场",
            "starts_at": start.strftime("%Y-%m-%dT20:00"),
            "ends_at": start.strftime("%Y-%m-%dT19:00"),
            "audience": "all",
        },
    )
    assert r.status_code == 200 and "结束时间必须晚于开始时间" in r.content.decode()


def test_resident_signs_up_full_event_and_is_promoted(world, client, login):
    event = make_event(world, capacity=1)
    services.registration_create(actor=world.users["party_a"], event=event)
    login(world.users["resident_a"])
    assert "东关社区村晚" in client.get(reverse("events:event_list")).content.decode()
    r = client.post(reverse("events:event_register", args=[event.pk]), follow=True)
    assert "候补名单" in r.content.decode()
    first = Registration.objects.get(user=world.users["party_a"])
    login(world.users["party_a"])
    client.post(reverse("events:registration_cancel", args=[first.pk]))
    assert Registration.objects.get(user=world.users["resident_a"]).status == "confirmed"


def test_checkin_by_qr_token(world, client, login):
    event = make_event(world, capacity=5, starts_in=timedelta(minutes=10))
    login(world.users["village_a"])
    svg = client.get(reverse("events:event_qr", args=[event.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    token = services.checkin_token(event=event)
    login(world.users["resident_a"])
    r = client.post(reverse("events:checkin", args=[token]))
    assert "签到成功" in r.content.decode()
    assert Registration.objects.get(user=world.users["resident_a"]).checked_in_at is not None
    assert client.get(reverse("events:checkin", args=["forged"])).status_code == 400
    login(world.users["resident_b"])
    assert client.get(reverse("events:checkin", args=[token])).status_code == 404


def test_sign_in_sheet_masks_phones_and_is_audited(world, client, login):
    from lianxin.audit.models import AuditEvent

    event = make_event(world, capacity=5)
    services.registration_create(actor=world.users["party_a"], event=event)
    login(world.users["village_a"])
    r = client.get(reverse("events:event_sheet", args=[event.pk]))
    body = r.content.decode()
    assert (
        r.status_code == 200
        and "签到表" in body
        and "139****0003" in body
        and "13900000003" not in body
    )
    assert AuditEvent.objects.filter(action="export", target_id=str(event.pk)).exists()


def test_htmx_attendance_and_queue(world, client, login):
    event = make_event(world, kind=EventKind.SERVICE_DAY, capacity=5, service_items=["家电维修"])
    reg = services.registration_create(actor=world.users["party_a"], event=event)
    item = event.service_items.get()
    login(world.users["resident_a"])
    client.post(reverse("events:queue_take", args=[item.pk]))
    login(world.users["village_a"])
    r = client.post(reverse("events:attendance_mark", args=[reg.pk]), HTTP_HX_REQUEST="true")
    assert "✓" in r.content.decode()
    r = client.post(reverse("events:queue_next", args=[item.pk]), HTTP_HX_REQUEST="true")
    assert "叫到 1 号" in r.content.decode()


def test_ics_feeds(world, client, login):
    event = make_event(world, capacity=5)
    services.registration_create(actor=world.users["party_a"], event=event)
    r = client.get(reverse("events:unit_ics", args=[world.village_a.code]))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in r.content.decode() and "东关社区村晚" in r.content.decode()
    login(world.users["party_a"])
    assert "东关社区村晚" in client.get(reverse("events:my_ics")).content.decode()


def test_ics_feed_skips_inactive_units(world, client):
    from lianxin.org.models import Unit

    make_event(world, title="东关社区村晚")
    url = reverse("events:unit_ics", args=[world.village_a.code])
    assert "东关社区村晚" in client.get(url).content.decode()
    Unit.objects.filter(pk=world.village_a.pk).update(is_active=False)
    assert client.get(url).status_code == 404
    # Nor does a closed village's event leak through the town's feed.
    town = client.get(reverse("events:unit_ics", args=[world.town_a.code]))
    assert town.status_code == 200 and "东关社区村晚" not in town.content.decode()


@pytest.mark.parametrize(
    "name", ["events:event_list", "volunteers:team_list", "volunteers:ranking"]
)
def test_list_query_count_is_flat(world, client, login, name):
    from lianxin.wishes.models import Wish  # noqa: F401

    login(world.users["village_a"])
    make_event(world, capacity=3, title="活动一")
    make_team(world, name="队一")

    def count():
        client.get(reverse(name))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(5):
        e = make_event(world, capacity=3, title=f"活动{i + 2}")
        services.registration_create(actor=world.users["party_a"], event=e)
        make_team(world, name=f"队{i + 2}")
    assert count() == few


def test_resident_sees_village_and_town_events_not_other_towns(world, client, login):
    make_event(world, title="东关社区村晚")
    make_event(world, title="城关镇社火表演", unit=world.town_a, actor=world.users["town_a"])
    make_event(world, title="张家村书画班", unit=world.village_b, actor=world.users["village_b"])
    login(world.users["resident_a"])
    body = client.get(reverse("events:event_list")).content.decode()
    assert "东关社区村晚" in body and "城关镇社火表演" in body and "张家村书画班" not in body


def test_village_secretary_attends_county_training(world, client, login):
    from lianxin.org.models import Role

    prog = services.programme_create(
        actor=world.users["county_admin"],
        unit=world.county,
        title="村（社区）党组织书记轮训",
        year=2026,
        required_role=Role.VILLAGE_STAFF,
    )
    event = make_event(
        world,
        kind=EventKind.TRAINING,
        programme=prog,
        unit=world.county,
        actor=world.users["county_admin"],
        title="专题讲座",
        starts_in=timedelta(minutes=5),
    )
    login(world.users["village_a"])
    assert "专题讲座" in client.get(reverse("events:event_list")).content.decode()
    r = client.post(reverse("events:checkin", args=[services.checkin_token(event=event)]))
    assert "签到成功" in r.content.decode()
    # but may not manage it
    assert client.get(reverse("events:event_sheet", args=[event.pk])).status_code == 404
    from lianxin.events.selectors import programme_coverage

    cov = programme_coverage(programme=prog)
    assert cov["required"] == 2 and cov["attended"] == 1


def test_coverage_export_is_xlsx_masked_and_audited(world, client, login):
    import io

    from openpyxl import load_workbook

    from lianxin.audit.models import AuditEvent
    from tests.events.factories import make_programme

    prog = make_programme(world)
    login(world.users["town_a"])
    r = client.get(reverse("events:programme_export", args=[prog.pk]))
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    rows = list(wb.worksheets[1].iter_rows(values_only=True))
    assert rows[2][0] == "甲党员" and rows[2][2] == "139****0003"  # row 1: title, row 2: header
    assert AuditEvent.objects.filter(
        action="export", target_type="events.trainingprogramme"
    ).exists()


def test_edit_event_form(world, client, login):
    event = make_event(world, capacity=1)
    services.registration_create(actor=world.users["party_a"], event=event)
    services.registration_create(actor=world.users["resident_a"], event=event)
    login(world.users["village_a"])
    page = client.get(reverse("events:event_edit", args=[event.pk]))
    assert page.status_code == 200 and "东关社区村晚" in page.content.decode()
    start = timezone.localtime(event.starts_at)
    r = client.post(
        reverse("events:event_edit", args=[event.pk]),
        {
            "title": "东关社区村晚（加场）",
            "place": "广场",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "5",
        },
        follow=True,
    )
    assert "候补递补 1 人" in r.content.decode()
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2


def test_resident_told_party_day_is_for_members(world, client, login):
    from lianxin.events.models import Audience

    event = make_event(
        world, kind=EventKind.PARTY_DAY, audience=Audience.PARTY_MEMBERS, title="主题党日"
    )
    login(world.users["resident_a"])
    r = client.post(reverse("events:event_register", args=[event.pk]), follow=True)
    assert r.status_code == 200 and "该活动不面向您所在的群体" in r.content.decode()
    assert not Registration.objects.exists()


def test_programme_form_with_listed_people(world, client, login):
    from lianxin.events.models import TrainingProgramme

    login(world.users["town_a"])
    r = client.post(
        reverse("events:programme_new"),
        {
            "unit": world.town_a.pk,
            "title": "网格员轮训",
            "year": 2026,
            "required_role": "",
            "required_people": "grid_a1\ngrid_b1",
        },
    )
    assert (
        r.status_code == 200
        and "grid_b1" in r.content.decode()
        and not TrainingProgramme.objects.exists()
    )
    r = client.post(
        reverse("events:programme_new"),
        {
            "unit": world.town_a.pk,
            "title": "网格员轮训",
            "year": 2026,
            "required_role": "",
            "required_people": "grid_a1",
        },
    )
    prog = TrainingProgramme.objects.get()
    assert r.status_code == 302 and list(prog.required_users.all()) == [world.users["grid_a1"]]


def test_event_form_shows_the_start_before_yesterday_message(world, client, login):
    login(world.users["village_a"])
    start = timezone.localtime() - timedelta(days=3)
    r = client.post(
        reverse("events:event_new"),
        {
            "unit": world.village_a.pk,
            "kind": "culture",
            "title": "村晚",
            "place": "广场",
            "starts_at": start.strftime("%Y-%m-%dT19:00"),
            "ends_at": start.strftime("%Y-%m-%dT21:00"),
            "audience": "all",
        },
    )
    assert r.status_code == 200 and "开始时间不能早于昨天" in r.content.decode()
    assert not Event.objects.exists()
