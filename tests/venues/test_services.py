"""Writes of the 阵地 module: the rules each service enforces, and what it records."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from lianxin.audit.models import AuditEvent
from lianxin.venues import services
from lianxin.venues.models import (
    DutyShift,
    PlanStatus,
    SurveyResponse,
    UpgradePlan,
    Venue,
)
from tests.venues import factories as f

pytestmark = pytest.mark.django_db


# --- archive ---------------------------------------------------------------------------------


def test_venue_upsert_creates_then_updates_only_changed_fields(world):
    admin = world.users["village_a"]
    venue, changed = services.venue_upsert(
        actor=admin,
        unit=world.village_a,
        values={
            "name": "东关社区党群服务中心",
            "floor_area": "400",
            "office_area": "100",
            "service_area": "250",
            "structure": "框架",
            "condition": "良好",
        },
    )
    assert changed == ["*"]
    assert venue.town == world.town_a
    assert venue.structure == "frame" and venue.condition == "good"
    assert venue.service_share == pytest.approx(250 / 350)
    _venue, changed = services.venue_upsert(
        actor=admin,
        unit=world.village_a,
        values={"name": "东关社区党群服务中心", "service_area": "250"},
    )
    assert changed == []
    _venue, changed = services.venue_upsert(
        actor=admin, unit=world.village_a, values={"office_area": "50"}
    )
    assert changed == ["office_area"]
    assert (
        AuditEvent.objects.filter(target_type="venues.venue", target_id=str(venue.pk)).count() == 2
    )


def test_archive_choices_by_value_or_label_and_clear_errors(world):
    venue, _changed = services.venue_upsert(
        actor=world.users["village_a"],
        unit=world.village_a,
        values={"name": "东关社区党群服务中心", "structure": "brick_concrete", "condition": "危房"},
    )
    assert (venue.structure, venue.condition) == ("brick_concrete", "dangerous")
    with pytest.raises(ValidationError) as exc:
        services.venue_upsert(
            actor=world.users["village_a"],
            unit=world.village_a,
            values={"structure": "钢结构", "condition": "还行"},
        )
    assert set(exc.value.message_dict) == {"structure", "condition"}


def test_venue_upsert_refuses_areas_beyond_floor_area(world):
    with pytest.raises(ValidationError) as exc:
        services.venue_upsert(
            actor=world.users["village_a"],
            unit=world.village_a,
            values={"name": "x", "floor_area": "100", "office_area": "60", "service_area": "50"},
        )
    assert "service_area" in exc.value.message_dict
    assert not Venue.objects.exists()


def test_database_refuses_areas_beyond_floor_area(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.venue_for(
            world.village_a,
            floor_area=Decimal("100"),
            office_area=Decimal("60"),
            service_area=Decimal("50"),
        )


def test_one_service_centre_per_village_in_the_database(world):
    f.venue_for(world.village_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Venue.objects.create(unit=world.village_a, kind="service_center", name="另一个")


def test_venue_upsert_out_of_scope_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.venue_upsert(
            actor=world.users["village_b"], unit=world.village_a, values={"name": "x"}
        )


def test_venue_upsert_rejects_bad_values(world):
    with pytest.raises(ValidationError) as exc:
        services.venue_upsert(
            actor=world.users["village_a"],
            unit=world.village_a,
            values={
                "name": "x",
                "build_year": "1800",
                "floors": "0",
                "structure": "茅草",
                "floor_area": "abc",
            },
        )
    assert set(exc.value.message_dict) == {"build_year", "floors", "structure", "floor_area"}


def test_hazard_add_and_resolve(world):
    venue = f.venue_a(world)
    hazard = services.hazard_add(
        actor=world.users["village_a"], venue=venue, description="墙体开裂", severity="high"
    )
    assert venue.hazards.open().count() == 1
    services.hazard_resolve(actor=world.users["village_a"], hazard=hazard)
    assert venue.hazards.open().count() == 0


# --- photos ----------------------------------------------------------------------------------


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (40, 30), "blue")
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # Make
    exif[0x8825] = {1: "N", 2: (34.0, 43.0, 12.0)}  # GPS IFD
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def test_photo_add_strips_exif_and_renames(world):
    raw = _jpeg_with_gps()
    assert b"CanaryCam" in raw
    upload = SimpleUploadedFile("my-village-gps.jpg", raw, content_type="image/jpeg")
    photo = services.photo_add(
        actor=world.users["village_a"], venue=f.venue_a(world), upload=upload, kind="exterior"
    )
    stored = photo.image.read()
    assert b"CanaryCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert "my-village" not in photo.image.name
    assert (photo.width, photo.height) == (40, 30)


def test_photo_add_turns_png_with_alpha_into_jpeg_and_bounds_the_size(world):
    buf = io.BytesIO()
    Image.new("RGBA", (3000, 1500), (0, 128, 0, 100)).save(buf, format="PNG")
    photo = services.photo_add(
        actor=world.users["village_a"],
        venue=f.venue_a(world),
        upload=SimpleUploadedFile("plan.png", buf.getvalue(), content_type="image/png"),
    )
    stored = Image.open(io.BytesIO(photo.image.read()))
    assert stored.format == "JPEG" and stored.mode == "RGB"
    assert photo.image.name.endswith(".jpg")
    assert (photo.width, photo.height) == stored.size == (2000, 1000)


def test_photo_add_refuses_non_images_and_oversize(world, settings):
    venue = f.venue_a(world)
    with pytest.raises(ValidationError):
        services.photo_add(
            actor=world.users["village_a"],
            venue=venue,
            upload=SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>"),
        )
    settings.LIANXIN_MAX_PHOTO_BYTES = 100
    with pytest.raises(ValidationError):
        services.photo_add(
            actor=world.users["village_a"],
            venue=venue,
            upload=SimpleUploadedFile("x.jpg", _jpeg_with_gps()),
        )
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    settings.LIANXIN_MAX_PHOTO_BYTES = 10**6
    with pytest.raises(ValidationError):
        services.photo_add(
            actor=world.users["village_a"],
            venue=venue,
            upload=SimpleUploadedFile("x.gif", gif.getvalue()),
        )


# --- survey campaigns -------------------------------------------------------------------------


def test_survey_submit_creates_venue_and_one_response(world):
    campaign = f.campaign_for(world)
    values = {
        "name": "东关社区党群服务中心",
        "floor_area": "300",
        "office_area": "120",
        "service_area": "150",
    }
    r1 = services.survey_submit(
        actor=world.users["village_a"], campaign=campaign, unit=world.village_a, values=values
    )
    r2 = services.survey_submit(
        actor=world.users["village_a"],
        campaign=campaign,
        unit=world.village_a,
        values={**values, "office_area": "80"},
    )
    assert r1.pk == r2.pk
    assert SurveyResponse.objects.count() == 1
    assert r2.snapshot["office_area"] == "80.0"
    assert Venue.objects.get().surveyed_at is not None


def test_every_survey_submission_is_audited_even_when_nothing_changed(world):
    campaign = f.campaign_for(world)
    values = {
        "name": "东关社区党群服务中心",
        "floor_area": "300",
        "office_area": "120",
        "service_area": "150",
    }
    response = services.survey_submit(
        actor=world.users["village_a"], campaign=campaign, unit=world.village_a, values=values
    )
    services.survey_submit(
        actor=world.users["village_a"], campaign=campaign, unit=world.village_a, values=values
    )
    rows = AuditEvent.objects.filter(
        target_type="venues.surveyresponse", target_id=str(response.pk)
    )
    assert list(rows.order_by("id").values_list("action", flat=True)) == ["create", "update"]
    assert all(r.actor == world.users["village_a"] for r in rows)


def test_survey_refused_when_closed_or_out_of_scope(world):
    campaign = f.campaign_for(world)
    with pytest.raises(PermissionDenied):
        services.survey_submit(
            actor=world.users["village_b"],
            campaign=campaign,
            unit=world.village_a,
            values={"name": "x"},
        )
    services.campaign_close(actor=world.users["county_admin"], campaign=campaign)
    with pytest.raises(ValidationError):
        services.survey_submit(
            actor=world.users["village_a"],
            campaign=campaign,
            unit=world.village_a,
            values={"name": "x"},
        )


def test_campaign_open_rules(world):
    admin = world.users["county_admin"]
    services.campaign_open(actor=admin, unit=world.county, name="摸排", due_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.campaign_open(
            actor=admin, unit=world.county, name="摸排", due_on=timezone.localdate()
        )
    with pytest.raises(ValidationError):
        services.campaign_open(
            actor=admin,
            unit=world.county,
            name="旧",
            due_on=timezone.localdate() - timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        services.campaign_open(
            actor=world.users["town_b"], unit=world.town_a, name="越权", due_on=timezone.localdate()
        )


# --- xlsx import/export -------------------------------------------------------------------------


def _sheet(rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([label for _k, label in services.SHEET_COLUMNS])
    keys = [k for k, _l in services.SHEET_COLUMNS]
    for row in rows:
        ws.append([row.get(k) for k in keys])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rows(world):
    return [
        {
            "unit_code": world.village_a.code,
            "kind": "党群服务中心",
            "name": "东关社区党群服务中心",
            "build_year": 2008,
            "floor_area": 420,
            "office_area": 120,
            "service_area": 260,
            "structure": "框架",
            "floors": 2,
            "condition": "良好",
        },
        {
            "unit_code": world.village_b.code,
            "kind": "党群服务中心",
            "name": "张家村党群服务中心",
            "build_year": 1995,
            "floor_area": 200,
            "office_area": 90,
            "service_area": 80,
            "structure": "砖混",
            "floors": 1,
            "condition": "较差",
        },
        {"unit_code": "999999999999", "name": "不存在"},
        {
            "unit_code": world.village_a.code,
            "kind": "暖蜂驿站",
            "name": "东关暖蜂驿站",
            "floor_area": 50,
            "office_area": 40,
            "service_area": 30,
        },
    ]


def test_import_dry_run_writes_nothing_and_reports_rows(world):
    report = services.venues_import(
        actor=world.users["county_admin"], data=_sheet(_rows(world)), dry_run=True
    )
    assert report.created == 2
    assert [n for n, _m in report.errors] == [4, 5]
    assert "区划代码" in report.errors[0][1]
    assert "建筑面积" in report.errors[1][1] or "服务面积" in report.errors[1][1]
    assert not Venue.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_import_twice_changes_nothing(world):
    data = _sheet(_rows(world)[:2])
    first = services.venues_import(actor=world.users["county_admin"], data=data, dry_run=False)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    stamps = dict(Venue.objects.values_list("pk", "updated_at"))
    second = services.venues_import(actor=world.users["county_admin"], data=data, dry_run=False)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert dict(Venue.objects.values_list("pk", "updated_at")) == stamps
    v = Venue.objects.get(unit=world.village_b)
    assert v.condition == "poor" and v.floor_area == Decimal("200.0")


def test_import_respects_scope(world):
    report = services.venues_import(
        actor=world.users["town_b"], data=_sheet(_rows(world)[:2]), dry_run=False
    )
    assert report.created == 1
    assert report.errors[0][0] == 2
    assert not Venue.objects.filter(unit=world.village_a).exists()


def test_export_round_trips_through_import(world):
    from lianxin.venues.exports import venues_workbook
    from lianxin.venues.selectors import venues_for_export

    services.venues_import(
        actor=world.users["county_admin"], data=_sheet(_rows(world)[:2]), dry_run=False
    )
    data = venues_workbook(venues_for_export(user=world.users["county_admin"]))
    report = services.venues_import(actor=world.users["county_admin"], data=data, dry_run=False)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 2, [])


def test_export_of_precise_coordinates_reimports_unchanged(world):
    from lianxin.venues.exports import venues_workbook
    from lianxin.venues.selectors import venues_for_export

    f.venue_for(world.village_a, lat=34.712345678912, lng=104.889999999123)
    data = venues_workbook(venues_for_export(user=world.users["county_admin"]))
    report = services.venues_import(actor=world.users["county_admin"], data=data, dry_run=False)
    assert (report.updated, report.unchanged) == (0, 1)


def test_import_rejects_garbage(world):
    with pytest.raises(ValidationError):
        services.venues_import(actor=world.users["county_admin"], data=b"not a workbook")


# --- plans ------------------------------------------------------------------------------------


def _plan_values(**kw):
    values = {
        "year": 2026,
        "work_type": "renovation",
        "budget": Decimal("30"),
        "fund_provincial": Decimal("15"),
        "fund_party_fee": Decimal("6"),
        "fund_party_building": Decimal("5"),
        "fund_other": Decimal("4"),
    }
    values.update(kw)
    return values


def test_plan_funds_must_add_up(world):
    venue = f.venue_a(world)
    with pytest.raises(ValidationError, match="不一致"):
        services.plan_save(
            actor=world.users["county_admin"],
            venue=venue,
            values=_plan_values(fund_other=Decimal("5")),
        )
    plan = services.plan_save(actor=world.users["county_admin"], venue=venue, values=_plan_values())
    with pytest.raises(ValidationError):
        services.plan_save(
            actor=world.users["county_admin"], venue=venue, values=_plan_values()
        )  # same year
    with pytest.raises(IntegrityError), transaction.atomic():
        UpgradePlan.objects.filter(pk=plan.pk).update(fund_other=Decimal("9"))


def test_plan_advances_in_order_with_dates(world):
    plan = services.plan_save(
        actor=world.users["county_admin"], venue=f.venue_a(world), values=_plan_values()
    )
    d = timezone.localdate()
    for expected in (PlanStatus.FUNDED, PlanStatus.UNDER_CONSTRUCTION, PlanStatus.ACCEPTED):
        plan = services.plan_advance(actor=world.users["county_admin"], plan=plan, on_date=d)
        assert plan.status == expected
    assert plan.funded_on == plan.started_on == plan.accepted_on == d
    with pytest.raises(ValidationError):
        services.plan_advance(actor=world.users["county_admin"], plan=plan)
    with pytest.raises(PermissionDenied):
        services.plan_save(
            actor=world.users["town_b"], venue=f.venue_a(world), values=_plan_values(year=2027)
        )


def test_plan_accepted_needs_a_date_in_the_database(world):
    plan = f.plan_for(f.venue_a(world))
    with pytest.raises(IntegrityError), transaction.atomic():
        UpgradePlan.objects.filter(pk=plan.pk).update(status="accepted")


# --- duty and certificates ------------------------------------------------------------------


def test_duty_only_for_the_venues_own_staff_and_copy_week(world):
    venue = f.venue_a(world)
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    with pytest.raises(ValidationError):
        services.duty_assign(
            actor=world.users["village_a"],
            venue=venue,
            staff=world.users["village_b"],
            day=monday,
            post="坐班",
        )
    services.duty_assign(
        actor=world.users["village_a"],
        venue=venue,
        staff=world.users["village_a"],
        day=monday,
        post="书记",
    )
    services.duty_assign(
        actor=world.users["village_a"],
        venue=venue,
        staff=world.users["town_a"],
        day=monday,
        post="包村干部",
    )
    assert (
        services.roster_copy_week(actor=world.users["village_a"], venue=venue, from_monday=monday)
        == 2
    )
    assert (
        services.roster_copy_week(actor=world.users["village_a"], venue=venue, from_monday=monday)
        == 0
    )
    assert DutyShift.objects.filter(day=monday + timedelta(days=7)).count() == 2


def test_certificate_renewal_updates_in_place(world):
    venue = f.venue_a(world)
    c1 = services.certificate_save(
        actor=world.users["village_a"],
        venue=venue,
        staff=world.users["village_a"],
        name="应急救护员证",
        expires_on=timezone.localdate(),
    )
    c2 = services.certificate_save(
        actor=world.users["village_a"],
        venue=venue,
        staff=world.users["village_a"],
        name="应急救护员证",
        expires_on=timezone.localdate() + timedelta(days=700),
    )
    assert c1.pk == c2.pk and c2.expires_on > c1.expires_on


def test_campaign_chase_notifies_missing_villages_once_a_day(world, client, login):
    from django.urls import reverse

    from lianxin.notifications.models import Notification
    from lianxin.venues import selectors

    admin = world.users["county_admin"]
    campaign = services.campaign_open(
        actor=admin, unit=world.county, name="摸排", due_on=timezone.localdate()
    )
    missing = list(selectors.campaign_missing(user=admin, campaign=campaign))
    assert world.village_a in missing and world.village_b in missing
    sent = services.campaign_chase(actor=admin, campaign=campaign, missing=missing)
    assert sent == 2
    assert (
        Notification.objects.filter(
            recipient=world.users["village_a"], title__contains="摸排"
        ).count()
        == 1
    )
    assert (
        services.campaign_chase(actor=admin, campaign=campaign, missing=missing) == 0
    )  # same day: nothing new
    login(admin)
    response = client.post(reverse("venues:campaign_chase", args=[campaign.pk]))
    assert response.status_code == 302
    with pytest.raises(PermissionDenied):
        services.campaign_chase(actor=world.users["town_b"], campaign=campaign, missing=missing)
