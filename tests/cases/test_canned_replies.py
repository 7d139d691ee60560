"""常用语: the county administrator keeps canned replies (audited); the resolve, send back and
reject forms offer those of the request's category as one-tap buttons (a select without JS)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.cases import services as s
from lianxin.cases.models import CannedReply, State
from lianxin.cases.services import replies as r
from tests.cases.factories import category, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return world.users["county_admin"]


def test_create_update_deactivate_are_audited(world, admin):
    reply = r.canned_reply_create(
        actor=admin, purpose="resolve", text="  已修复，感谢反映。 ", category=category(), order=2
    )
    assert (reply.text, reply.order, reply.active) == ("已修复，感谢反映。", 2, True)
    created = AuditEvent.objects.get(action=AuditAction.CREATE, target_type="cases.cannedreply")
    assert created.extra["after"]["category"] == "infra-light"
    r.canned_reply_update(actor=admin, reply=reply, purpose="reject", text="不属受理范围。")
    r.canned_reply_set_active(actor=admin, reply=reply, active=False)
    r.canned_reply_set_active(actor=admin, reply=reply, active=False)  # no change, no row
    updates = list(
        AuditEvent.objects.filter(action=AuditAction.UPDATE, target_type="cases.cannedreply")
        .order_by("id")
        .values_list("extra", flat=True)
    )
    assert len(updates) == 2
    assert (
        updates[0]["before"]["purpose"] == "resolve" and updates[0]["after"]["purpose"] == "reject"
    )
    assert updates[1]["before"]["active"] is True and updates[1]["after"]["active"] is False
    reply.refresh_from_db()
    assert (reply.purpose, reply.category, reply.active) == ("reject", None, False)


@pytest.mark.parametrize("who", ["town_a", "village_a", "grid_a1", "supervisor", "resident_a"])
def test_only_the_county_admin_manages(world, who):
    with pytest.raises(PermissionDenied):
        r.canned_reply_create(actor=world.users[who], purpose="resolve", text="x")
    assert not CannedReply.objects.exists()


@pytest.mark.parametrize(
    ("purpose", "text", "order", "message"),
    [
        ("other", "x", 0, "请选择常用语的用途"),
        ("resolve", "   ", 0, "请填写常用语内容"),
        ("resolve", "长" * 501, 0, "500"),
        ("resolve", "x", 40000, "排序应为"),
    ],
)
def test_validation(world, admin, purpose, text, order, message):
    with pytest.raises(s.CaseError, match=message):
        r.canned_reply_create(actor=admin, purpose=purpose, text=text, order=order)


def test_offered_replies_follow_category_purpose_and_order(world, admin):
    light, parent = category("infra-light"), category("infra-light").parent
    mk = r.canned_reply_create
    all_cats = mk(actor=admin, purpose="resolve", text="通用", order=5)
    own = mk(actor=admin, purpose="resolve", text="路灯", category=light, order=1)
    up = (
        mk(actor=admin, purpose="resolve", text="上级", category=parent, order=3)
        if parent
        else None
    )
    mk(actor=admin, purpose="resolve", text="别的分类", category=category("other"))
    mk(actor=admin, purpose="reject", text="不予受理")
    off = mk(actor=admin, purpose="resolve", text="停用的")
    r.canned_reply_set_active(actor=admin, reply=off, active=False)
    case = make_case(world)
    expected = [own, *([up] if up else []), all_cats]
    assert r.replies_for(case, "resolve") == expected
    assert r.replies_by_purpose(case)["resolve"] == expected
    assert [x.text for x in r.replies_by_purpose(case)["reject"]] == ["不予受理"]
    assert r.replies_by_purpose(case)["send_back"] == []
    assert r.canned_text("resolve", own.pk) == "路灯"
    assert r.canned_text("reject", own.pk) == "" and r.canned_text("resolve", off.pk) == ""
    assert r.canned_text("resolve", None) == ""


# --- the screen ---------------------------------------------------------------------------------


def test_screen_list_create_edit_deactivate(world, login, admin):
    c = login(admin)
    body = c.get(reverse("cases:reply_list")).content.decode()
    assert "还没有常用语。" in body
    resp = c.post(
        reverse("cases:reply_create"), {"purpose": "resolve", "text": "已处理完毕", "order": "1"}
    )
    assert resp.status_code == 302
    reply = CannedReply.objects.get()
    resp = c.post(
        reverse("cases:reply_edit", args=[reply.pk]),
        {"purpose": "send_back", "category": category().pk, "text": "不属本单位", "order": ""},
    )
    assert resp.status_code == 302
    reply.refresh_from_db()
    assert (reply.purpose, reply.category, reply.text, reply.order) == (
        "send_back",
        category(),
        "不属本单位",
        0,
    )
    assert c.post(reverse("cases:reply_deactivate", args=[reply.pk])).status_code == 302
    reply.refresh_from_db()
    assert not reply.active
    assert "已停用" in c.get(reverse("cases:reply_list")).content.decode()
    assert c.post(reverse("cases:reply_activate", args=[reply.pk])).status_code == 302
    reply.refresh_from_db()
    assert reply.active


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"purpose": "x", "text": "a"},
        {"purpose": "resolve", "text": ""},
        {"purpose": "resolve", "text": "a", "order": "-1"},
        {"purpose": "resolve", "text": "a", "order": "99999999999"},
        {"purpose": "resolve", "text": "a", "category": "abc"},
        {"purpose": "resolve", "text": "长" * 600},
    ],
)
def test_screen_bad_input_is_a_message_never_a_500(world, login, admin, data):
    resp = login(admin).post(reverse("cases:reply_create"), data)
    assert resp.status_code == 422
    assert not CannedReply.objects.exists()


def test_screen_is_the_county_admins(world, login):
    assert login(world.users["town_a"]).get(reverse("cases:reply_list")).status_code == 403


def test_edit_of_a_missing_reply_is_404(world, login, admin):
    assert login(admin).get(reverse("cases:reply_edit", args=[999999])).status_code == 404


# --- the handler's forms -------------------------------------------------------------------------


@pytest.fixture
def replies(world, admin):
    return {
        p: r.canned_reply_create(actor=admin, purpose=p, text=f"{p}的常用语")
        for p in ("resolve", "send_back", "reject")
    }


def test_panel_offers_the_replies_as_buttons_and_a_noscript_select(world, login, replies):
    case = make_case(world)
    s.case_accept(case=case, actor=world.users["grid_a1"])
    body = (
        login(world.users["grid_a1"])
        .get(reverse("cases:case_detail", args=[case.pk]))
        .content.decode()
    )
    assert 'data-canned-text="resolve的常用语" data-canned-target="#resolution"' in body
    assert 'data-canned-text="send_back的常用语" data-canned-target="#case-note"' in body
    assert 'data-canned-text="reject的常用语" data-canned-target="#case-note"' in body
    assert f'<option value="{replies["resolve"].pk}">' in body and "<noscript>" in body
    assert "cases/canned.js" in body


def test_panel_without_replies_has_no_buttons(world, login):
    case = make_case(world)
    s.case_accept(case=case, actor=world.users["grid_a1"])
    body = (
        login(world.users["grid_a1"])
        .get(reverse("cases:case_detail", args=[case.pk]))
        .content.decode()
    )
    assert "data-canned-text" not in body


def _act(client, case, action, data):
    return client.post(reverse("cases:case_action", args=[case.pk, action]), data)


def test_without_js_an_empty_box_takes_the_picked_reply(world, login, replies):
    c = login(world.users["grid_a1"])
    case = make_case(world)
    s.case_accept(case=case, actor=world.users["grid_a1"])
    _act(c, case, "resolve", {"resolution": "", "canned": replies["resolve"].pk})
    case.refresh_from_db()
    assert case.state == State.RESOLVED and case.resolution == "resolve的常用语"
    other = make_case(world)
    _act(c, other, "reject", {"note": "", "canned": replies["reject"].pk})
    other.refresh_from_db()
    assert other.state == State.REJECTED and other.reject_reason == "reject的常用语"


def test_typed_text_wins_and_a_wrong_purpose_is_ignored(world, login, replies):
    c = login(world.users["grid_a1"])
    case = make_case(world)
    s.case_accept(case=case, actor=world.users["grid_a1"])
    _act(c, case, "reject", {"note": "改过的不予受理理由", "canned": replies["reject"].pk})
    case.refresh_from_db()
    assert case.state == State.REJECTED and case.reject_reason == "改过的不予受理理由"
    other = make_case(world)
    s.case_accept(case=other, actor=world.users["grid_a1"])
    resp = _act(c, other, "resolve", {"resolution": "", "canned": replies["reject"].pk})
    assert resp.status_code == 302
    other.refresh_from_db()
    assert other.state == State.ACCEPTED  # 请填写办理结果
