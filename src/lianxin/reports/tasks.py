"""The Django task of a scheduled brief (``lianxin db_worker``, or RQ's worker when
``REDIS_URL`` is set): built as the system, narrowed to the brief's unit."""

from __future__ import annotations

from django_tasks import task


@task()
def build_report(report_id: int) -> bool:
    from lianxin.reports.services import report_build

    return report_build(report_id=report_id)
