"""Generating, scheduling and opening the monthly briefs.

Rules enforced here:
- one brief per (unit, month), ever: the unique constraint plus a claim (``queued`` → ``running``
  in one UPDATE) make a request made twice, a task delivered twice or a schedule run twice
  generate it once; only a failed brief may be asked for again;
- only a finished month (before the current one) and only a unit of a brief's kind in the
  asker's staff scope (``reports.request_brief``); the job re-checks the owner's scope when it
  runs, since rights may change between asking and running;
- the worker's schedule (``reports_schedule``, a periodic job) queues last month's brief of every
  active unit of the five levels from the 1st on, at most ``LIANXIN_REPORTS_SCHEDULE_BATCH`` new
  ones a minute so the task queue stays free for users' imports and exports; late runs catch up;
- every generation and every download leaves an audit row (a brief holds the unit's requests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.audit.models import AuditAction
from lianxin.audit.services import SYSTEM_ACTOR, audit_record
from lianxin.core import pdf
from lianxin.core.dbrouter import read_replica
from lianxin.core.spreadsheets import workbook_bytes
from lianxin.dashboards.selectors import format_value
from lianxin.org.models import Unit
from lianxin.org.scoping import user_scope
from lianxin.reports import selectors as s
from lianxin.reports import sheets
from lianxin.reports.models import MonthlyReport, ReportState
from lianxin.reports.selectors_brief import brief_build

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.jobs.services import JobRun

logger = logging.getLogger(__name__)
RUNNER = "lianxin.reports.services.run_report_job"
LEVEL_LABELS = {
    "county": gettext_noop("县（区）级"),
    "town": gettext_noop("乡镇（街道）级"),
    "village": gettext_noop("村（社区）级"),
    "grid": gettext_noop("网格级"),
    "department": gettext_noop("职能部门"),
}
PDF_OVERDUE_ROWS = 40
_TRANSACTIONAL_BACKENDS = ("DatabaseBackend", "ImmediateBackend", "DummyBackend")


def schedule_batch() -> int:
    return int(getattr(settings, "LIANXIN_REPORTS_SCHEDULE_BATCH", 50))


def brief_filename(unit: Unit, month: date, ext: str) -> str:
    return _("%(unit)s %(month)s 月度工作简报.%(ext)s") % {
        "unit": unit.name,
        "month": f"{month:%Y-%m}",
        "ext": ext,
    }


def brief_context(brief: s.Brief) -> dict[str, Any]:
    head = brief.headline
    return {
        "brief": brief,
        "level_label": _(LEVEL_LABELS.get(brief.level, "")),
        "headline_rows": [head[i : i + 4] for i in range(0, len(head), 4)],
        "trends": [
            {
                "trend": t,
                "svg": mark_safe(t.svg),  # noqa: S308 (the dashboard's pygal SVG, no script)
                "values": [format_value(v, t.kind) for _m, v in t.points],
                "months": [f"{m:%y-%m}" for m, _v in t.points],
            }
            for t in brief.trends
        ],
        "overdue_shown": brief.overdue[:PDF_OVERDUE_ROWS],
        "ledger_lines": brief.ledger.lines if brief.ledger else [],
        "as_of": brief.dashboard.as_of,
    }


def brief_pdf(brief: s.Brief) -> bytes:
    return pdf.render_pdf("reports/pdf/brief.html", brief_context(brief))


def brief_xlsx(brief: s.Brief) -> bytes:
    return workbook_bytes(sheets.brief_sheets(brief), now=brief.generated_at)


def _check_month(month: date, now: datetime) -> date:
    month = s.month_start(month)
    if month >= s.month_start(timezone.localdate(now)):
        raise ValidationError(_("只能生成已结束月份的简报。"))
    if month.year < 2000:
        raise ValidationError(_("月份无效。"))
    return month


def _check_unit(actor: User, unit: Unit) -> None:
    if unit.kind not in s.REPORT_KINDS or not user_scope(actor).covers(unit):
        raise PermissionDenied
    if not actor.has_perm("reports.request_brief", unit):
        raise PermissionDenied


def report_request(
    *, actor: User, unit: Unit, month: date, request: HttpRequest | None = None
) -> MonthlyReport:
    """The unit's brief of ``month``: the existing one, or a new one built by a job whose
    progress page the asker may watch. A failed brief is asked for again."""
    from lianxin.jobs.services import job_start

    _check_unit(actor, unit)
    month = _check_month(month, timezone.now())
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().filter(unit=unit, month=month).first()
        if report is not None and report.state != ReportState.FAILED:
            return report
        if report is None:
            report = MonthlyReport.objects.create(unit=unit, month=month, requested_by=actor)
        else:
            report.state, report.message, report.requested_by = ReportState.QUEUED, "", actor
            report.save(update_fields=["state", "message", "requested_by"])
        job = job_start(
            owner=actor,
            kind="reports.brief",
            title=_("生成月度简报：%(unit)s %(month)s")
            % {"unit": unit.name, "month": f"{month:%Y-%m}"},
            runner=RUNNER,
            unit=unit,
            # the progress page's 返回 leads to the unit's briefs, where the files are
            params={"report": report.pk, "back_url": reverse("reports:unit", args=[unit.pk])},
            request=request,
        )
        MonthlyReport.objects.filter(pk=report.pk).update(job=job)
        report.job = job
    report.refresh_from_db()
    return report


def run_report_job(run: JobRun) -> None:
    """Job runner: the brief as the job's owner, if they still cover the unit."""
    report = MonthlyReport.objects.select_related("unit").get(pk=run.params["report"])
    _check_unit(run.owner, report.unit)
    run.progress(0, 3, force=True)
    done = report_build(report_id=report.pk, actor=run.owner, progress=run.progress)
    run.report = {"report": report.pk, "built": done}
    run.message = _("月度简报已生成。") if done else _("月度简报已存在，未重复生成。")


