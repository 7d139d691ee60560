"""Starting, running, confirming and expiring background jobs.

A job is started by a view through :func:`job_start` with a *runner*: a function in the
``lianxin`` package (``runner(run: JobRun) -> None``) that does the work as the job's owner,
reports progress through ``run.progress(done, total)``, and leaves a report
(``run.report = {...}``) and/or a result file (``run.save_result(name, write)``). The runner is
called by the Django task :func:`lianxin.jobs.tasks.run_job` on the configured backend (the
database queue and ``lianxin db_worker`` by default; RQ when ``REDIS_URL`` is set; inline with
the immediate backend in tests). Runners re-check the owner's scope when they run, since the
owner's rights may change between upload and run.
"""

from __future__ import annotations

import logging
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.jobs import rules as job_rules
from lianxin.jobs.models import FINISHED_STATES, Job, JobState

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.org.models import Unit

logger = logging.getLogger(__name__)
RUNNER_PREFIX = "lianxin."
# Backends whose enqueue may happen inside the caller's transaction: the database queue
# commits the task row with the job row; the immediate backend runs it on this connection.
_TRANSACTIONAL_BACKENDS = ("DatabaseBackend", "ImmediateBackend", "DummyBackend")


def result_ttl() -> timedelta:
    """``LIANXIN_JOB_RESULT_HOURS`` (default 24): how long a result file may be downloaded."""
    return timedelta(hours=float(getattr(settings, "LIANXIN_JOB_RESULT_HOURS", 24)))


class JobRun:
    """What a runner gets: the job, its params, its uploaded file, and progress reporting.
    Progress is written at most every ``interval`` seconds with a single UPDATE outside any
    transaction of the runner's, so the progress page sees it while the work goes on."""

    def __init__(self, job: Job, *, interval: float = 0.5) -> None:
        self.job = job
        self.report: dict[str, Any] = {}
        self.message = ""
        self._interval, self._last = interval, 0.0

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    @property
    def owner(self) -> User:
        return self.job.owner

    def open_source(self) -> IO[bytes]:
        """The uploaded file, opened for binary reading (a real file: openpyxl seeks in it)."""
        if not self.job.source:
            raise ValidationError(_("任务没有上传的文件。"))
        return self.job.source.open("rb")

    def progress(
        self,
        done: int,
        total: int | None = None,
        *,
        message: str | None = None,
        force: bool = False,
    ) -> None:
        now = time.monotonic()
        self.job.done = done
        if total is not None:
            self.job.total = total
        if message is not None:
            self.job.message = message[:300]
        if not force and now - self._last < self._interval:
            return
        self._last = now
        fields = {"done": self.job.done, "total": self.job.total, "message": self.job.message}
        Job.objects.filter(pk=self.job.pk).update(**fields)

    def save_result(self, filename: str, write: Callable[[IO[bytes]], Any]) -> None:
        """Let ``write(fh)`` write the result into a temporary file, then keep it privately
        under a random name; ``filename`` is what the owner's download will be called."""
        with tempfile.TemporaryFile() as fh:
            write(fh)
            fh.seek(0)
            self.job.result.save(filename, File(fh), save=False)
        self.job.result_name = filename[:200]
        Job.objects.filter(pk=self.job.pk).update(
            result=self.job.result.name, result_name=self.job.result_name
        )


def _enqueue(job: Job) -> None:
    from lianxin.jobs.tasks import run_job

    def go() -> None:
        result = run_job.enqueue(str(job.pk))
        Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])

    transactional = type(run_job.get_backend()).__name__ in _TRANSACTIONAL_BACKENDS
    if connection.in_atomic_block and not transactional:
        transaction.on_commit(go)  # RQ: the worker must find the committed job row
    else:
        go()


def job_start(
    *,
    owner: User,
    kind: str,
    title: str,
    runner: str,
    unit: Unit | None = None,
    params: dict[str, Any] | None = None,
    source: IO[bytes] | bytes | None = None,
    source_name: str = "",
    request: HttpRequest | None = None,
) -> Job:
    """Record a job for ``owner`` (audited), keep its uploaded file privately and queue it.

    ``runner`` is a dotted path inside the ``lianxin`` package; it is chosen by code, never by
    a request, and refused otherwise so no request can make the worker import arbitrary code."""
    if not runner.startswith(RUNNER_PREFIX):
        raise ValueError(f"runner must live in the lianxin package: {runner!r}")
    import_string(runner)  # fail now, in the request, not later in the worker
    with transaction.atomic():
        job = Job(
            owner=owner,
            kind=kind,
            title=title[:200],
            runner=runner,
            unit=unit,
            params=params or {},
            source_name=source_name[:200],
        )
        job.save()
        if source is not None:
            content = ContentFile(source) if isinstance(source, bytes) else File(source)
            job.source.save(source_name or "upload.bin", content, save=True)
        audit_record(
            action=AuditAction.CREATE,
            actor=owner,
            target=job,
            request=request,
            reason=f"job {kind}",
            extra={"params": job.params},
        )
    _enqueue(job)
    return job


