"""Pages of the 阵地 module: who may open them, what they show, and how many queries they take."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from lianxin.audit.models import AuditEvent
from lianxin.org.models import UnitKind
from lianxin.org.services import unit_create
from lianxin.venues import services
from lianxin.venues.models import DutyShift, SurveyResponse, Venue
from tests.rooms import factories as rooms_f
from tests.venues import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("county_admin", 200),
        ("town_a", 200),
        ("village_a", 200),
        ("grid_a1", 200),
        ("resident_a", 403),
        ("party_a", 403),
    ],
)
def test_archive_page_permission_by_role(world, client, login, user, status):
    login(world.users[user])
    assert client.get(reverse("venues:venue_list")).status_code == status


@pytest.mark.parametrize(
    ("user", "name", "status"),
    [
        ("town_a", "venues:venue_import", 403),
        ("county_admin", "venues:venue_import", 200),
        ("village_a", "venues:venue_export", 403),
        ("town_a", "venues:venue_export", 200),
        ("village_a", "venues:campaign_create", 403),
        ("county_admin", "venues:campaign_create", 200),
        ("resident_a", "rooms:room_list", 200),
        ("resident_a", "rooms:booking_manage", 403),
        ("village_a", "rooms:booking_manage", 200),
        ("grid_a1", "venues:plan_list", 200),
        ("resident_a", "venues:plan_list", 403),
    ],
)
def test_named_permissions(world, client, login, user, name, status):
    login(world.users[user])
    assert client.get(reverse(name)).status_code == status


def test_archive_shows_share_and_town_rollup(world, client, login):
    f.venue_a(world)
    login(world.users["county_admin"])
    html = client.get(reverse("venues:venue_list")).content.decode()
    assert "60.0%" in html  # 150 / 250
    assert "城关镇" in html


def _more_venues(world, n):
    for i in range(n):
        unit = unit_create(
            code=f"62052410010{i}",
            name=f"新村{i}",
            kind=UnitKind.VILLAGE,
            parent=world.town_a,
            division_code=f"62052410010{i}",
        )
        venue = f.venue_for(unit, office_area=Decimal(50 + i))
        f.hazard_for(venue, f"隐患{i}")
        rooms_f.room_for(venue)
        f.plan_for(venue, year=2025 + i % 2)


@pytest.mark.parametrize("name", ["venues:venue_list", "venues:plan_list", "rooms:usage"])
def test_county_pages_take_a_constant_number_of_queries(world, client, login, name):
    login(world.users["county_admin"])
    _more_venues(world, 2)
    client.get(reverse(name))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    for i in range(2, 8):
        unit = unit_create(
            code=f"62052410020{i}",
            name=f"后村{i}",
            kind=UnitKind.VILLAGE,
            parent=world.town_b,
            division_code=f"62052410020{i}",
        )
        venue = f.venue_for(unit)
        f.hazard_for(venue, f"后隐患{i}")
        rooms_f.room_for(venue)
        f.plan_for(venue, year=2024)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(name)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 14


def test_venue_detail_queries_do_not_grow_with_rooms(world, client, login):
    venue = f.venue_a(world)
    rooms_f.room_for(venue, "甲")
    login(world.users["village_a"])
    url = reverse("venues:venue_detail", args=[venue.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for name in "乙丙丁戊":
        rooms_f.elders_morning(rooms_f.room_for(venue, name))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_village_clerk_fills_the_survey_on_the_phone_form(world, client, login):
    campaign = f.campaign_for(world)
    login(world.users["village_a"])
    response = client.get(reverse("venues:campaign_mine", args=[campaign.pk]))
    fill = reverse("venues:campaign_fill", args=[campaign.pk, world.village_a.pk])
    assert response["Location"] == fill
    assert "东关社区党群服务中心" in client.get(fill).content.decode()
    bad = client.post(
        fill,
        {
            "name": "东关社区党群服务中心",
            "floor_area": "100",
            "office_area": "80",
            "service_area": "40",
        },
    )
    assert bad.status_code == 200 and "不能超过建筑面积" in bad.content.decode()
    ok = client.post(
        fill,
        {
            "name": "东关社区党群服务中心",
            "floor_area": "300",
            "office_area": "60",
            "service_area": "200",
            "structure": "frame",
            "condition": "good",
            "build_year": "2010",
            "floors": "2",
        },
    )
    assert ok.status_code == 302
    venue = Venue.objects.get(unit=world.village_a)
    assert venue.service_area == Decimal("200.0")
    assert SurveyResponse.objects.filter(campaign=campaign, venue=venue).exists()
    # town B's clerk cannot fill in for town A
    login(world.users["village_b"])
    assert client.post(fill, {"name": "x"}).status_code == 404


def test_campaign_page_shows_completion(world, client, login):
    campaign = f.campaign_for(world)
    login(world.users["county_admin"])
    html = client.get(reverse("venues:campaign_detail", args=[campaign.pk])).content.decode()
    assert "0/2" in html and "东关社区" in html and "张家村" in html


def test_hazard_htmx_fragment(world, client, login):
    venue = f.venue_a(world)
    login(world.users["village_a"])
    response = client.post(
        reverse("venues:hazard_add", args=[venue.pk]),
        {"description": "电线老化", "severity": "high"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "电线老化" in response.content.decode() and "<html" not in response.content.decode()
    assert venue.hazards.count() == 1
    response = client.post(
        reverse("venues:hazard_add", args=[venue.pk]), {"description": "", "severity": "high"}
    )
    assert response.status_code == 422


def test_photo_upload_and_scoped_serving(world, client, login):
    venue = f.venue_a(world)
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(buf, format="PNG")
    login(world.users["village_a"])
    client.post(
        reverse("venues:photo_upload", args=[venue.pk]),
        {
            "image": SimpleUploadedFile("a.png", buf.getvalue(), content_type="image/png"),
            "kind": "exterior",
        },
    )
    photo = venue.photos.get()
    assert photo.image.name.endswith(
        ".jpg"
    )  # every upload is re-encoded to JPEG (lianxin.core.photos)
    url = reverse("venues:photo_file", args=[photo.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"
    assert "no-store" in response["Cache-Control"]
    login(world.users["town_b"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_export_is_xlsx_and_audited(world, client, login):
    f.venue_a(world)
    login(world.users["county_admin"])
    response = client.get(reverse("venues:venue_export"))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="export", actor=world.users["county_admin"]).exists()


def test_import_view_dry_run_then_import(world, client, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the upload is kept privately for the job
    from tests.venues.test_services import _rows, _sheet

    login(world.users["county_admin"])
    data = _sheet(_rows(world))
    # The upload becomes a background job (run inline in tests); its page shows the report.
    response = client.post(
        reverse("venues:venue_import"),
        {"file": SimpleUploadedFile("a.xlsx", data), "dry_run": "on"},
        follow=True,
    )
    html = response.content.decode()
    assert "试导入" in html and "新增 2" in html and "999999999999" in html
    assert not Venue.objects.exists()
    client.post(
        reverse("venues:venue_import"), {"file": SimpleUploadedFile("a.xlsx", data)}, follow=True
    )
    assert Venue.objects.count() == 2


def test_public_board_and_poster(world, client):
    venue = f.venue_a(world)
    venue.phone = "0938-3221234"
    venue.save()
    world.users["village_a"].display_name = "王建国"
    world.users["village_a"].phone = "13912345678"
    world.users["village_a"].save()
    f.duty_for(venue, world.users["village_a"])
    f.certificate_for(venue, world.users["village_a"], days=100)
    f.hazard_for(venue)
    response = client.get(reverse("venues:venue_board", args=[venue.pk]) + "?print=1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "王建国" in html and "0938-3221234" in html and "社会工作者职业资格证书" in html
    assert "13912345678" not in html and f.CANARY_HAZARD_A not in html
    assert "<svg" in html


def test_roster_and_certificate_pages(world, client, login):
    venue = f.venue_a(world)
    login(world.users["village_a"])
    url = reverse("venues:venue_roster", args=[venue.pk])
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "staff": world.users["town_a"].pk,
            "day": today.isoformat(),
            "post": "包村干部",
            "starts": "08:30",
            "ends": "17:30",
        },
    )
    assert response.status_code == 302
    client.post(
        reverse("venues:certificate_add", args=[venue.pk]),
        {
            "staff": world.users["town_a"].pk,
            "name": "应急救护员证",
            "expires_on": (today + timedelta(days=5)).isoformat(),
        },
    )
    html = client.get(url).content.decode()
    assert "包村干部" in html and "即将到期" in html
    assert "应急救护员证" in client.get(reverse("venues:certificate_warnings")).content.decode()
    login(world.users["supervisor"])  # may view, may not change
    assert client.post(url, {"staff": world.users["town_a"].pk}).status_code == 403


def test_roster_copy_takes_the_posted_week_or_this_one(world, client, login):
    venue = f.venue_a(world)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    services.duty_assign(
        actor=world.users["village_a"],
        venue=venue,
        staff=world.users["village_a"],
        day=monday - timedelta(days=7),
        post="书记",
    )
    services.duty_assign(
        actor=world.users["village_a"],
        venue=venue,
        staff=world.users["village_a"],
        day=monday,
        post="书记",
    )
    login(world.users["village_a"])
    url = reverse("venues:roster_copy", args=[venue.pk])
    response = client.post(url, {"monday": (monday - timedelta(days=7)).isoformat()})
    assert response["Location"].endswith(f"?week={monday}")
    response = client.post(url, {"monday": "not-a-date"})  # falls back to this week
    assert response["Location"].endswith(f"?week={monday + timedelta(days=7)}")
    assert DutyShift.objects.filter(venue=venue, day=monday + timedelta(days=7)).count() == 1


def test_plan_pages_flow(world, client, login):
    venue = f.venue_a(world)
    f.hazard_for(venue)
    login(world.users["county_admin"])
    html = client.get(reverse("venues:plan_list")).content.decode()
    assert venue.name in html  # flagged: hazard, no plan
    form = {
        "year": "2026",
        "work_type": "repair",
        "budget": "20",
        "fund_provincial": "10",
        "fund_party_fee": "5",
        "fund_party_building": "3",
        "fund_other": "1",
    }
    response = client.post(reverse("venues:plan_create", args=[venue.pk]), form)
    assert response.status_code == 200 and "不一致" in response.content.decode()
    response = client.post(
        reverse("venues:plan_create", args=[venue.pk]), {**form, "fund_other": "2"}
    )
    plan = venue.plans.get()
    assert response["Location"] == reverse("venues:plan_detail", args=[plan.pk])
    client.post(reverse("venues:plan_advance", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "funded"


def test_api_plan_summary_and_campaign_progress(world, client, login):
    f.plan_for(f.venue_a(world), year=2026)
    f.plan_for(f.venue_b(world), year=2026)
    campaign = f.campaign_for(world)
    login(world.users["town_a"])
    rows = client.get("/api/v1/venues/plans/summary").json()
    assert len(rows) == 1
    row = {k: Decimal(v) if isinstance(v, str) else v for k, v in rows[0].items()}
    assert row == {
        "year": 2026,
        "venues": 1,
        "budget": 20,
        "fund_provincial": 10,
        "fund_party_fee": 5,
        "fund_party_building": 3,
        "fund_other": 2,
        "planned": 1,
        "funded": 0,
        "under_construction": 0,
        "accepted": 0,
    }
    progress = client.get(f"/api/v1/venues/campaigns/{campaign.pk}/progress").json()
    assert (progress["done"], progress["expected"]) == (0, 1)
    login(world.users["resident_a"])
    assert client.get("/api/v1/venues/plans/summary").status_code == 403


def test_new_venue_of_another_type(world, client, login):
    login(world.users["town_a"])
    url = reverse("venues:venue_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "unit": world.town_a.pk,
            "kind": "bee_station",
            "name": "城关暖蜂驿站",
            "floor_area": "60",
            "office_area": "10",
            "service_area": "40",
        },
    )
    venue = Venue.objects.get(kind="bee_station")
    assert response["Location"] == reverse("venues:venue_detail", args=[venue.pk])
    assert venue.town == world.town_a and venue.service_share == pytest.approx(0.8)
    response = client.post(url, {"unit": world.town_b.pk, "kind": "driver_home", "name": "越权"})
    assert response.status_code == 422 and not Venue.objects.filter(name="越权").exists()
