"""URL kwargs for the jobs routes: a finished dry-run import started by town A's staff, with a
result file; nobody else may see, download or confirm it."""

from __future__ import annotations


def _job(world):
    from lianxin.jobs.models import Job, JobState

    job = Job.objects.filter(title="甲镇金丝雀任务").first()
    if job is None:
        job = Job.objects.create(
            kind="venues.import",
            title="甲镇金丝雀任务",
            runner="lianxin.venues.imports.run_import_job",
            owner=world.users["town_a"],
            unit=world.town_a,
            state=JobState.DONE,
            params={"dry_run": True, "perm": "venues.import_venues"},
            report={"import": {"dry_run": True, "errors": [[3, "甲镇金丝雀错误"]]}},
            # names only: no file is written (the route walk has no private media folder)
            result="jobs/canary/r.xlsx",
            source="jobs/canary/s.xlsx",
            result_name="甲镇金丝雀.xlsx",
        )
    return job


ROUTE_KWARGS = {
    "jobs:job_detail": lambda w: {"pk": _job(w).pk},
    "jobs:job_download": lambda w: {"pk": _job(w).pk},
    "jobs:job_confirm": lambda w: {"pk": _job(w).pk},
}


def CANARIES(world):  # noqa: N802 (the route test's name)
    return ["甲镇金丝雀任务", "甲镇金丝雀错误"]
