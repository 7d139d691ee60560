"""全覆盖摸排: survey campaigns and the answers of every village/community."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet
from lianxin.venues.models.archive import Venue

# --- survey campaigns (全覆盖摸排) ---------------------------------------------------------


class CampaignQuerySet(ScopedQuerySet):
    """A campaign is seen by staff above it (its unit in their subtree) and below it (its unit
    one of theirs or an ancestor of one): ``org.scoping``'s ancestors option."""

    scope_fields = ("unit",)
    scope_ancestors = True


class SurveyCampaign(models.Model):
    """全覆盖摸排: every village/community under ``unit`` fills or confirms its venue record."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("摸排范围"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    due_on = models.DateField(_("截止日期"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("摸排任务")
        verbose_name_plural = _("摸排任务")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="campaign_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class SurveyResponseQuerySet(ScopedQuerySet):
    scope_fields = ("venue__unit",)


class SurveyResponse(models.Model):
    campaign = models.ForeignKey(
        SurveyCampaign,
        verbose_name=_("摸排任务"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="survey_responses"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    snapshot = models.JSONField(_("填报内容"), default=dict)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("摸排填报")
        verbose_name_plural = _("摸排填报")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "venue"], name="survey_response_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.venue}"
