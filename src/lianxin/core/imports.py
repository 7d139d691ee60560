"""The shared run of an .xlsx import: the dry-run rollback, the import's audit row and the job.

Every import (``economy.imports``, ``venues.imports``) follows one protocol: upload → a dry run
that writes nothing → the row-by-row report → "确认导入" runs it for real. What is shared:

* ``rollback_if(dry_run)``: a transaction that is rolled back at its end on a dry run, so a dry
  run goes through every service (validation, permission, audit) and still writes nothing;
* ``audit_import``: one ``import`` audit row per real run (never for a dry run) with the
  report's counts, so the audit log says who imported how many rows;
* ``run_import_job``: the background job's body — re-checks the import permission (the
  owner's roles may have changed since the upload), reports progress and stores the report.

Core imports no other app: the audit row goes through ``core.registry.record_audit`` and the
job run is any object with the ``lianxin.jobs.services.JobRun`` attributes used here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.core.registry import record_audit
from lianxin.core.spreadsheets import ImportReport


class _DryRunRollback(Exception):
    pass


@contextmanager
def rollback_if(dry_run: bool) -> Iterator[None]:
    """An atomic block that is rolled back (silently) when ``dry_run`` is true."""
    try:
        with transaction.atomic():
            yield
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass


def audit_import(*, actor: Any, request: Any, reason: str, report: ImportReport) -> None:
    """The audit row of a real import run (a dry run leaves none): its counts."""
    if report.dry_run:
        return
    record_audit(
        action="import",
        actor=actor,
        request=request,
        reason=reason,
        extra={
            "created": report.created,
            "updated": report.updated,
            "errors": len(report.errors),
            "rows": report.total,
        },
    )


Importer = Callable[..., ImportReport]


def run_import_job(run: Any, *, perm: str, importer: Importer) -> None:
    """The job runner of an import: the uploaded file, as the job's owner, with the job's
    dry-run flag. ``importer(actor=, data=, dry_run=, progress=)`` returns the report."""
    if not run.owner.has_perm(perm):
        raise PermissionDenied
    dry_run = bool(run.params.get("dry_run", True))
    run.progress(0, message=_("正在读取表格……"), force=True)  # counting the rows comes first
    working = _("正在检查……") if dry_run else _("正在导入……")

    def progress(done: int, total: int | None = None, *, force: bool = False) -> None:
        run.progress(done, total, message=working, force=force)

    fh: IO[bytes]
    with run.open_source() as fh:
        report = importer(actor=run.owner, data=fh, dry_run=dry_run, progress=progress)
    run.report = {"import": report.as_dict()}
    run.message = (
        _("试导入完成：请核对下方结果，确认无误后点“确认导入”。") if dry_run else _("导入完成。")
    )
