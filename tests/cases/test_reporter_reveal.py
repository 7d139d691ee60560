"""The handler of a request (and the levels above it) may reveal the reporter's full phone with a
reason: audited without the number, counted against the same per-user limit as people reveals;
anyone else is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.cases import services as s
from tests.cases.factories import category

pytestmark = pytest.mark.django_db
PHONE = "13766665555"


def make_case(world, *, grid):
    case, _created = s.case_submit(
        title="路灯不亮",
        description="小区门口的路灯坏了三天。",
        category=category("infra-light"),
        grid=grid,
        channel="resident",
        reporter=None,
        reporter_name="王大妈",
        reporter_phone=PHONE,
        idempotency_key=f"reveal-{grid.pk}",
    )
    return case


@pytest.fixture
def handled(world):
    """A request in grid A1 accepted by its grid worker."""
    case = make_case(world, grid=world.grid_a1)
    s.case_accept(case=case, actor=world.users["grid_a1"])
    return case


def _reveal(client, case, reason="回访核实办理结果"):
    return client.post(reverse("cases:reporter_reveal", args=[case.pk]), {"reason": reason})


def test_detail_masks_the_phone_and_offers_the_reveal_to_the_handler(world, login, handled):
    body = (
        login(world.users["grid_a1"])
        .get(reverse("cases:case_detail", args=[handled.pk]))
        .content.decode()
    )
    assert PHONE not in body and "137****5555" in body
    assert "查看完整号码" in body and 'data-testid="reporter-reveal-form"' in body


@pytest.mark.parametrize("who", ["grid_a1", "village_a", "town_a", "county_admin"])
def test_handler_and_levels_above_reveal_with_reason(world, login, handled, who):
    resp = _reveal(login(world.users[who]), handled)
    assert resp.status_code == 200
    assert PHONE in resp.content.decode()
    row = AuditEvent.objects.get(action=AuditAction.REVEAL, actor=world.users[who])
    assert row.outcome == "ok" and row.reason == "回访核实办理结果"
    assert row.target_repr == handled.code and row.target_id == str(handled.pk)
    assert row.extra == {"field": "reporter_phone"}
    stored = " ".join(str(v) for v in AuditEvent.objects.filter(pk=row.pk).values().get().values())
    assert PHONE not in stored


def test_out_of_scope_unit_gets_404_and_resident_403(world, login, client, handled):
    assert _reveal(login(world.users["town_b"]), handled).status_code == 404
    client.logout()
    resp = _reveal(login(world.users["resident_a"]), handled)  # even the reporter: staff pages only
    assert resp.status_code == 403 and PHONE not in resp.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.REVEAL, outcome="ok").exists()


def test_staff_who_only_see_the_place_but_do_not_handle_it_are_refused(world, login):
    """Located in village A, handled by a department: village A sees it, cannot reveal."""
    case = make_case(world, grid=world.grid_a1)
    s.case_transfer(
        case=case, actor=world.users["village_a"], to_unit=world.department, reason="属部门职责"
    )
    client = login(world.users["village_a"])
    detail = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert detail.status_code == 200 and "查看完整号码" not in detail.content.decode()
    assert _reveal(client, case).status_code == 403
    client.logout()
    assert PHONE in _reveal(login(world.users["dept"]), case).content.decode()  # the department may


def test_no_reason_is_refused_with_a_message(world, login, handled):
    resp = _reveal(login(world.users["grid_a1"]), handled, reason=" ")
    body = resp.content.decode()
    assert resp.status_code == 422
    assert "请填写查看完整信息的事由" in body and PHONE not in body
    assert not AuditEvent.objects.filter(action=AuditAction.REVEAL).exists()


def test_the_people_reveal_limit_applies_and_is_shared(world, login, handled, settings):
    settings.LIANXIN_REVEAL_LIMIT = (2, 3600)
    client = login(world.users["grid_a1"])
    person = reverse("people:person_reveal", args=[world.persons["a"].pk])
    assert client.post(person, {"field": "phone", "reason": "入户走访"}).status_code == 200
    assert _reveal(client, handled).status_code == 200
    refused = _reveal(client, handled)  # the third reveal of this user in the window
    assert refused.status_code == 429
    assert (
        "查看完整信息过于频繁" in refused.content.decode() and PHONE not in refused.content.decode()
    )
    row = AuditEvent.objects.get(action=AuditAction.REVEAL, outcome="refused")
    assert row.extra == {"field": "reporter_phone", "refused": "rate_limit"}
