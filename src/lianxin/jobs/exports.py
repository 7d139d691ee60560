"""Exports: small ones written in the request, large ones by the worker as a job.

An app describes an export once, as a *builder* in the ``lianxin`` package::

    def ranking_sheets(*, actor, params: dict, request=None) -> tuple[str, list[Sheet]]:
        ...                              # scoped reads as ``actor``, from JSON-able ``params``
        audit_record(action=AuditAction.EXPORT, actor=actor, request=request, ...)
        return _("末位问责排名.xlsx"), [Sheet(...)]

and its view returns ``export_response(request, builder="lianxin.cases.exports.ranking_sheets",
params={...}, rows=n, title=_("导出末位问责排名"))``: at most ``LIANXIN_EXPORT_INLINE_ROWS`` rows
come back as the download at once; more go to a job whose progress page offers the file.
The builder runs as the requesting user in both cases, in the worker with the rights the
user has when it runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.module_loading import import_string

from lianxin.core.dbrouter import read_replica
from lianxin.core.spreadsheets import write_workbook, xlsx_response
from lianxin.jobs.services import RUNNER_PREFIX, JobRun, job_start

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.org.models import Unit

RUNNER = "lianxin.jobs.exports.run_export_job"


def inline_limit() -> int:
    """``LIANXIN_EXPORT_INLINE_ROWS``: the most rows an export writes inside the request."""
    return int(getattr(settings, "LIANXIN_EXPORT_INLINE_ROWS", 2000))


def _builder(path: str):
    if not path.startswith(RUNNER_PREFIX):
        raise ValueError(f"export builder must live in the lianxin package: {path!r}")
    return import_string(path)


def export_response(
    request: HttpRequest,
    *,
    builder: str,
    params: dict[str, Any],
    rows: int,
    title: str,
    kind: str = "export",
    unit: Unit | None = None,
) -> HttpResponse:
    """The export as a download now, or (above the inline limit) a job and a redirect to its
    progress page."""
    build = _builder(builder)
    if rows <= inline_limit():
        with read_replica():  # the rows may come from the replica (lianxin.core.dbrouter)
            filename, sheets = build(actor=request.user, params=params, request=request)
            return xlsx_response(filename, sheets)
    job = job_start(
        owner=cast("User", request.user),  # the export views require a logged-in user
        kind=kind,
        title=title,
        runner=RUNNER,
        unit=unit,
        params={**params, "builder": builder, "rows": rows, "back_url": request.path},
        request=request,
    )
    return redirect("jobs:job_detail", pk=job.pk)


@read_replica()  # the rows may come from the replica; the job's own row is written
def run_export_job(run: JobRun) -> None:
    """The job runner of every large export: the builder's sheets into the private result
    file, with progress by rows written."""
    params = dict(run.params)
    build = _builder(params.pop("builder"))
    total = int(params.get("rows") or 0)
    filename, sheets = build(actor=run.owner, params=params, request=None)
    run.progress(0, total, force=True)

    def write(fh) -> None:
        written = write_workbook(sheets, fh, progress=lambda n: run.progress(n, max(total, n)))
        run.progress(written, max(total, written), force=True)

    run.save_result(filename, write)
