"""The Django task that sends one delivery (``notifications.delivery.delivery_attempt``); the
worker (``lianxin db_worker``, or RQ's) runs it, inline with the immediate backend in tests."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def deliver(delivery_id: int) -> dict[str, Any]:
    from lianxin.notifications.delivery import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id)
