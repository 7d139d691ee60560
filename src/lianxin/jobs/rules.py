"""Object rules of background jobs (no named permission: any logged-in user may start one
through the page that needs it). A job is its owner's alone, and only while their scope still
covers the job's unit: a clerk moved to another town no longer sees the old town's import."""

from __future__ import annotations

import rules

from lianxin.org.scoping import user_scope


@rules.predicate
def owns_job(user, job) -> bool:
    """The user started the job."""
    return job is not None and job.owner_id is not None and job.owner_id == user.pk


@rules.predicate
def covers_job_unit(user, job) -> bool:
    """The job has no unit, or the user's scope still covers it."""
    return job is not None and (job.unit_id is None or user_scope(user).covers(job.unit))


# Open the progress page, download the result, confirm a dry run: the owner, still in scope.
opens_job = owns_job & covers_job_unit
