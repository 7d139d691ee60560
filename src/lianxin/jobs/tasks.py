"""The one Django task behind every job: the worker (``lianxin db_worker``, or RQ's worker
when ``REDIS_URL`` is set) calls it with the job's id."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def run_job(job_id: str) -> dict[str, Any]:
    from lianxin.jobs.services import job_run

    return job_run(job_id=job_id)
