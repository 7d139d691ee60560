"""Decisions: only on a passed item; action items with owners, progress and done (closing the
topic); a decision handed to 接诉即办 (linked both ways); publication without personal data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from lianxin.deliberation import services
from lianxin.deliberation.models import ActionStatus, TopicStatus
from tests.deliberation.factories import held_item, make_action, make_decision

pytestmark = pytest.mark.django_db


def test_decision_only_on_a_passed_item(world):
    topic, meeting, item = held_item(world, votes=(0, 2, 0))
    assert item.passed is False
    with pytest.raises(ValidationError):
        services.decision_record(actor=world.users["village_a"], item=item, text="修路灯")


def test_decision_marks_the_topic_decided(world):
    decision = make_decision(world)
    topic = decision.item.topic
    topic.refresh_from_db()
    assert topic.status == TopicStatus.DECIDED
    with pytest.raises(ValidationError):
        services.decision_record(actor=world.users["village_a"], item=decision.item, text="再来")


def test_action_owner_may_be_a_county_department(world):
    decision = make_decision(world)
    action = services.action_add(
        actor=world.users["village_a"],
        decision=decision,
        owner_unit=world.department,
        title="更换路灯",
        due_on=timezone.localdate() + timedelta(days=20),
    )
    assert action.owner_unit == world.department
    with pytest.raises(ValidationError):
        services.action_add(
            actor=world.users["village_a"],
            decision=decision,
            owner_unit=world.village_b,
            title="x",
            due_on=timezone.localdate() + timedelta(days=20),
        )
    # The department's handler reports progress on what it owns.
    services.action_update(actor=world.users["dept"], action=action, note="已采购灯具", progress=40)
    action.refresh_from_db()
    assert (action.status, action.progress) == (ActionStatus.DOING, 40)


def test_progress_then_done_closes_the_topic(world):
    action = make_action(world)
    services.action_update(actor=world.users["town_a"], action=action, note="已报修", progress=30)
    action = services.action_update(
        actor=world.users["village_a"], action=action, note="已修复", progress=80, done=True
    )
    assert action.status == ActionStatus.DONE and action.progress == 100 and action.done_at
    assert [u.progress for u in action.updates.all()] == [30, 100]
    topic = action.decision.item.topic
    topic.refresh_from_db()
    assert topic.status == TopicStatus.CLOSED
    with pytest.raises(ValidationError):
        services.action_update(actor=world.users["village_a"], action=action, note="x", progress=1)


def test_progress_refused_outside_the_owner_and_bounds(world):
    action = make_action(world)
    with pytest.raises(PermissionDenied):
        services.action_update(actor=world.users["village_b"], action=action, note="x", progress=1)
    with pytest.raises(ValidationError):
        services.action_update(
            actor=world.users["village_a"], action=action, note="x", progress=101
        )


def test_overdue(world):
    action = make_action(world)
    assert not action.is_overdue()
    assert action.is_overdue(timezone.localdate() + timedelta(days=31))


def test_decision_to_case_through_intake_linked_both_ways(world, client, login):
    from lianxin.cases.models import Category, Channel

    decision = make_decision(world)
    category = Category.objects.filter(is_active=True).first()
    case = services.decision_to_case(
        actor=world.users["village_a"], decision=decision, category=category
    )
    decision.refresh_from_db()
    assert decision.case == case
    assert case.channel == Channel.STAFF and case.grid.is_under(world.village_a)
    assert decision.text in case.description
    with pytest.raises(ValidationError):
        services.decision_to_case(
            actor=world.users["village_a"], decision=decision, category=category
        )
    login(world.users["village_a"])
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "deliberation-panel" in page and decision.item.meeting.title in page


def test_publish_and_public_page_has_no_personal_data(world, client):
    action = make_action(world)
    decision = action.decision
    url = reverse("deliberation:public_board", args=[world.village_a.code])
    assert decision.text not in client.get(url).content.decode()
    services.decision_publish(actor=world.users["village_a"], decision=decision)
    page = client.get(url).content.decode()
    assert decision.text in page and action.title in page and world.village_a.name in page
    for secret in ("甲金丝雀", "13811112222", "甲党员", "13900000003"):
        assert secret not in page
    services.decision_publish(actor=world.users["village_a"], decision=decision, publish=False)
    assert decision.text not in client.get(url).content.decode()
    assert client.get(reverse("deliberation:public_board", args=["nope"])).status_code == 404