def _finish(
    job: Job, *, state: str, message: str, error: str = "", report: dict[str, Any] | None = None
) -> None:
    now = timezone.now()
    job.state, job.message, job.error = state, message[:300], error
    job.finished_at, job.expires_at = now, now + result_ttl()
    if report is not None:
        job.report = report
    if state == JobState.DONE and job.total and job.done < job.total:
        job.done = job.total
    job.save(
        update_fields=[
            "state",
            "message",
            "error",
            "finished_at",
            "expires_at",
            "report",
            "done",
            "total",
        ]
    )


def job_run(*, job_id: str) -> dict[str, Any]:
    """Run one queued job (the task body). Idempotent: a job already running or finished is
    left alone, so a task delivered twice does the work once. A ``ValidationError`` or
    ``PermissionDenied`` from the runner fails the job with its Chinese message; anything
    else fails it with a generic message (details in the log and in ``error``, not shown)."""
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.info("job %s not queued any more; skipped", job_id)
        return {"skipped": True}
    job = Job.objects.select_related("owner", "unit").get(pk=job_id)
    run = JobRun(job)
    try:
        runner = import_string(job.runner) if job.runner.startswith(RUNNER_PREFIX) else None
        if runner is None:
            raise PermissionDenied(job.runner)
        runner(run)
    except ValidationError as exc:
        _finish(job, state=JobState.FAILED, message="；".join(exc.messages), report=run.report)
    except PermissionDenied:
        _finish(job, state=JobState.FAILED, message=_("您已无权执行此任务。"), report=run.report)
    except Http404:
        _finish(
            job,
            state=JobState.FAILED,
            message=_("要处理的内容已不存在，或您已无权查看。"),
            report=run.report,
        )
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            state=JobState.FAILED,
            message=_("处理出错，请稍后重试或联系管理员。"),
            error=traceback.format_exc()[-4000:],
            report=run.report,
        )
    else:
        _finish(job, state=JobState.DONE, message=run.message or _("已完成。"), report=run.report)
    return {"state": job.state, "done": job.done, "total": job.total}


def job_confirm(*, actor: User, job: Job, request: HttpRequest | None = None) -> Job:
    """Run a finished dry run for real ("确认导入"): only by its owner, only while the upload
    is kept, and only if the owner still holds the permission the dry run needed."""
    if not job_rules.owns_job.test(actor, job):
        raise PermissionDenied
    if not job.params.get("dry_run") or job.state != JobState.DONE or job.is_expired:
        raise ValidationError(_("只有未过期、已完成的试导入可以确认导入。"))
    perm = job.params.get("perm")
    if perm and not actor.has_perm(perm):
        raise PermissionDenied(perm)
    # The file may be gone while its name is still stored (cleaned up, lost with a volume).
    if not job.source or not job.source.storage.exists(job.source.name or ""):
        raise ValidationError(_("上传的文件已过期，请重新上传。"))
    with job.source.open("rb") as fh:
        data = fh.read()
    params = {**job.params, "dry_run": False, "confirms": str(job.pk)}
    return job_start(
        owner=actor,
        kind=job.kind,
        title=job.title.replace(_("试导入"), _("导入")),
        runner=job.runner,
        unit=job.unit,
        params=params,
        source=data,
        source_name=job.source_name,
        request=request,
    )


def job_result_opened(*, actor: User, job: Job, request: HttpRequest | None = None) -> None:
    """Audit one download of a job's result. Rule: every download is an EXPORT row naming the
    file, since the file may hold personal data (the view lets only the owner download)."""
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target=job,
        request=request,
        reason=f"job result {job.kind}",
        extra={"file": job.result_name},
    )


def _delete_files(job: Job) -> None:
    for f in (job.source, job.result):
        if f:
            f.delete(save=False)


def jobs_expire(*, now: datetime | None = None) -> int:
    """Delete the uploaded and result files of finished jobs past ``expires_at`` and mark
    them expired; fail jobs queued or running for over ``LIANXIN_JOB_STALE_HOURS`` (default
    12: the worker was not running, or died mid-job), so no progress page spins forever.
    A periodic job of ``lianxin worker``; idempotent. Returns the number of jobs expired."""
    now = now or timezone.now()
    stale = now - timedelta(hours=float(getattr(settings, "LIANXIN_JOB_STALE_HOURS", 12)))
    for job in Job.objects.filter(
        state__in=[JobState.QUEUED, JobState.RUNNING], created_at__lt=stale
    ).iterator():
        _finish(
            job,
            state=JobState.FAILED,
            message=_("任务未能完成（后台处理进程可能未运行或已中断），请重新发起。"),
        )
    count = 0
    for job in Job.objects.filter(
        state__in=FINISHED_STATES - {JobState.EXPIRED}, expires_at__lte=now
    ).iterator():
        _delete_files(job)
        job.state = JobState.EXPIRED
        job.save(update_fields=["state", "source", "result"])
        count += 1
    return count
