from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from lianxin.cases import services as s
from lianxin.cases.models import Case, CaseEvent, Channel, EventKind, Rating, State
from lianxin.notifications.models import Notification
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_resident_intake_goes_to_grid_queue_with_due_times(world):
    case = make_case(world)
    assert case.state == State.SUBMITTED
    assert case.owner_unit == world.grid_a1 and case.owner_user is None
    assert case.accept_due_at and case.resolve_due_at and case.accept_due_at < case.resolve_due_at
    assert case.town == world.town_a and case.village == world.village_a
    assert len(case.code) == 10
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.SUBMIT]
    # the grid worker gets an assignment notification
    assert Notification.objects.filter(recipient=world.users["grid_a1"]).exists()


def test_staff_entry_is_owned_by_the_first_receiver(world):
    case = make_case(world, channel=Channel.STAFF, created_by=world.users["village_a"])
    assert case.owner_user == world.users["village_a"] and case.owner_unit is None
    assert case.unit == world.village_a


def test_idempotency_key_gives_one_case(world):
    a = make_case(world, idempotency_key="same")
    b = make_case(world, idempotency_key="same")
    assert a.pk == b.pk and Case.objects.count() == 1


def test_owner_constraint_rejects_no_owner_and_two_owners(world):
    case = make_case(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(owner_unit=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(owner_user=world.users["grid_a1"])


def test_events_are_immutable(world):
    event = make_case(world).events.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(pk=event.pk).update(note="x")


def test_accept_start_resolve_evaluate_closes(world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    case = s.case_accept(case=case, actor=grid)
    assert case.owner_user == grid and case.owner_unit is None and case.accepted_on_time
    case = s.case_start(case=case, actor=grid)
    case = s.case_resolve(case=case, actor=grid, resolution="已更换灯泡")
    assert case.state == State.RESOLVED and case.resolved_on_time
    case = s.case_evaluate(
        case=case, rating=Rating.SATISFIED, comment="很快", user=world.users["resident_a"]
    )
    assert case.state == State.CLOSED and case.rating == Rating.SATISFIED


def test_invalid_transition_raises_chinese_error(world):
    case = make_case(world)
    with pytest.raises(s.CaseError) as exc:
        s.case_resolve(case=case, actor=world.users["grid_a1"], resolution="x")
    assert "待签收" in exc.value.messages[0] and "办结" in exc.value.messages[0]


def test_other_subtree_cannot_accept(world):
    case = make_case(world)
    with pytest.raises(PermissionDenied):
        s.case_accept(case=case, actor=world.users["village_b"])


def test_second_accept_is_refused(world):
    case = make_case(world)
    s.case_accept(case=case, actor=world.users["grid_a1"])
    with pytest.raises(s.CaseError, match="已由"):
        s.case_accept(case=case, actor=world.users["village_a"])


def test_dispatch_down_transfer_send_back_once(world):
    village = world.users["village_a"]
    case = make_case(world, channel=Channel.STAFF, created_by=village)
    case = s.case_dispatch(case=case, actor=village, to_unit=world.grid_a2)
    assert case.owner_unit == world.grid_a2 and case.state == State.SUBMITTED
    case = s.case_send_back(case=case, actor=village, reason="不属于本网格")
    assert case.owner_unit == world.village_a and case.sent_back
    case = s.case_dispatch(case=case, actor=village, to_unit=world.grid_a1)
    with pytest.raises(s.CaseError, match="退回过一次"):
        s.case_send_back(case=case, actor=world.users["grid_a1"], reason="再退")
    with pytest.raises(s.CaseError, match="转办理由"):
        s.case_transfer(case=case, actor=village, to_unit=world.department, reason=" ")
    case = s.case_transfer(case=case, actor=village, to_unit=world.department, reason="属住建职责")
    assert case.owner_unit == world.department
    s.case_accept(case=case, actor=world.users["dept"])


def test_dispatch_cannot_go_into_a_foreign_subtree(world):
    village = world.users["village_a"]
    case = make_case(world, channel=Channel.STAFF, created_by=village)
    with pytest.raises(s.CaseError):
        s.case_dispatch(case=case, actor=village, to_unit=world.grid_b1)


def test_escalate_goes_up_one_level(world):
    case = make_case(world)
    case = s.case_escalate(case=case, actor=world.users["grid_a1"], reason="需社区协调")
    assert case.owner_unit == world.village_a
    case = s.case_escalate(case=case, actor=world.users["village_a"], reason="需镇里协调")
    assert case.owner_unit == world.town_a


def test_reject_needs_reason_and_is_public(world):
    case = make_case(world)
    with pytest.raises(s.CaseError):
        s.case_reject(case=case, actor=world.users["grid_a1"], reason="")
    case = s.case_reject(case=case, actor=world.users["grid_a1"], reason="属司法程序，请走诉讼")
    assert case.state == State.REJECTED
    assert case.events.public().filter(kind=EventKind.REJECT, note__contains="诉讼").exists()


def test_merge(world):
    a = make_case(world)
    b = make_case(world)
    b = s.case_merge(case=b, actor=world.users["grid_a1"], into=a)
    assert b.state == State.MERGED and b.merged_into == a
    with pytest.raises(s.CaseError):
        s.case_merge(case=a, actor=world.users["grid_a1"], into=a)
    foreign = make_case(world, grid=world.grid_b1, reporter="resident_b")
    with pytest.raises(s.CaseError):
        s.case_merge(case=a, actor=world.users["grid_a1"], into=foreign)


def test_unsatisfied_reopens_to_level_above(world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    s.case_accept(case=case, actor=grid)
    s.case_resolve(case=case, actor=grid, resolution="已处理")
    case = s.case_evaluate(
        case=case, rating=Rating.UNSATISFIED, comment="没修好", phone="13900000001"
    )
    assert case.state == State.REOPENED and case.owner_unit == world.village_a
    assert case.reopen_count == 1 and case.resolve_due_at is not None
    s.case_accept(case=case, actor=world.users["village_a"])


def test_evaluate_needs_reporter(world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    s.case_accept(case=case, actor=grid)
    s.case_resolve(case=case, actor=grid, resolution="已处理")
    with pytest.raises(PermissionDenied):
        s.case_evaluate(case=case, rating=Rating.SATISFIED, phone="13800000000")
    with pytest.raises(PermissionDenied):
        s.case_evaluate(case=case, rating=Rating.SATISFIED, user=world.users["resident_b"])


def test_extension_once_and_approved_by_level_above(world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    s.case_accept(case=case, actor=grid)
    later = case.resolve_due_at + timedelta(days=3)
    case = s.case_extension_request(case=case, actor=grid, until=later, reason="需采购配件")
    with pytest.raises(PermissionDenied):
        s.case_extension_decide(case=case, actor=grid, approve=True)
    case = s.case_extension_decide(case=case, actor=world.users["village_a"], approve=True)
    assert case.resolve_due_at == later
    with pytest.raises(s.CaseError, match="一次"):
        s.case_extension_request(
            case=case, actor=grid, until=later + timedelta(days=1), reason="再延"
        )


def test_extension_refused_keeps_deadline(world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    s.case_accept(case=case, actor=grid)
    due = case.resolve_due_at
    s.case_extension_request(case=case, actor=grid, until=due + timedelta(days=1), reason="忙")
    case = s.case_extension_decide(case=case, actor=world.users["town_a"], approve=False)
    assert case.resolve_due_at == due and case.extension_state == "refused"


def test_reopen_by_town(world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    s.case_accept(case=case, actor=grid)
    s.case_resolve(case=case, actor=grid, resolution="已处理")
    s.case_close(case=case, actor=grid)
    with pytest.raises(PermissionDenied):
        s.case_reopen(case=case, actor=grid, reason="x")
    case = s.case_reopen(case=case, actor=world.users["town_a"], reason="群众再次反映")
    assert case.state == State.REOPENED and case.owner_unit == world.grid_a1


def test_late_accept_is_not_on_time(world):
    now = timezone.now()
    case = make_case(world, now=now - timedelta(days=3))
    case = s.case_accept(case=case, actor=world.users["grid_a1"], now=now)
    assert case.accepted_on_time is False


def test_internal_note_is_not_public(world):
    case = make_case(world)
    s.case_note(case=case, actor=world.users["village_a"], note="内部备注金丝雀")
    assert not case.events.public().filter(note__contains="金丝雀").exists()
    assert case.events.filter(note__contains="金丝雀").exists()
