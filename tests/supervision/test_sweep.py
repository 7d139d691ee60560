"""The worker's overdue sweep: a missed reply deadline is told once per round."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lianxin.core.registry import periodic_jobs
from lianxin.notifications.models import Notification
from lianxin.supervision import services
from lianxin.supervision.services import orders_overdue_sweep
from tests.supervision.factories import issue

pytestmark = pytest.mark.django_db


def _told(order):
    return set(
        Notification.objects.filter(
            dedupe_key__startswith=f"supervision:{order.pk}:overdue"
        ).values_list("recipient__username", "dedupe_key")
    )


def test_overdue_told_once_per_round(world):
    now = timezone.now()
    order = issue(world, hours=2, now=now)
    replied = issue(world, hours=2, now=now)
    services.order_reply(actor=world.users["village_a"], order=replied, reply="已经办结，请验收。")
    assert orders_overdue_sweep(now=now) == {"overdue_notified": 0}
    later = now + timedelta(hours=3)
    assert orders_overdue_sweep(now=later) == {"overdue_notified": 1}
    assert orders_overdue_sweep(now=later) == {"overdue_notified": 0}  # idempotent
    key = f"supervision:{order.pk}:overdue:1"
    assert _told(order) == {("village_a", key), ("town_a", key)}
    assert _told(replied) == set()
    services.order_reissue(
        actor=world.users["town_a"],
        order=order,
        instruction="逾期未回复，请于明日前回复。",
        due_at=later + timedelta(hours=2),
        now=later,
    )
    assert orders_overdue_sweep(now=later + timedelta(hours=3)) == {"overdue_notified": 1}
    assert len(_told(order)) == 4


def test_the_sweep_is_a_periodic_job():
    assert "supervision.overdue" in dict(periodic_jobs())
