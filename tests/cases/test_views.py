from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lianxin.cases import services as s
from lianxin.cases.models import Case, CasePhoto, Rating, State
from tests.cases.factories import category, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


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


def test_workbench_lists_scope_and_search(world, login):
    a = make_case(world, title="路灯不亮", description="门口路灯坏了")
    make_case(world, title="供暖不热", description="暖气冰凉", cat="heat-cold")
    b = make_case(
        world, grid=world.grid_b1, reporter="resident_b", title="路灯坏了", description="村口路灯"
    )
    c = login(world.users["village_a"])
    body = c.get(reverse("cases:workbench") + "?q=路灯").content.decode()
    assert a.code in body and b.code not in body and "供暖不热" not in body
    body = c.get(reverse("cases:workbench") + "?view=unit").content.decode()
    assert a.code not in body  # in the grid's queue, not the village's


def test_workbench_query_count_is_constant(world, login, django_assert_max_num_queries):
    c = login(world.users["county_admin"])
    for _i in range(3):
        make_case(world)
    c.get(reverse("cases:workbench"))
    with django_assert_max_num_queries(20) as ctx3:
        c.get(reverse("cases:workbench"))
    for _i in range(15):
        case = make_case(world)
        s.case_accept(case=case, actor=world.users["grid_a1"])
    with django_assert_max_num_queries(20) as ctx18:
        r = c.get(reverse("cases:workbench"))
    assert r.status_code == 200
    assert len(ctx18.captured_queries) == len(ctx3.captured_queries)


def test_htmx_accept_and_resolve(world, login):
    case = make_case(world)
    c = login(world.users["grid_a1"])
    r = c.post(reverse("cases:case_action", args=[case.pk, "accept"]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'data-testid="case-panel"' in r.content.decode()
    r = c.post(
        reverse("cases:case_action", args=[case.pk, "resolve"]),
        {"resolution": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "请填写办理结果" in r.content.decode()
    c.post(
        reverse("cases:case_action", args=[case.pk, "resolve"]),
        {"resolution": "已修"},
        HTTP_HX_REQUEST="true",
    )
    case.refresh_from_db()
    assert case.state == State.RESOLVED


def test_case_detail_other_subtree_404(world, login):
    case = make_case(world)
    assert (
        login(world.users["town_b"]).get(reverse("cases:case_detail", args=[case.pk])).status_code
        == 404
    )
    assert (
        login(world.users["town_a"]).get(reverse("cases:case_detail", args=[case.pk])).status_code
        == 200
    )


def test_bulk_dispatch(world, login):
    cases = [
        make_case(world, channel="staff", created_by=world.users["village_a"]) for _ in range(3)
    ]
    c = login(world.users["village_a"])
    r = c.post(
        reverse("cases:bulk_dispatch"), {"ids": [x.pk for x in cases], "to_unit": world.grid_a2.pk}
    )
    assert r.status_code == 302
    assert set(Case.objects.values_list("owner_unit", flat=True)) == {world.grid_a2.pk}


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


def test_poster_svg(world, login):
    r = login(world.users["village_a"]).get(reverse("cases:poster", args=[world.village_a.pk]))
    assert (
        r.status_code == 200 and b"<svg" in r.content and world.village_a.code.encode() in r.content
    )
    assert (
        login(world.users["village_b"])
        .get(reverse("cases:poster", args=[world.village_a.pk]))
        .status_code
        == 404
    )


def test_my_cases_only_own(world, login):
    a = make_case(world)
    b = make_case(world, grid=world.grid_b1, reporter="resident_b")
    body = login(world.users["resident_a"]).get(reverse("cases:my_cases")).content.decode()
    assert a.code in body and b.code not in body


def test_api_list_scoped(world, login):
    a = make_case(world)
    b = make_case(world, grid=world.grid_b1, reporter="resident_b")
    data = login(world.users["town_b"]).get("/api/v1/cases/").json()
    assert [x["code"] for x in data] == [b.code]
    assert login(world.users["town_b"]).get(f"/api/v1/cases/{a.pk}").status_code == 404


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


def test_bulk_dispatch_menu_loads_on_demand_and_is_scoped(world, login):
    make_case(world)
    c = login(world.users["town_a"])
    page = c.get(reverse("cases:workbench")).content.decode()
    assert reverse("cases:dispatch_options") in page
    options = c.get(reverse("cases:dispatch_options")).content.decode()
    assert world.village_a.name in options
    assert world.village_b.name not in options
    r = c.post(reverse("cases:bulk_dispatch"), {"ids": [], "to_unit": ""})
    assert r.status_code == 302