def report_build(
    *,
    report_id: int,
    actor: User | None = None,
    now: datetime | None = None,
    progress: Callable[..., Any] | None = None,
) -> bool:
    """Generate one queued brief (PDF, .xlsx, headline figures) and keep it. Claims the row
    first: a brief already running, done or gone is left alone (returns False)."""
    claimed = MonthlyReport.objects.filter(pk=report_id, state=ReportState.QUEUED).update(
        state=ReportState.RUNNING
    )
    if not claimed:
        return False
    report = MonthlyReport.objects.select_related("unit").get(pk=report_id)
    reader = actor if actor is not None else s.system_actor()
    try:
        with read_replica():  # the brief's reads; the writes below go to the primary
            brief = brief_build(actor=reader, unit=report.unit, month=report.month, now=now)
        if progress:
            progress(1, 3, force=True)
        pdf_bytes = brief_pdf(brief)
        if progress:
            progress(2, 3, force=True)
        xlsx_bytes = brief_xlsx(brief)
    except Exception:
        logger.exception("brief %s failed", report_id)
        MonthlyReport.objects.filter(pk=report_id).update(
            state=ReportState.FAILED, message=_("生成出错，请重新生成或联系管理员。")
        )
        raise
    report.pdf.save(
        brief_filename(report.unit, report.month, "pdf"), ContentFile(pdf_bytes), save=False
    )
    report.xlsx.save(
        brief_filename(report.unit, report.month, "xlsx"), ContentFile(xlsx_bytes), save=False
    )
    report.figures = {
        "headline": {f.key: _json(f.value) for f in brief.headline},
        "display": {f.key: f.display for f in brief.headline},
        "cases_total": brief.total.rates.total,
        "overdue_listed": brief.overdue_total,
    }
    report.state, report.generated_at, report.message = ReportState.DONE, brief.generated_at, ""
    report.save(update_fields=["pdf", "xlsx", "figures", "state", "generated_at", "message"])
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        username="" if actor is not None else SYSTEM_ACTOR,
        target=report,
        reason="reports brief",
        extra={"unit": report.unit_id, "month": report.month_text},
    )
    return True


def _json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return float(value) if hasattr(value, "__float__") else str(value)


def _enqueue(report_id: int) -> None:
    from lianxin.reports.tasks import build_report

    def go() -> None:
        build_report.enqueue(report_id)

    transactional = type(build_report.get_backend()).__name__ in _TRANSACTIONAL_BACKENDS
    if connection.in_atomic_block and not transactional:
        transaction.on_commit(go)
    else:
        go()


def reports_schedule(*, now: datetime, batch: int | None = None) -> dict[str, Any]:
    """The worker's monthly run: last month's brief for every active unit of the five levels
    that has none yet, at most ``batch`` new ones per run (oldest units first), each queued as
    a task. Idempotent: a unit and month already there (in any state) is never queued again."""
    batch = schedule_batch() if batch is None else batch
    month = s.previous_month(timezone.localdate(now))
    have = MonthlyReport.objects.filter(month=month).values("unit_id")
    todo = list(
        Unit.objects.filter(is_active=True, kind__in=sorted(s.REPORT_KINDS))
        .exclude(pk__in=have)
        .order_by("depth", "path")
        .values_list("pk", flat=True)[:batch]
    )
    queued = 0
    for unit_id in todo:
        try:
            with transaction.atomic():
                report = MonthlyReport.objects.create(unit_id=unit_id, month=month, created_at=now)
        except IntegrityError:
            continue  # another run made it meanwhile
        _enqueue(report.pk)
        queued += 1
    return {"month": f"{month:%Y-%m}", "queued": queued}


def report_opened(
    *, actor: User, report: MonthlyReport, fmt: str, request: HttpRequest | None = None
) -> None:
    """Audit one download of a brief (EXPORT: it lists the unit's requests)."""
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target=report,
        request=request,
        reason=f"reports brief {fmt}",
        extra={"unit": report.unit_id, "month": report.month_text, "format": fmt},
    )
