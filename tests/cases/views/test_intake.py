"""The resident's pages and staff intake (cases/views/intake.py)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lianxin.cases import services as s
from lianxin.cases.models import Case, CasePhoto, Rating, State
from tests.cases.factories import category, make_case

pytestmark = pytest.mark.django_db


def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # Make
    exif[0x8825] = {1: "N", 2: (34.0, 43.0, 1.0), 3: "E", 4: (104.0, 53.0, 2.0)}  # GPS IFD
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def intake_data(world, **kw):
    data = {
        "form_token": "tok-1",
        "category": category().pk,
        "title": "小区路灯不亮",
        "description": "东关小区门口路灯坏了三天，晚上很黑。",
        "village": world.village_a.pk,
        "grid": world.grid_a1.pk,
        "reporter_name": "王大妈",
        "reporter_phone": "13912345678",
        "address": "东关小区北门",
    }
    data.update(kw)
    return data


def test_intake_page_is_public(client, world):
    r = client.get(reverse("cases:intake") + f"?u={world.grid_a1.code}")
    assert r.status_code == 200
    assert 'name="form_token"' in r.content.decode()


def test_intake_twice_with_same_token_makes_one(client, world):
    url = reverse("cases:intake")
    r1 = client.post(url, intake_data(world))
    r2 = client.post(url, intake_data(world))
    assert r1.status_code == 302 and r2.status_code == 302
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert r1["Location"].startswith(reverse("cases:track", args=[case.code]))
    assert case.owner_unit == world.grid_a1 and case.channel == "resident"


def test_intake_keeps_input_on_error(client, world):
    r = client.post(reverse("cases:intake"), intake_data(world, reporter_phone="123"))
    assert r.status_code == 422
    body = r.content.decode()
    assert "请输入正确的手机号" in body and "东关小区门口路灯坏了三天" in body and "王大妈" in body
    assert Case.objects.count() == 0


def test_intake_map_pin_locates_grid(client, world):
    r = client.post(
        reverse("cases:intake"), intake_data(world, grid="", lat="34.715", lng="104.895")
    )
    assert r.status_code == 302
    assert Case.objects.get().grid == world.grid_a2


def test_intake_rate_limited(client, world, settings):
    settings.LIANXIN_CASE_INTAKE_LIMIT = (2, 60)
    url = reverse("cases:intake")
    for i in range(2):
        assert client.post(url, intake_data(world, form_token=f"t{i}")).status_code == 302
    r = client.post(url, intake_data(world, form_token="t9"))
    assert r.status_code == 422 and "提交过于频繁" in r.content.decode()
    assert Case.objects.count() == 2


def test_photo_exif_stripped_and_served_only_in_scope(client, world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    r = client.post(reverse("cases:intake"), {**intake_data(world), "photo": photo})
    assert r.status_code == 302
    p = CasePhoto.objects.get()
    data = p.image.open("rb").read()
    assert b"CanaryCam" not in data
    assert not Image.open(io.BytesIO(data)).getexif()
    url = reverse("cases:photo", args=[p.token])
    assert client.get(url).status_code == 302  # anonymous: log in first
    assert login(world.users["town_b"]).get(url).status_code == 404
    r = login(world.users["village_a"]).get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"


def test_intake_refuses_non_image(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bad = SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    r = client.post(reverse("cases:intake"), {**intake_data(world), "photo": bad})
    assert r.status_code == 422 and "无法识别的图片" in r.content.decode()
    assert Case.objects.count() == 0


def test_tracking_page_public_part_only(client, world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    grid.display_name = "李网格"
    grid.save()
    s.case_accept(case=case, actor=grid)
    s.case_note(case=case, actor=grid, note="内部金丝雀备注")
    body = client.get(reverse("cases:track", args=[case.code])).content.decode()
    assert "李网格" in body and "已签收" in body
    assert "内部金丝雀备注" not in body
    assert case.reporter_phone not in body


def test_evaluate_on_tracking_page(client, world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    s.case_accept(case=case, actor=grid)
    s.case_resolve(case=case, actor=grid, resolution="已修好")
    url = reverse("cases:evaluate", args=[case.code])
    r = client.post(url, {"rating": "satisfied", "phone": "13800000000"})
    assert r.status_code == 422
    r = client.post(url, {"rating": "satisfied", "comment": "很好", "phone": case.reporter_phone})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.rating == Rating.SATISFIED


def test_staff_intake_owned_by_entering_staff(world, login):
    c = login(world.users["grid_a1"])
    r = c.post(
        reverse("cases:staff_intake"), {**intake_data(world, form_token="s1"), "priority": "urgent"}
    )
    assert r.status_code == 302
    case = Case.objects.get()
    assert case.channel == "grid" and case.owner_user == world.users["grid_a1"]
    r = c.post(
        reverse("cases:staff_intake"),
        {
            **intake_data(
                world, form_token="s2", grid=world.grid_b1.pk, village=world.village_b.pk
            ),
            "priority": "normal",
        },
    )
    assert r.status_code == 422 and Case.objects.count() == 1


def test_my_cases_only_own(world, login):
    a = make_case(world)
    b = make_case(world, grid=world.grid_b1, reporter="resident_b")
    body = login(world.users["resident_a"]).get(reverse("cases:my_cases")).content.decode()
    assert a.code in body and b.code not in body


def test_public_timeline_hides_internal_reasons(client, world):
    case = make_case(world, channel="staff", created_by=world.users["village_a"])
    s.case_transfer(
        case=case,
        actor=world.users["village_a"],
        to_unit=world.department,
        reason="内部转办理由金丝雀",
    )
    body = client.get(reverse("cases:track", args=[case.code])).content.decode()
    assert "转办" in body and world.department.name in body
    assert "内部转办理由金丝雀" not in body


def test_evaluate_is_rate_limited(client, world, settings):
    settings.LIANXIN_CASE_INTAKE_LIMIT = (2, 60)
    case = make_case(world)
    grid = world.users["grid_a1"]
    s.case_accept(case=case, actor=grid)
    s.case_resolve(case=case, actor=grid, resolution="已修好")
    url = reverse("cases:evaluate", args=[case.code])
    for phone in ("13800000001", "13800000002"):
        assert client.post(url, {"rating": "satisfied", "phone": phone}).status_code == 422
    r = client.post(url, {"rating": "satisfied", "phone": case.reporter_phone})
    assert r.status_code == 422 and "提交过于频繁" in r.content.decode()
    case.refresh_from_db()
    assert case.state == State.RESOLVED
