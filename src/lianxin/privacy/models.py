"""A resident's request to correct what the platform holds about them (PIPL Art. 46), and the
privacy worker job's daily runs.

A correction goes to the clerks whose staff scope covers ``unit`` (the resident's own unit: their
person record's grid, else their membership's unit); scoping is ``org.scoping`` over that unit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import TimeStampedModel
from lianxin.org.scoping import ScopedQuerySet


class CorrectionKind(models.TextChoices):
    PERSON = "person", _("本人信息")
    HOUSEHOLD = "household", _("户信息")
    CASE = "case", _("诉求")
    WISH = "wish", _("微心愿")
    BOOKING = "booking", _("功能室预约")
    REGISTRATION = "registration", _("活动报名")
    POINTS = "points", _("时长积分")
    OTHER = "other", _("其他")


class CorrectionState(models.TextChoices):
    PENDING = "pending", _("待处理")
    CORRECTED = "corrected", _("已更正")
    DONE = "done", _("已人工处理")
    REJECTED = "rejected", _("不予更正")


class CorrectionQuerySet(ScopedQuerySet):
    scope_fields = ("unit",)


class CorrectionRequest(TimeStampedModel):
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("受理单元"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("信息类别"), max_length=16, choices=CorrectionKind.choices)
    record_ref = models.CharField(_("记录（编号或名称）"), max_length=40, blank=True)
    field = models.CharField(_("字段"), max_length=40, blank=True)
    problem = models.TextField(_("哪里不对"), max_length=500)
    proposed = models.CharField(_("应更正为"), max_length=200, blank=True)
    state = models.CharField(
        _("状态"),
        max_length=12,
        choices=CorrectionState.choices,
        default=CorrectionState.PENDING,
        db_index=True,
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    response = models.CharField(_("处理说明"), max_length=500, blank=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("更正申请")
        verbose_name_plural = _("更正申请")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(response=""),
                name="privacy_correction_rejected_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.record_ref}".strip()


class RetentionRun(models.Model):
    """One run of the retention sweep per local day (the worker calls the job every minute)."""

    day = models.DateField(_("日期"), unique=True)
    ran_at = models.DateTimeField(_("运行时间"))
    counts = models.JSONField(_("处理条数"), default=dict)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("保存期限清理")
        verbose_name_plural = _("保存期限清理")

    def __str__(self) -> str:
        return f"{self.day}"
