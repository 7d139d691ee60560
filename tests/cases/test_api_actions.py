"""The steps on one request through the API (cases/api_actions.py), per role.

The same services as the panel: a step the state machine refuses is 409 with its Chinese
message, a missing permission or object rule 403, another town's request 404. Requests are made
through the services (tests/cases/factories.py) at the suite's pinned clock (tests/clock.py).
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianxin.cases import services as s
from lianxin.cases.models import Case, CaseEvent, EventKind, Rating, State
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db

ROLES = ["county_admin", "town_a", "village_a", "grid_a1", "resident_a"]
STAFF = ROLES[:-1]
OTHERS = ["town_b", "village_b", "grid_b1"]


def url(case, step=""):
    return f"/api/v1/cases/{case.pk}/{step}" if step else f"/api/v1/cases/{case.pk}"


def act(client, case, step, data=None):
    return client.post(url(case, step), data or {}, content_type="application/json")


def accepted(world, by="grid_a1", **kw):
    case = make_case(world, **kw)
    return s.case_accept(case=case, actor=world.users[by])


def resolved(world):
    case = accepted(world)
    return s.case_resolve(case=case, actor=world.users["grid_a1"], resolution="已修好")


def png(size=(16, 16)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


# --- the permission matrix: every operation, every role -----------------------------------

# step -> (how the request is made, body, expected status per role in ROLES)
MATRIX = {
    "accept": (make_case, None, [200, 200, 200, 200, 403]),
    "dispatch": (make_case, "dept", [200, 200, 200, 200, 403]),
    "transfer": (make_case, "dept", [200, 200, 200, 200, 403]),
    "escalate": (make_case, {"reason": "村里处理不了"}, [200, 200, 200, 200, 403]),
    "reject": (make_case, {"reason": "不属于受理范围"}, [200, 200, 200, 200, 403]),
    "note": (make_case, {"note": "已电话联系"}, [201, 201, 201, 201, 403]),
    # the owner alone resolves (the person who signed answers for it)
    "resolve": (accepted, {"resolution": "已修好"}, [403, 403, 403, 200, 403]),
    "start": (accepted, {}, [403, 403, 403, 200, 403]),
    # the reporter rates; staff who see it but give no phone are refused by the object rule
    "evaluate": (resolved, {"rating": "satisfied"}, [403, 403, 403, 403, 200]),
    # 重新办理: strictly above the handling unit (the grid worker's own grid may not review itself)
    "reopen": (resolved, {"reason": "群众反映未修好"}, [200, 200, 200, 403, 403]),
    "close": (resolved, {}, [200, 200, 200, 200, 403]),
}


@pytest.mark.parametrize("step", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_every_step_per_role(world, login, step, role):
    make, data, expected = MATRIX[step]
    case = make(world)
    if data in ("dept",):
        data = {"to_unit": world.department.pk, "note" if step == "dispatch" else "reason": "职能"}
    r = act(login(world.users[role]), case, step, data)
    assert r.status_code == expected[ROLES.index(role)], r.content
    if r.status_code in (200, 201):
        assert CaseEvent.objects.filter(case=case, actor=world.users[role]).exists()


@pytest.mark.parametrize("step", list(MATRIX))
@pytest.mark.parametrize("role", OTHERS)
def test_another_towns_request_is_404(world, login, step, role):
    make, data, _expected = MATRIX[step]
    case = make(world)
    before = CaseEvent.objects.filter(case=case).count()
    # whatever is posted: the lookup comes before the body
    assert act(login(world.users[role]), case, step, {"bogus": 1}).status_code == 404
    assert CaseEvent.objects.filter(case=case).count() == before


def test_another_towns_resident_cannot_rate_it(world, login):
    case = resolved(world)
    r = act(login(world.users["resident_b"]), case, "evaluate", {"rating": "satisfied"})
    assert r.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_reads_per_role(world, login, role):
    case = make_case(world)
    c = login(world.users[role])
    expected = 403 if role == "resident_a" else 200
    assert c.get("/api/v1/cases/").status_code == expected
    assert c.get(url(case)).status_code == expected
    assert c.get(url(case, "photos")).status_code == expected


@pytest.mark.parametrize("role", OTHERS)
def test_reads_of_another_town(world, login, role):
    case = make_case(world)
    c = login(world.users[role])
    assert case.pk not in [x["id"] for x in c.get("/api/v1/cases/").json()]
    assert c.get(url(case)).status_code == 404
    assert c.get(url(case, "photos")).status_code == 404


def test_anonymous_is_401_everywhere(world, client):
    case = make_case(world)
    assert client.get(url(case)).status_code == 401
    assert act(client, case, "accept").status_code == 401


# --- each step's effect, through the same services as the panel ---------------------------


def test_accept_then_someone_else_finds_it_taken(world, login):
    case = make_case(world)
    r = act(login(world.users["grid_a1"]), case, "accept")
    assert r.status_code == 200
    assert r.json()["state"] == State.ACCEPTED and r.json()["handler"]
    assert "resolve" in r.json()["actions"]
    r = act(login(world.users["town_a"]), case, "accept")
    assert r.status_code == 409
    assert "已由" in r.json()["detail"]


def test_dispatch_down_and_the_target_must_be_reachable(world, login):
    case = make_case(world, grid=world.grid_a2)
    c = login(world.users["town_a"])
    r = act(c, case, "dispatch", {"to_unit": world.village_b.pk})  # another town's village
    assert r.status_code == 422
    r = act(c, case, "dispatch", {"to_unit": world.village_a.pk, "note": "请社区处理"})
    assert r.status_code == 200, r.content
    case.refresh_from_db()
    assert case.unit == world.village_a and case.owner_unit == world.village_a
    r = act(c, case, "dispatch", {"to_unit": world.village_a.pk})
    assert r.status_code == 409
    assert r.json()["detail"] == "诉求已在该单位待签收。"


def test_transfer_needs_a_reason_and_another_unit(world, login):
    case = make_case(world)
    c = login(world.users["town_a"])
    assert act(c, case, "transfer", {"to_unit": world.department.pk}).status_code == 422
    r = act(c, case, "transfer", {"to_unit": world.grid_a1.pk, "reason": "本网格"})
    assert r.status_code == 409 and r.json()["detail"] == "不能转办给本单位。"
    r = act(c, case, "transfer", {"to_unit": world.department.pk, "reason": "住建职责"})
    assert r.status_code == 200 and r.json()["unit_id"] == world.department.pk


def test_send_back_once(world, login):
    case = make_case(world)
    s.case_dispatch(case=case, actor=world.users["town_a"], to_unit=world.department)
    dept = login(world.users["dept"])
    r = act(dept, case, "send_back", {"reason": "不是住建的事"})
    assert r.status_code == 200, r.content
    assert r.json()["unit_id"] == world.grid_a1.pk and r.json()["sent_back"] is True
    # back at the grid: the grid worker's only way on is to transfer or escalate
    s.case_dispatch(case=case, actor=world.users["town_a"], to_unit=world.department)
    r = act(dept, case, "send_back", {"reason": "还是不是"})
    assert r.status_code == 409
    assert "已退回过一次" in r.json()["detail"]


def test_send_back_of_a_request_nobody_sent(world, login):
    r = act(login(world.users["grid_a1"]), make_case(world), "send_back", {"reason": "退回"})
    assert r.status_code == 409
    assert r.json()["detail"] == "该诉求不是派来的，无可退回的单位。"


def test_escalate_level_by_level_until_it_leaves_the_county(world, login):
    case = make_case(world)
    c = login(world.users["county_admin"])
    units = []
    for _ in range(4):
        r = act(c, case, "escalate", {"reason": "需要上级协调"})
        assert r.status_code == 200
        units.append(r.json()["unit_id"])
    assert units == [world.village_a.pk, world.town_a.pk, world.county.pk, world.county.parent_id]
    # now the city's: the county no longer handles it (it still sees it, located in its grid)
    assert act(c, case, "escalate", {"reason": "再上报"}).status_code == 403
    assert c.get(url(case)).status_code == 200


def test_escalate_from_the_top_is_409(world, login, django_user_model):
    case = make_case(world)
    top = world.county.parent.parent  # the province: the world's root
    s.case_transfer(case=case, actor=world.users["county_admin"], to_unit=top, reason="省级")
    root = django_user_model.objects.create_superuser("root", password="x-Strong-123")
    r = act(login(root), case, "escalate", {"reason": "再上报"})
    assert r.status_code == 409
    assert r.json()["detail"] == "已是最高一级，不能再上报。"


def test_resolve_and_evaluate_satisfied_closes(world, login, client):
    case = accepted(world)
    r = act(login(world.users["grid_a1"]), case, "resolve", {"resolution": "已更换灯泡"})
    assert r.status_code == 200 and r.json()["state"] == State.RESOLVED
    client.logout()
    r = act(login(world.users["resident_a"]), case, "evaluate", {"rating": "satisfied"})
    assert r.status_code == 200, r.content
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.rating == Rating.SATISFIED


def test_unsatisfied_reopens_to_the_level_above(world, login):
    case = resolved(world)
    r = act(login(world.users["resident_a"]), case, "evaluate", {"rating": "unsatisfied"})
    assert r.status_code == 200
    assert r.json()["state"] == State.REOPENED and r.json()["unit_id"] == world.village_a.pk


def test_staff_relay_a_rating_with_the_reporters_phone(world, login):
    case = resolved(world)
    c = login(world.users["town_a"])
    wrong = act(c, case, "evaluate", {"rating": "basic", "phone": "13800000000"})
    assert wrong.status_code == 403
    right = act(c, case, "evaluate", {"rating": "basic", "phone": case.reporter_phone})
    assert right.status_code == 200
    assert Case.objects.get(pk=case.pk).rating == Rating.BASIC


def test_a_phone_that_is_not_digits(world, login):
    case = resolved(world)
    c = login(world.users["town_a"])
    r = act(c, case, "evaluate", {"rating": "basic", "phone": "一三九"})
    assert r.status_code == 422
    # the service compares any text without failing (the tracking page's form passes it through)
    assert not s.may_evaluate(case, phone="一三九零零零零零零零一")
    assert s.may_evaluate(case, phone=f" {case.reporter_phone} ")


def test_evaluate_validates_the_rating(world, login):
    r = act(login(world.users["resident_a"]), resolved(world), "evaluate", {"rating": "unrated"})
    assert r.status_code == 422


def test_note_is_internal(world, login, client):
    case = make_case(world)
    r = act(login(world.users["village_a"]), case, "note", {"note": "已电话联系居民"})
    assert r.status_code == 201
    assert r.json()["is_public"] is False and r.json()["kind"] == EventKind.NOTE
    detail = client.get(url(case)).json()
    assert "已电话联系居民" in [e["note"] for e in detail["events"]]
    assert act(client, case, "note", {"note": "  "}).status_code == 422


# --- each state-machine refusal is 409 with the machine's message ------------------------

REFUSALS = {
    # step: (state the request is brought to, body)
    "accept": ("resolved", None),
    "start": ("resolved", {}),
    "dispatch": ("resolved", "dept"),
    "transfer": ("resolved", "dept"),
    "send_back": ("resolved", {"reason": "退回"}),
    "escalate": ("resolved", {"reason": "上报"}),
    "reject": ("resolved", {"reason": "不予受理"}),
    "resolve": ("submitted", {"resolution": "好了"}),
    "close": ("accepted", {}),
    "reopen": ("accepted", {"reason": "重办"}),
    "evaluate": ("accepted", {"rating": "satisfied"}),
}


@pytest.mark.parametrize("step", list(REFUSALS))
def test_state_machine_refusal_is_409(world, login, step):
    state, data = REFUSALS[step]
    case = {"resolved": resolved, "accepted": accepted, "submitted": make_case}[state](world)
    if data == "dept":
        data = {"to_unit": world.department.pk, "reason": "职能", "note": "职能"}
    # the state is checked before who acts: a step from the wrong state is 409 for anyone
    actor = "resident_a" if step == "evaluate" else "town_a"
    before = Case.objects.get(pk=case.pk).state
    r = act(login(world.users[actor]), case, step, data)
    assert r.status_code == 409, r.content
    assert "不能执行" in r.json()["detail"]
    assert Case.objects.get(pk=case.pk).state == before


# --- photos ---------------------------------------------------------------------------------


def upload(client, case, content, name="p.png", ctype="image/png"):
    return client.post(
        url(case, "photos"), {"photo": SimpleUploadedFile(name, content, content_type=ctype)}
    )


def test_photo_upload_and_list(world, login):
    case = make_case(world)
    c = login(world.users["grid_a1"])
    r = upload(c, case, png((40, 30)))
    assert r.status_code == 201, r.content
    photo = r.json()
    assert (photo["width"], photo["height"]) == (40, 30)
    listed = c.get(url(case, "photos")).json()
    assert [p["token"] for p in listed] == [photo["token"]]
    got = c.get(photo["url"])
    assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"  # re-encoded
    assert CaseEvent.objects.filter(
        case=case, kind=EventKind.NOTE, is_public=False, actor=world.users["grid_a1"]
    ).exists()


def test_photo_that_is_not_an_image(world, login):
    case = make_case(world)
    r = upload(login(world.users["town_a"]), case, b"%PDF-1.4 not a photo", "x.pdf", "image/png")
    assert r.status_code == 422
    assert r.json()["detail"] == "无法识别的图片文件。"
    assert not case.photos.exists()


def test_photo_too_large(world, login, settings):
    settings.LIANXIN_MAX_PHOTO_BYTES = 1024 * 1024
    case = make_case(world)
    big = png() + b"\0" * (1024 * 1024 + 1)
    r = upload(login(world.users["town_a"]), case, big)
    assert r.status_code == 422
    assert r.json()["detail"] == "照片不能超过 1 MB。"
    assert not case.photos.exists()


def test_photo_of_a_disallowed_type(world, login):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, format="GIF")
    r = upload(login(world.users["town_a"]), make_case(world), buf.getvalue(), "a.gif", "image/gif")
    assert r.status_code == 422


def test_photo_missing(world, login):
    r = login(world.users["town_a"]).post(url(make_case(world), "photos"), {})
    assert r.status_code == 422


@pytest.mark.parametrize(("role", "status"), [("resident_a", 403), ("town_b", 404)])
def test_photo_upload_refused(world, login, role, status):
    case = make_case(world)
    assert upload(login(world.users[role]), case, png()).status_code == status
    assert not case.photos.exists()


# --- merge and extension, as on the panel ----------------------------------------------------


def test_merge_into_a_visible_open_request(world, login):
    keep, dup = make_case(world), make_case(world, title="路灯坏了")
    other_town = make_case(world, grid=world.grid_b1, reporter="resident_b")
    c = login(world.users["village_a"])
    r = act(c, dup, "merge", {"into": other_town.code})  # not visible to the village: not found
    assert r.status_code == 422
    r = act(c, dup, "merge", {"into": keep.code.lower()})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == State.MERGED and r.json()["merged_into"] == keep.code
    r = act(c, dup, "merge", {"into": keep.code})
    assert r.status_code == 409  # merged is not an open state
    assert (
        act(login(world.users["resident_a"]), keep, "merge", {"into": dup.code}).status_code == 403
    )


def test_extension_asked_by_the_owner_decided_above(world, login, client):
    case = accepted(world)
    until = (case.resolve_due_at + timedelta(days=3)).isoformat()
    body = {"until": until, "reason": "需等配件"}
    assert act(login(world.users["town_a"]), case, "extension_request", body).status_code == 403
    client.logout()
    owner = login(world.users["grid_a1"])
    r = act(owner, case, "extension_request", body)
    assert r.status_code == 200, r.content
    assert "extension_request" not in r.json()["actions"]
    assert act(owner, case, "extension_request", body).status_code == 409  # once
    assert act(owner, case, "extension_decide", {"approve": True}).status_code == 403  # not above
    client.logout()
    r = act(login(world.users["village_a"]), case, "extension_decide", {"approve": True})
    assert r.status_code == 200
    assert Case.objects.get(pk=case.pk).resolve_due_at.isoformat() == until
    r = act(client, case, "extension_decide", {"approve": False})
    assert r.status_code == 409 and r.json()["detail"] == "没有待审批的延期申请。"


def test_extension_until_must_be_later(world, login):
    case = accepted(world)
    body = {"until": case.resolve_due_at.isoformat(), "reason": "需等配件"}
    r = act(login(world.users["grid_a1"]), case, "extension_request", body)
    assert r.status_code == 409
    assert r.json()["detail"] == "延期后的时限必须晚于原办结时限。"
