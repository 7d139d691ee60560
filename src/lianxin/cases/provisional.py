"""暂按工作日计算: due times counted through a year without an official 节假日安排 are counted
again once the year's schedule is marked complete (run by ``lianxin worker`` every minute).

A due time counted in working days through such a year keeps its basis (start and number of
working days, ``Case.due_basis``). When a year becomes complete the worker counts every such
request again with the official calendar; a due time that moves is written into the request's
timeline (节假日安排更新，办结时限由…调整为…), the on-time flags of steps already taken follow
the new due time, and the rates rollup is brought up to date in the same transaction. A request
still touching another incomplete year waits. The job is idempotent: it does nothing unless a
year is waiting (one query), and a request counted again is no longer provisional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.cases.deadlines import recount
from lianxin.cases.models import Case, EventKind
from lianxin.cases.services.common import _event
from lianxin.cases.stats import stats_snapshot, stats_sync
from lianxin.cases.sweep import warn_window
from lianxin.workdays import calendar
from lianxin.workdays.selectors import recompute_pending_years
from lianxin.workdays.services import recompute_done


@dataclass
class RecountResult:
    years: int = 0
    counted: int = 0
    changed: int = 0
    waiting: int = 0

    def as_dict(self) -> dict[str, int]:
        return self.__dict__.copy()


def _stamp(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


def _reset_marks(case: Case, key: str, due: datetime, now: datetime) -> None:
    """A warning or overdue mark the new due time has not reached yet is cleared, so the sweep
    records it again at the right moment (the old timeline rows stay: they are history)."""
    if getattr(case, f"{key}_warned_at") is not None and due - warn_window() > now:
        setattr(case, f"{key}_warned_at", None)
    if getattr(case, f"{key}_overdue_at") is not None and due > now:
        setattr(case, f"{key}_overdue_at", None)


def _recount_one(case: Case, now: datetime, result: RecountResult) -> None:
    new: dict[str, datetime] = {}
    for key, basis in (case.due_basis or {}).items():
        if key not in ("accept", "resolve"):
            continue
        at, provisional = recount(basis)
        if provisional:  # another year on the way is still without a schedule
            result.waiting += 1
            return
        new[key] = at
    changes = []
    for key, at in new.items():
        old = getattr(case, f"{key}_due_at")
        if old != at:
            setattr(case, f"{key}_due_at", at)
            _reset_marks(case, key, at, now)
            changes.append((key, old, at))
    # Steps already taken are judged against the official due time.
    first = case.first_accepted_at
    if "accept" in new and first and case.dispatched_at and first >= case.dispatched_at:
        case.accepted_on_time = first <= new["accept"]  # accepted within this window
    if "resolve" in new and case.resolved_at:
        case.resolved_on_time = case.resolved_at <= new["resolve"]
    case.due_basis = None
    case.due_provisional = False
    case.save()
    stats_sync(case)
    result.counted += 1
    if not changes:
        return
    result.changed += 1
    labels = {"accept": _("签收时限"), "resolve": _("办结时限")}
    parts = [
        _("%(what)s由 %(old)s 调整为 %(new)s")
        % {"what": labels[key], "old": _stamp(old), "new": _stamp(at)}
        for key, old, at in changes
    ]
    _event(
        case,
        EventKind.DEADLINE,
        note=_("节假日安排更新，%(changes)s。") % {"changes": "；".join(parts)},
        is_public=any(key == "resolve" for key, _o, _a in changes),
        at=now,
    )


def provisional_deadlines_recount(*, now: datetime, batch: int = 200) -> RecountResult:
    """Count provisional due times again after a year's schedule was marked complete."""
    result = RecountResult()
    pending = recompute_pending_years()
    if not pending:
        return result
    result.years = len(pending)
    calendar.invalidate()  # this process may hold the year as it was before it was completed
    ids = list(
        Case.objects.filter(due_provisional=True).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            rows = (
                Case.objects.select_for_update(of=("self",))
                .filter(pk__in=ids[start : start + batch], due_provisional=True)
                .select_related("unit")
                .order_by("pk")
            )
            for case in rows:
                _recount_one(stats_snapshot(case), now, result)
    recompute_done(years=pending)
    return result
