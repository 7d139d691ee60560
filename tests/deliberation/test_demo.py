"""The demo's 议事协商: topics with support, a dozen meetings across the five kinds with minutes
and votes that respect quorum and rule, action items in every state, a published 村务公开 page,
one decision handed to 接诉即办; the step gives the same rows when run again."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lianxin.deliberation.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Decision,
    Meeting,
    MeetingKind,
    Topic,
    TopicSupport,
)
from lianxin.deliberation.services.votes import needed_for, passes
from lianxin.org.models import UnitKind

pytestmark = pytest.mark.django_db


def _build():
    call_command("demo", households=40, only="org,people,cases,deliberation")


def test_demo_deliberation_and_determinism(client):
    _build()
    assert Topic.objects.count() >= 20
    for t in Topic.objects.all():
        assert t.support_count == TopicSupport.objects.filter(topic=t).count()
    assert Topic.objects.filter(support_count__gte=3).exists()
    assert Meeting.objects.count() == 12
    assert set(Meeting.objects.values_list("kind", flat=True)) == set(MeetingKind.values)
    for m in Meeting.objects.filter(kind=MeetingKind.OWNERS):
        assert m.unit.kind == UnitKind.PROPERTY_PROJECT
    voted = AgendaItem.objects.filter(voted=True).select_related("meeting")
    assert voted.count() >= 8
    assert voted.filter(passed=False).exists()
    for item in voted:
        m = item.meeting
        invited = m.attendances.filter(invited=True).count()
        present = m.attendances.filter(checked_in_at__isnull=False).count()
        assert present == item.present_at_vote >= needed_for(m.quorum_rule, invited)
        assert item.votes_for + item.votes_against + item.votes_abstain <= present
        assert item.passed == passes(m.vote_rule, item.votes_for, present)
        assert item.minutes
    today = timezone.localdate()
    states = set(ActionItem.objects.values_list("status", flat=True))
    assert states == set(ActionStatus.values)
    assert ActionItem.objects.exclude(status=ActionStatus.DONE).filter(due_on__lt=today).exists()
    assert Decision.objects.filter(case__isnull=False).count() == 1
    published = Decision.objects.filter(published_at__isnull=False).select_related("unit").first()
    village = (
        published.unit
        if published.unit.kind != UnitKind.PROPERTY_PROJECT
        else published.unit.parent
    )
    page = client.get(reverse("deliberation:public_board", args=[village.code])).content.decode()
    assert published.text in page
    before = _fingerprint()
    _rebuild_step()
    assert _fingerprint() == before  # deterministic: the same county gives the same step


def _fingerprint():
    topics = list(Topic.objects.order_by("id").values_list("title", "support_count", "status"))
    votes = list(AgendaItem.objects.order_by("id").values_list("votes_for", "passed"))
    actions = list(ActionItem.objects.order_by("id").values_list("title", "status", "progress"))
    return topics, votes, actions


def _rebuild_step():
    """Run the deliberation step again on the same county (its own seeded stream)."""
    import random

    from lianxin.core.demo import DemoContext
    from lianxin.deliberation import demo
    from lianxin.org.models import Unit

    Decision.objects.update(case=None)
    Meeting.objects.all().delete()
    Topic.objects.all().delete()
    ctx = DemoContext(
        rng=random.Random(0),
        county_code="620524",
        households=40,
        now=timezone.now(),
        password_hash="",
        log=lambda _msg: None,
        county=Unit.objects.get(kind=UnitKind.COUNTY),
    )
    demo.demo_build(ctx)
