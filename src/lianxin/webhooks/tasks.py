"""The Django task behind every webhook try: the worker calls it with the delivery's id; a
failed try queues the next one itself (``run_after``), and ``webhooks.retry_due`` (a periodic
job) catches any that were lost."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def deliver_webhook(delivery_id: int) -> dict[str, Any]:
    from lianxin.webhooks.services import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id)
