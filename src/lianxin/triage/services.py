"""The 分派助手's writes: training the routing model, "我也遇到", and merging a duplicate.

Training reads the deployment's own past dispatches: every request a unit signed for (accepted,
in progress, resolved, closed; never merged, rejected, or still waiting in a queue, whose unit
nobody has confirmed), with its category and the unit that handled it, learned relative to the
request's place (``labels``). Attaching and merging go through the cases services, which lock,
write the timeline and keep the rates; here they are audited and their preconditions checked.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.services import audit_record
from lianxin.cases import services as cases
from lianxin.cases.models import Case, CoReporter, State
from lianxin.org.models import Unit
from lianxin.triage import labels, learn
from lianxin.triage.models import RoutingModel
from lianxin.triage.text import document

if TYPE_CHECKING:
    from lianxin.accounts.models import User

TRAINED_STATES = (State.ACCEPTED, State.IN_PROGRESS, State.RESOLVED, State.CLOSED)
KEEP_MODELS = 3


def training_rows(limit: int | None = None) -> tuple[list[str], list[str], list[str]]:
    """(documents, category codes, unit labels) of the newest ``limit`` past dispatches."""
    limit = limit or int(getattr(settings, "LIANXIN_TRIAGE_TRAIN_LIMIT", 60_000))
    rows = list(
        Case.objects.filter(state__in=TRAINED_STATES)
        .order_by("-created_at")
        .values_list(
            "title",
            "description",
            "category__code",
            "unit__kind",
            "unit__path",
            "unit__code",
            "grid_id",
            "grid__path",
        )[:limit]
    )
    places: dict[int, str] = {}
    grids = Unit.objects.in_bulk({r[6] for r in rows})
    docs, cats, units = [], [], []
    for title, desc, cat, kind, path, code, grid_id, grid_path in rows:
        if grid_id not in places:
            places[grid_id] = labels.place_of(grids.get(grid_id))
        docs.append(document(f"{title} {desc}", places[grid_id]))
        cats.append(cat)
        units.append(
            labels.unit_label(unit_kind=kind, unit_path=path, unit_code=code, grid_path=grid_path)
        )
    return docs, cats, units


def routing_model_train(*, now: datetime | None = None) -> RoutingModel | None:
    """Fit and store a new model from the past dispatches; None when there are too few.

    Older rows beyond the newest ``KEEP_MODELS`` are pruned (they are only history)."""
    now = now or timezone.now()
    docs, cats, units = training_rows()
    fitted = learn.fit(docs, cats, units)
    if fitted is None:
        return None
    with transaction.atomic():
        row = RoutingModel.objects.create(
            trained_at=now,
            samples=fitted.samples,
            categories=fitted.labels.get("categories", 0),
            units=fitted.labels.get("units", 0),
            blob=fitted.dumps(),
        )
        stale = RoutingModel.objects.order_by("-trained_at", "-id").values_list("pk", flat=True)
        RoutingModel.objects.filter(pk__in=list(stale[KEEP_MODELS:])).delete()
        audit_record(
            action="triage.train",
            target=row,
            username="system",
            extra={"samples": row.samples, "categories": row.categories, "units": row.units},
        )
    return row


def routing_model_due(now: datetime) -> bool:
    """Retrain when there is no model, or nightly: once a day after ``LIANXIN_TRIAGE_TRAIN_HOUR``
    (local time, default 3), or when the newest is more than a day and a half old."""
    newest = RoutingModel.objects.order_by("-trained_at").values_list("trained_at", flat=True)
    last = next(iter(newest[:1]), None)
    if last is None:
        return True
    local = timezone.localtime(now)
    hour = int(getattr(settings, "LIANXIN_TRIAGE_TRAIN_HOUR", 3))
    tonight = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if local < tonight:
        tonight -= timedelta(days=1)
    return last < tonight or now - last > timedelta(hours=36)


def routing_model_job(now: datetime) -> dict:
    """The worker's periodic job (every minute): train when due, else nothing. Idempotent: a
    second run after a training finds it not due."""
    if not routing_model_due(now):
        return {"trained": False}
    row = routing_model_train(now=now)
    return {"trained": row is not None, "samples": row.samples if row else 0}


def duplicate_attach(
    *, case: Case, name: str, phone: str, user: User | None = None, request=None
) -> tuple[CoReporter, bool]:
    """我也遇到: the resident joins ``case`` as a co-reporter (``cases.services.case_co_report``:
    transactional, on the timeline and in the audit trail). The caller has checked that ``case``
    is one of the duplicates shown for the resident's own text and place."""
    return cases.case_co_report(case=case, name=name, phone=phone, user=user)


def duplicate_merge(*, actor: User, case: Case, into: Case, request=None) -> Case:
    """One-click 合并 from the suggestions: ``case`` into ``into`` through ``cases.case_merge``
    (which locks both, checks ``can_handle`` and visibility, and keeps the reporters as
    co-reporters, who are notified). Audited here as a triage merge."""
    if not actor.has_perm("triage.merge_duplicate", case):
        raise PermissionDenied(_("您无权合并该诉求。"))
    with transaction.atomic():
        merged = cases.case_merge(case=case, actor=actor, into=into)
        audit_record(
            action="triage.merge",
            actor=actor,
            target=merged,
            request=request,
            extra={"into": into.code},
        )
    return merged
