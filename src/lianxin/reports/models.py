"""Monthly briefs kept for download: one row per (unit, month), never two.

The PDF and the .xlsx are written by the task queue (``services.report_build``), either when
a user asks for the brief on the unit's report page (a job with a progress page) or when the
worker's monthly schedule (``jobs.PERIODIC_JOBS``) reaches the unit on the 1st. The files are
kept privately (random names under ``reports/``) and served only through the scoped, audited
download views.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet


class ReportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


def _report_file(instance: MonthlyReport, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    ext = ext if ext in ("pdf", "xlsx") else "bin"
    return f"reports/{instance.month:%Y/%m}/{uuid.uuid4().hex}.{ext}"


class MonthlyReportQuerySet(ScopedQuerySet):
    """A staff user sees the briefs of the units in their subtrees."""

    scope_fields = ("unit",)


class MonthlyReport(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("月份"))  # the first day of the month reported on
    state = models.CharField(
        _("状态"), max_length=16, choices=ReportState.choices, default=ReportState.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.FileField(upload_to=_report_file, blank=True, max_length=300)
    xlsx = models.FileField(upload_to=_report_file, blank=True, max_length=300)
    figures = models.JSONField(_("主要数据"), default=dict, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("月度简报")
        verbose_name_plural = _("月度简报")
        ordering = ["-month", "unit__path"]
        constraints = [
            models.UniqueConstraint("unit", "month", name="reports_one_brief_per_unit_month")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"

    @property
    def month_text(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def ready(self) -> bool:
        return self.state == ReportState.DONE and bool(self.pdf)
