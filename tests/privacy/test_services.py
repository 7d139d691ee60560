"""Correction requests: sent to the resident's own clerk, handled once, every step audited."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.privacy import services
from lianxin.privacy.models import CorrectionState
from tests.clock import SHANGHAI
from tests.privacy.factories import make_correction

pytestmark = pytest.mark.clock(datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI))


def _audits(correction):
    return AuditEvent.objects.filter(
        target_type="privacy.correctionrequest", target_id=str(correction.pk)
    )


def test_request_goes_to_the_residents_unit_and_is_audited(world):
    corr = make_correction(world, "a")
    assert corr.unit == world.grid_a1 and corr.person == world.persons["a"]
    assert corr.state == CorrectionState.PENDING
    row = _audits(corr).get()
    assert row.action == AuditAction.CREATE and row.actor == world.users["resident_a"]


def test_request_needs_a_problem_and_a_field_only_for_the_person_record(world):
    user = world.users["resident_a"]
    with pytest.raises(ValidationError) as exc:
        services.correction_request_create(actor=user, kind="person", problem=" ")
    assert "请说明哪里不对。" in exc.value.messages
    with pytest.raises(ValidationError):
        services.correction_request_create(actor=user, kind="case", field="phone", problem="错了")


def test_a_user_without_unit_cannot_send_one(world):
    from tests.conftest import make_user

    loner = make_user("loner")
    with pytest.raises(ValidationError):
        services.correction_request_create(actor=loner, kind="other", problem="信息错了")


def test_apply_changes_the_person_record_through_people_services(world):
    corr = make_correction(world, "a", field="phone", proposed="13811119999")
    clerk = world.users["village_a"]
    corr = services.correction_apply(actor=clerk, correction=corr, value="")
    world.persons["a"].refresh_from_db()
    assert world.persons["a"].phone == "13811119999"
    assert corr.state == CorrectionState.CORRECTED and corr.handled_by == clerk
    assert corr.response
    person_row = AuditEvent.objects.get(target_type="people.person", action=AuditAction.UPDATE)
    assert person_row.extra == {"fields": ["phone"]}
    assert _audits(corr).filter(action=AuditAction.UPDATE).get().extra["state"] == "corrected"


def test_apply_refuses_an_invalid_value_and_leaves_it_pending(world):
    corr = make_correction(world, "a", field="phone", proposed="123")
    with pytest.raises(ValidationError):
        services.correction_apply(actor=world.users["village_a"], correction=corr, value="")
    corr.refresh_from_db()
    assert corr.state == CorrectionState.PENDING


def test_other_kinds_are_done_by_hand_or_rejected_with_a_reason(world):
    clerk = world.users["village_a"]
    corr = make_correction(world, "a", kind="case", field="", record_ref="ABC123")
    with pytest.raises(ValidationError):
        services.correction_apply(actor=clerk, correction=corr, value="x")
    with pytest.raises(ValidationError):
        services.correction_mark_done(actor=clerk, correction=corr, note="")
    corr = services.correction_mark_done(actor=clerk, correction=corr, note="已在诉求中改正地址")
    assert corr.state == CorrectionState.DONE
    with pytest.raises(ValidationError):  # handled once
        services.correction_reject(actor=clerk, correction=corr, reason="重复")
    other = make_correction(world, "a", kind="wish", field="")
    with pytest.raises(ValidationError):
        services.correction_reject(actor=clerk, correction=other, reason="")
    other = services.correction_reject(actor=clerk, correction=other, reason="心愿信息无误")
    assert other.state == CorrectionState.REJECTED and other.response == "心愿信息无误"


@pytest.mark.parametrize("who", ["village_b", "town_b", "grid_a1", "resident_a", "supervisor"])
def test_only_a_clerk_over_the_unit_handles_it(world, who):
    corr = make_correction(world, "a")
    with pytest.raises(PermissionDenied):
        services.correction_mark_done(actor=world.users[who], correction=corr, note="改好了")
    corr.refresh_from_db()
    assert corr.state == CorrectionState.PENDING
