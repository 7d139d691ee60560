"""Periodic jobs run once per minute however many ``lianxin worker`` processes are running.

Every worker process (one per app server, or two on one machine for redundancy) ticks once a
minute and asks :func:`claim` for each job before running it. The claim is one portable row per
job (``core.PeriodicRun``, ``job`` unique) moved forward with a compare-and-swap::

    UPDATE core_periodicrun SET slot = M ... WHERE job = X AND slot < M

Exactly one of several concurrent callers for minute ``M`` changes the row (PostgreSQL re-checks
the condition after the first writer commits; SQLite serialises writers), so exactly one runs the
job for that minute; the others skip it. The first claim of a job inserts its row; a second
insert for it fails on the unique constraint and falls back to the update.

A worker that dies while running a job needs no clean-up: its claim covers only that minute, and
the next minute's slot is claimed afresh by any worker (jobs are idempotent, so the next run
catches up whatever the dead one missed). A clock set back by more than
``CLOCK_BACK_RESET`` does not stall the jobs until it catches up again: a stored slot that far
ahead of this process's clock is taken over. (Against the clock, not against the slot asked for:
a worker whose tick started long ago must not take a current claim from another.)
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from lianxin.core.models import PeriodicRun

CLOCK_BACK_RESET = timedelta(minutes=10)


def minute_slot(now: datetime) -> datetime:
    """The minute ``now`` falls in (UTC, seconds dropped): the unit a job runs once in."""
    return now.astimezone(UTC).replace(second=0, microsecond=0)


def holder_name() -> str:
    """Who claims: ``host:pid`` of this process (shown in the admin and the logs)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def _advance(job: str, slot: datetime, holder: str) -> bool:
    stale = Q(slot__lt=slot) | Q(slot__gt=minute_slot(timezone.now()) + CLOCK_BACK_RESET)
    moved = (
        PeriodicRun.objects.filter(job=job)
        .filter(stale)
        .update(slot=slot, holder=holder, started_at=timezone.now(), finished_at=None)
    )
    return moved == 1


def claim(job: str, now: datetime, *, holder: str | None = None) -> bool:
    """Rule: a periodic job runs at most once per minute-slot across all worker processes.

    True: the caller holds ``job`` for the minute of ``now`` and must run it; False: another
    process (or this one) already claimed that minute. Call it outside a long transaction (the
    claim must be visible to the other workers at once).
    """
    slot = minute_slot(now)
    holder = holder or holder_name()
    if _advance(job, slot, holder):
        return True
    if PeriodicRun.objects.filter(job=job).exists():
        return False
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(job=job, slot=slot, holder=holder, started_at=timezone.now())
        return True
    except IntegrityError:  # another worker inserted the job's first row at the same moment
        return _advance(job, slot, holder)


def finish(job: str, now: datetime, *, holder: str | None = None) -> None:
    """Note that the claimed run of ``job`` for the minute of ``now`` ended (ok or failed)."""
    PeriodicRun.objects.filter(
        job=job, slot=minute_slot(now), holder=holder or holder_name()
    ).update(finished_at=timezone.now())
