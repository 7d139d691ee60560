"""What every step shares: the row lock, the save that keeps the rates current, the timeline
event, putting a request in a unit's queue, and who is told about it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.cases.deadlines import compute_due_detail, due_basis_set
from lianxin.cases.models import Case, CaseEvent
from lianxin.cases.services.authority import acting_membership
from lianxin.cases.stats import stats_snapshot, stats_sync
from lianxin.notifications.models import NotificationKind
from lianxin.notifications.services import notify
from lianxin.org import selectors as org_selectors
from lianxin.org.models import Unit

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def _lock(case: Case) -> Case:
    return stats_snapshot(Case.objects.select_for_update().get(pk=case.pk))


def _save(case: Case) -> None:
    """Save and keep the rates rollup current in the same transaction."""
    case.save()
    stats_sync(case)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def unit_above(unit: Unit) -> Unit:
    """The next level up (grid → village → town → county; a department → the county)."""
    parent = unit.parent
    return parent if parent is not None else unit


def unit_staff(unit: Unit) -> list[User]:
    """The staff of the unit itself (not its subtree): who is told about its queue."""
    return list(org_selectors.unit_staff(unit))


def owner_recipients(case: Case) -> list[User]:
    if case.owner_user is not None:
        return [case.owner_user]
    # A CheckConstraint gives every request exactly one owner: a person or a unit's queue.
    return unit_staff(case.owner_unit) if case.owner_unit is not None else []


def case_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


def _event(
    case: Case,
    kind: str,
    *,
    actor: User | None = None,
    note: str = "",
    from_unit: Unit | None = None,
    to_unit: Unit | None = None,
    from_state: str = "",
    is_public: bool = True,
    at: datetime | None = None,
) -> CaseEvent:
    name = post = ""
    if actor is not None:
        name = str(actor)  # the name, or the login masked when it is a phone
        m = acting_membership(actor, case.unit)
        if m is not None:
            post = f"{m.unit.name} {m.post or m.get_role_display()}".strip()
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        actor_name=name[:50],
        actor_post=post[:80],
        from_unit=from_unit,
        to_unit=to_unit,
        from_state=from_state,
        to_state=case.state,
        note=note,
        is_public=is_public,
        created_at=at or timezone.now(),
    )


def _assign_unit(case: Case, unit: Unit, now: datetime) -> None:
    """Put the request in ``unit``'s queue: the queue owns it until someone there accepts."""
    case.owner_user = None
    case.owner_unit = unit
    case.unit = unit
    case.handler_post = ""
    case.dispatched_at = now
    accept_due, resolve_due = compute_due_detail(case.category, case.priority, now)
    case.accept_due_at = accept_due.at
    due_basis_set(case, "accept", accept_due)
    case.accept_warned_at = None
    case.accept_overdue_at = None
    if case.resolve_due_at is None:
        case.resolve_due_at = resolve_due.at
        due_basis_set(case, "resolve", resolve_due)


def _notify_assigned(case: Case, note: str = "") -> None:
    notify(
        recipients=owner_recipients(case),
        kind=NotificationKind.ASSIGNED,
        title=_("新诉求待签收：%(title)s") % {"title": case.title},
        body=note or case.description[:200],
        url=case_url(case),
    )
