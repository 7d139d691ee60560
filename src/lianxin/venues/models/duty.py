"""坐班值班、亮牌服务、持证上岗: the duty roster and the staff's certificates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet
from lianxin.venues.models.archive import Venue

# --- duty roster and the public board (坐班值班、亮牌服务、持证上岗) ------------------------


class DutyQuerySet(ScopedQuerySet):
    scope_fields = ("venue__unit",)


class DutyShift(models.Model):
    """One staff member on duty (坐班) at a venue on one day."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="duty_shifts"
    )
    day = models.DateField(_("日期"), db_index=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("值班人员"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    post = models.CharField(_("岗位"), max_length=50)
    starts = models.TimeField(_("开始"), default="08:30")
    ends = models.TimeField(_("结束"), default="17:30")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DutyQuerySet.as_manager()

    class Meta:
        ordering = ["day", "starts", "id"]
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        constraints = [
            models.UniqueConstraint(fields=["venue", "day", "staff"], name="duty_unique_staff_day"),
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="duty_time_order"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.staff}"


class CertificateQuerySet(ScopedQuerySet):
    scope_fields = ("venue__unit",)


class StaffCertificate(models.Model):
    """持证上岗: a certificate a venue's staff member holds; expiry is tracked and warned."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="certificates"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("持证人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.CharField(_("证书名称"), max_length=60)
    number = models.CharField(_("证书编号"), max_length=40, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["expires_on", "id"]
        verbose_name = _("上岗证书")
        verbose_name_plural = _("上岗证书")
        constraints = [
            models.UniqueConstraint(fields=["venue", "staff", "name"], name="certificate_unique")
        ]

    def __str__(self) -> str:
        return self.name
