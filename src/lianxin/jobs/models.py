"""Background jobs a user started (imports, large exports) and their progress and result.

The work itself runs as a Django task (``lianxin.jobs.tasks.run_job``) on whatever backend
``TASKS`` names; this row is what the user sees: state, rows done of total, a message, the
report, and a private result file only the owner may download until it expires.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    EXPIRED = "expired", _("已过期")


FINISHED_STATES = {JobState.DONE, JobState.FAILED, JobState.EXPIRED}


def _job_file(instance: Job, filename: str) -> str:
    # Never the user's file name on disk: a random name under the job's folder.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    ext = ext if ext.isalnum() and len(ext) <= 8 else "bin"
    return f"jobs/{instance.created_at:%Y/%m}/{instance.pk}/{uuid.uuid4().hex}.{ext}"


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=64)
    title = models.CharField(_("名称"), max_length=200)
    runner = models.CharField(max_length=200)  # dotted path set by code, never by a user
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("范围"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    source = models.FileField(upload_to=_job_file, blank=True, max_length=300)
    source_name = models.CharField(max_length=200, blank=True)
    result = models.FileField(upload_to=_job_file, blank=True, max_length=300)
    result_name = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="jobs_owner_recent")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def rows_per_second(self) -> float | None:
        if not self.started_at or not self.done:
            return None
        end = self.finished_at or timezone.now()
        seconds = (end - self.started_at).total_seconds()
        return round(self.done / seconds, 1) if seconds > 0 else None

    @property
    def has_result(self) -> bool:
        return bool(self.result) and self.state == JobState.DONE and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.state == JobState.EXPIRED or (
            self.expires_at is not None and self.expires_at <= timezone.now()
        )
