"""督办 orders through their rounds, and decisions to closure: the rules of the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lianxin.audit.models import AuditEvent
from lianxin.notifications.models import Notification
from lianxin.supervision import services
from lianxin.supervision.models import (
    DecisionState,
    OrderKind,
    OrderState,
    RoundOutcome,
    SupervisionOrder,
)
from tests.cases.factories import make_case
from tests.supervision.factories import decide, issue

pytestmark = pytest.mark.django_db


def _reply(world, order, who="village_a", text="已制定补访计划，本周内完成。", now=None):
    return services.order_reply(actor=world.users[who], order=order, reply=text, now=now)


def test_issue_notifies_the_addressed_unit_and_is_audited(world):
    order = issue(world)
    assert order.kind == OrderKind.UNIT
    assert order.issuer_unit == world.town_a
    assert order.state == OrderState.ISSUED and order.round == 1
    assert list(order.rounds.values_list("number", flat=True)) == [1]
    notes = Notification.objects.filter(dedupe_key=f"supervision:{order.pk}:1")
    assert {n.recipient.username for n in notes} == {"village_a"}
    assert AuditEvent.objects.filter(
        target_type="supervision.supervisionorder", target_id=str(order.pk)
    ).exists()


def test_only_the_level_above_issues(world):
    with pytest.raises(PermissionDenied):
        issue(world, actor="village_a")  # the unit never supervises itself
    with pytest.raises(PermissionDenied):
        issue(world, actor="town_b")  # nor a sibling town
    with pytest.raises(PermissionDenied):
        issue(world, actor="grid_a1", unit=world.grid_a2)


def test_an_order_on_a_request_goes_to_its_unit_or_above(world):
    case = make_case(world)
    order = issue(world, actor="supervisor", unit=world.town_a, case=case)
    assert order.kind == OrderKind.CASE and order.case == case and order.month == ""
    with pytest.raises(ValidationError):
        issue(world, actor="supervisor", unit=world.town_b, case=case)


def test_ranking_order_keeps_its_month(world):
    order = issue(world, actor="supervisor", unit=world.town_a, month="2026-11")
    assert order.kind == OrderKind.RANKING and order.month == "2026-11"


@pytest.mark.parametrize("hours", [0, 24 * 91])
def test_reply_deadline_must_be_reasonable(world, hours):
    with pytest.raises(ValidationError):
        issue(world, hours=hours)


def test_reply_then_accept_closes_the_order(world):
    order = issue(world)
    with pytest.raises(PermissionDenied):
        _reply(world, order, who="town_a")  # the issuer does not answer for the unit
    with pytest.raises(ValidationError):
        services.order_accept(actor=world.users["town_a"], order=order)  # nothing to accept
    order = _reply(world, order)
    assert order.state == OrderState.REPLIED
    with pytest.raises(ValidationError):
        _reply(world, order)  # once per round
    with pytest.raises(PermissionDenied):
        services.order_accept(actor=world.users["village_a"], order=order)
    order = services.order_accept(actor=world.users["town_a"], order=order, note="属实")
    assert order.state == OrderState.ACCEPTED and order.accepted_at is not None
    r = order.rounds.get()
    assert r.outcome == RoundOutcome.ACCEPTED and r.review_note == "属实"
    assert Notification.objects.filter(
        recipient=world.users["town_a"], dedupe_key=f"supervision:{order.pk}:reply:1"
    ).exists()


def test_reissue_opens_a_new_round_and_keeps_the_history(world):
    now = timezone.now()
    order = _reply(world, issue(world, now=now), now=now + timedelta(hours=1))
    order = services.order_reissue(
        actor=world.users["town_a"],
        order=order,
        instruction="请补充办结时间和责任人。",
        due_at=now + timedelta(days=3),
        now=now + timedelta(hours=2),
    )
    assert order.state == OrderState.ISSUED and order.round == 2
    first, second = order.rounds.order_by("number")
    assert first.outcome == RoundOutcome.REISSUED and first.reply.startswith("已制定")
    assert second.reply == "" and second.due_at == now + timedelta(days=3)
    order = _reply(
        world, order, text="已补充：由书记负责，周五前办结。", now=now + timedelta(hours=3)
    )
    order = services.order_accept(
        actor=world.users["town_a"], order=order, now=now + timedelta(hours=4)
    )
    assert [r.outcome for r in order.rounds.order_by("number")] == ["reissued", "accepted"]


def test_overdue_is_flagged_and_a_late_reply_stays_late(world):
    now = timezone.now()
    order = issue(world, hours=2, now=now)
    later = now + timedelta(hours=3)
    assert SupervisionOrder.objects.overdue(later).filter(pk=order.pk).exists()
    assert not SupervisionOrder.objects.overdue(now).filter(pk=order.pk).exists()
    order = _reply(world, order, now=later)
    assert not SupervisionOrder.objects.overdue(later).exists()
    assert order.rounds.get().replied_late


def test_an_overdue_order_can_be_reissued_without_a_reply(world):
    now = timezone.now()
    order = issue(world, hours=2, now=now)
    with pytest.raises(ValidationError):  # not overdue yet, no reply
        services.order_reissue(
            actor=world.users["town_a"],
            order=order,
            instruction="请尽快回复。",
            due_at=now + timedelta(days=2),
            now=now,
        )
    order = services.order_reissue(
        actor=world.users["town_a"],
        order=order,
        instruction="逾期未回复，请于明日前回复。",
        due_at=now + timedelta(days=2),
        now=now + timedelta(hours=5),
    )
    assert order.round == 2


def test_decision_followed_to_closure(world):
    order = issue(world)
    decision = decide(world, order=order)
    assert decision.state == DecisionState.OPEN and decision.issuer_unit == world.town_a
    with pytest.raises(PermissionDenied):
        services.decision_note(actor=world.users["village_a"], decision=decision, text="自查")
    services.decision_note(actor=world.users["town_a"], decision=decision, text="已约谈书记。")
    decision = services.decision_close(
        actor=world.users["town_a"], decision=decision, note="整改到位。"
    )
    assert decision.state == DecisionState.CLOSED and decision.closed_at is not None
    assert decision.notes.count() == 1
    with pytest.raises(ValidationError):
        services.decision_note(actor=world.users["town_a"], decision=decision, text="再记一笔")


def test_decision_rules(world):
    with pytest.raises(PermissionDenied):
        decide(world, actor="town_b")
    with pytest.raises(ValidationError):
        decide(world, kind="fine")
    other = issue(world, actor="supervisor", unit=world.town_a)
    with pytest.raises(ValidationError):
        decide(world, order=other)  # an order on another unit
