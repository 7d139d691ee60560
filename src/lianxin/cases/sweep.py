"""The deadline sweep (限时办结 → 预警, 超时, 督办), run every minute by ``lianxin worker``.

Deadlines are stored data; the sweep only records what the clock has passed. Each mark is
stamped with the moment it became due (not the moment the sweep ran) and set only when
empty, so running twice, or missing runs and catching up, gives the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.cases.models import AWAITING_ACCEPT_STATES, OPEN_STATES, Case, EventKind, Rating, State
from lianxin.cases.services.closure import EVALUATION_DAYS
from lianxin.cases.services.common import (
    _event,
    case_url,
    owner_recipients,
    unit_above,
    unit_staff,
)
from lianxin.cases.stats import stats_snapshot, stats_sync
from lianxin.notifications.i18n import msg
from lianxin.notifications.models import NotificationKind
from lianxin.notifications.services import notify


def warn_window() -> timedelta:
    return timedelta(hours=getattr(settings, "LIANXIN_CASE_WARN_HOURS", 4))


@dataclass
class SweepResult:
    warned: int = 0
    overdue: int = 0
    supervised: int = 0
    closed_unrated: int = 0

    def as_dict(self) -> dict[str, int]:
        return self.__dict__.copy()


def _before(moment: datetime | None, limit: datetime) -> bool:
    """The step (accept/resolve) had not happened by ``limit``."""
    return moment is None or moment > limit


def _supervise(
    case: Case, due: datetime, what: str, result: SweepResult, *, still_pending: bool
) -> None:
    if case.supervised_at is not None:
        return
    above = unit_above(case.unit)
    case.supervising_unit = above
    case.supervised_at = due
    result.supervised += 1
    _event(
        case,
        EventKind.SUPERVISE,
        to_unit=above,
        is_public=False,
        at=due,
        note=_("%(what)s超时，由%(unit)s督办。") % {"what": what, "unit": above.name},
    )
    if not still_pending:  # recorded for the history (catch-up), but nobody needs telling now
        return
    due_text = f"{timezone.localtime(due):%Y-%m-%d %H:%M}"
    what_msgid = next((m for m in ("签收", "办结") if _(m) == what), what)  # each reader's language
    notify(
        recipients=unit_staff(above) + owner_recipients(case),
        kind=NotificationKind.SUPERVISE,
        title=_("督办：%(title)s") % {"title": case.title},
        body=_("%(what)s已超时（时限 %(due)s）。") % {"what": what, "due": due_text},
        title_msg=msg("督办：%(title)s", title=case.title),
        body_msg=msg("%(what)s已超时（时限 %(due)s）。", what=msg(what_msgid), due=due_text),
        url=case_url(case),
        dedupe_key=f"case:{case.pk}:supervise",
    )


def _sweep_one(case: Case, now: datetime, result: SweepResult) -> None:
    window = warn_window()
    changed: set[str] = set()
    label_accept, label_resolve = _("签收"), _("办结")
    # accept deadline: "pending" is when it was signed for (or otherwise handled), if it was
    if case.accept_due_at is not None:
        due = case.accept_due_at
        warn_at = due - window
        pending = (
            None
            if case.state in AWAITING_ACCEPT_STATES
            else (case.accepted_at or case.closed_at or now)
        )
        if (
            case.accept_warned_at is None
            and warn_at <= now
            and _before(pending, warn_at)
            and due > warn_at
        ):
            case.accept_warned_at = warn_at
            changed.add("accept_warned_at")
            result.warned += 1
            _event(
                case,
                EventKind.WARN,
                is_public=False,
                at=warn_at,
                note=_("距签收时限不足 %(h)d 小时。") % {"h": window.total_seconds() // 3600},
            )
            # A warning is worth sending only while it can still be heeded.
            if case.state in AWAITING_ACCEPT_STATES and due > now:
                notify(
                    recipients=owner_recipients(case),
                    kind=NotificationKind.WARNING,
                    title=_("即将超时未签收：%(title)s") % {"title": case.title},
                    title_msg=msg("即将超时未签收：%(title)s", title=case.title),
                    url=case_url(case),
                    dedupe_key=f"case:{case.pk}:accept_warn:{due.timestamp():.0f}",
                )
        if case.accept_overdue_at is None and due <= now and _before(pending, due):
            case.accept_overdue_at = due
            changed.update({"accept_overdue_at", "supervising_unit", "supervised_at"})
            result.overdue += 1
            _event(case, EventKind.OVERDUE, is_public=False, at=due, note=_("签收超时。"))
            _supervise(
                case, due, label_accept, result, still_pending=case.state in AWAITING_ACCEPT_STATES
            )
    # completion deadline
    if case.resolve_due_at is not None and (
        case.state in OPEN_STATES or case.resolved_at is not None
    ):
        due = case.resolve_due_at
        warn_at = due - window
        if case.resolve_warned_at is None and warn_at <= now and _before(case.resolved_at, warn_at):
            case.resolve_warned_at = warn_at
            changed.add("resolve_warned_at")
            result.warned += 1
            _event(
                case,
                EventKind.WARN,
                is_public=False,
                at=warn_at,
                note=_("距办结时限不足 %(h)d 小时。") % {"h": window.total_seconds() // 3600},
            )
            if case.resolved_at is None and due > now:
                notify(
                    recipients=owner_recipients(case),
                    kind=NotificationKind.WARNING,
                    title=_("即将超过办结时限：%(title)s") % {"title": case.title},
                    title_msg=msg("即将超过办结时限：%(title)s", title=case.title),
                    url=case_url(case),
                    dedupe_key=f"case:{case.pk}:resolve_warn:{due.timestamp():.0f}",
                )
        if case.resolve_overdue_at is None and due <= now and _before(case.resolved_at, due):
            case.resolve_overdue_at = due
            changed.update({"resolve_overdue_at", "supervising_unit", "supervised_at"})
            result.overdue += 1
            _event(case, EventKind.OVERDUE, is_public=False, at=due, note=_("办结超时。"))
            _supervise(case, due, label_resolve, result, still_pending=case.resolved_at is None)
    # seven days without a rating: closed as 未评价
    if case.state == State.RESOLVED and case.resolved_at is not None:
        close_at = case.resolved_at + timedelta(days=EVALUATION_DAYS)
        if close_at <= now:
            case.state = State.CLOSED
            case.rating = Rating.UNRATED
            case.closed_at = close_at
            changed.update({"state", "rating", "closed_at"})
            result.closed_unrated += 1
            _event(
                case,
                EventKind.CLOSE,
                at=close_at,
                from_state=State.RESOLVED,
                note=_("7 日内未评价，自动关闭（未评价）。"),
            )
    if changed:
        case.save(update_fields=[*sorted(changed), "updated_at"])
        # an overdue mark decides a request for 响应率/解决率 (docs/rates.md): the rollup follows
        if changed & {"state", "rating", "accept_overdue_at", "resolve_overdue_at"}:
            stats_sync(case)


def sweep_candidates(now: datetime) -> QuerySet[Case]:
    """The requests a sweep at ``now`` may still change, and no others.

    Open ones near or past a deadline, ones handled in the warning window before it and not yet
    warned, ones handled after it and not yet marked overdue, and resolved ones due for the
    未评价 close. A request handled inside the window but before its deadline is warned and then
    never overdue: it leaves the set once warned (it used to stay in it for good, re-read and
    locked every minute: ~15% of all requests at scale, the sweep's whole cost when nothing is due).
    """
    window = warn_window()
    horizon = now + window
    accept_q = Q(accept_due_at__lte=horizon) & (
        (
            Q(state__in=AWAITING_ACCEPT_STATES)
            & (Q(accept_warned_at__isnull=True) | Q(accept_overdue_at__isnull=True))
        )
        | Q(accept_warned_at__isnull=True, accepted_at__gt=F("accept_due_at") - window)
        | Q(accept_overdue_at__isnull=True, accepted_at__gt=F("accept_due_at"))
    )
    resolve_q = Q(resolve_due_at__lte=horizon) & (
        (
            Q(state__in=OPEN_STATES)
            & (Q(resolve_warned_at__isnull=True) | Q(resolve_overdue_at__isnull=True))
        )
        | Q(resolve_warned_at__isnull=True, resolved_at__gt=F("resolve_due_at") - window)
        | Q(resolve_overdue_at__isnull=True, resolved_at__gt=F("resolve_due_at"))
    )
    close_q = Q(state=State.RESOLVED, resolved_at__lte=now - timedelta(days=EVALUATION_DAYS))
    return Case.objects.filter(accept_q | resolve_q | close_q)


def deadline_sweep(*, now: datetime, batch: int = 500) -> SweepResult:
    """Record warnings, overdue marks, 督办 and 未评价 closes that ``now`` has passed."""
    result = SweepResult()
    ids = list(sweep_candidates(now).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            rows = (
                Case.objects.select_for_update(of=("self",))
                .filter(pk__in=ids[start : start + batch])
                .select_related("unit", "owner_user", "owner_unit")
                .order_by("pk")
            )
            for case in rows:
                _sweep_one(stats_snapshot(case), now, result)
    return result
