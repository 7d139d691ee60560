"""The one hook into 诉求: after a request's step commits, queue its deliveries.

A signal because ``cases`` sits below ``webhooks`` and must not know it exists; the handler
only schedules the service (``deliveries_for_event``) for after the commit, so a rolled-back
step is never pushed, and a failure there is logged without failing the step (robust).
"""

from __future__ import annotations

from django.db import transaction


def case_event_saved(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    from lianxin.webhooks.services import deliveries_for_event, is_hand_off_step

    if not created or raw or not is_hand_off_step(instance):
        return
    pk = instance.pk
    transaction.on_commit(lambda: deliveries_for_event(case_event_id=pk), robust=True)
