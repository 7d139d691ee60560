"""Reading jobs: a user sees only the jobs they started, and only while their scope still
covers the job's unit (a clerk moved to another town no longer sees the old town's import)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from lianxin.jobs import rules as job_rules
from lianxin.jobs.models import Job

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def jobs_of(*, user: User) -> QuerySet[Job]:
    return Job.objects.filter(owner=user).select_related("unit")


def job_get(*, user: User, pk: UUID | str) -> Job:
    """The user's own job, or 404 (also for another user's job: its existence is not told)."""
    job = jobs_of(user=user).filter(pk=pk).first()
    if job is None or not job_rules.opens_job.test(user, job):
        raise Http404
    return job
