"""URL kwargs for the jobs routes: a finished dry-run venue import of town A, started by the
county administrator (the only role that may import venues, so the only one that can confirm
it), with a result file; nobody else may see, download or confirm it."""

from __future__ import annotations

from pathlib import Path


def _job(world):
    from lianxin.jobs.models import Job, JobState

    job = Job.objects.filter(title="甲镇金丝雀任务").first()
    if job is None:
        job = Job.objects.create(
            kind="venues.import",
            title="甲镇金丝雀任务",
            runner="lianxin.venues.imports.run_import_job",
            owner=world.users["county_admin"],
            unit=world.town_a,
            state=JobState.DONE,
            params={"dry_run": True, "perm": "venues.import_venues"},
            report={"import": {"dry_run": True, "errors": [[3, "甲镇金丝雀错误"]]}},
            result="jobs/canary/r.xlsx",
            source="jobs/canary/s.xlsx",
            result_name="甲镇金丝雀.xlsx",
        )
    # The files exist, so the owner's download and confirm reach them (written in place: the
    # names are fixed, and a test on another worker may be writing the same bytes).
    for field, content in ((job.result, "甲镇金丝雀结果".encode()), (job.source, _sheet())):
        path = Path(field.storage.path(field.name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return job


def _sheet() -> bytes:
    """An import sheet with its header row and no venue: the confirmed import changes nothing."""
    import io

    from openpyxl import Workbook

    from lianxin.venues.imports import sheet_fields

    wb = Workbook()
    wb.active.append([field.header for field in sheet_fields()])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ROUTE_KWARGS = {
    "jobs:job_detail": lambda w: {"pk": _job(w).pk},
    "jobs:job_download": lambda w: {"pk": _job(w).pk},
    "jobs:job_confirm": lambda w: {"pk": _job(w).pk},
}
ROUTE_OWNERS = dict.fromkeys(ROUTE_KWARGS, "county_admin")  # the job's owner


def CANARIES(world):  # noqa: N802 (the route test's name)
    return ["甲镇金丝雀任务", "甲镇金丝雀错误"]
