"""Orders and decisions built through the services (never by hand)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lianxin.supervision import services


def issue(world, *, actor="town_a", unit=None, case=None, month="", hours=48, now=None):
    now = now or timezone.now()
    return services.order_issue(
        actor=world.users[actor] if isinstance(actor, str) else actor,
        unit=unit or world.village_a,
        case=case,
        month=month,
        title="网格走访进度滞后",
        instruction="请制定补访计划并书面回复。",
        due_at=now + timedelta(hours=hours),
        now=now,
    )


def decide(world, *, actor="town_a", unit=None, kind="interview", order=None, now=None):
    now = now or timezone.now()
    return services.decision_take(
        actor=world.users[actor] if isinstance(actor, str) else actor,
        unit=unit or world.village_a,
        kind=kind,
        reason="三率得分列末位。",
        responsible="东关社区书记",
        due_on=timezone.localdate(now) + timedelta(days=10),
        order=order,
        now=now,
    )
