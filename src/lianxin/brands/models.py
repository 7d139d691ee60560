"""党建品牌 and 合理化建议: brands registered by a party organisation and approved and
reviewed at the level above; members' proposals reviewed and tracked to implementation.

The tables keep their ``activities_*`` names (ADR 0008).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet


# ----------------------------------------------------------------------------- brands and proposals
class BrandStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已命名")
    REJECTED = "rejected", _("未通过")


class BrandProject(models.Model):
    """党建品牌: registered by a party organisation, approved at the level above, reviewed yearly."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("申报党组织"),
        on_delete=models.PROTECT,
        related_name="brand_projects",
    )
    name = models.CharField(_("品牌名称"), max_length=80)
    summary = models.TextField(_("品牌内涵"), max_length=2000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=BrandStatus.choices, default=BrandStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "activities_brandproject"
        ordering = ["-created_at", "-id"]
        verbose_name = _("党建品牌")
        verbose_name_plural = _("党建品牌")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="brand_unique_name"),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(decided_at__isnull=False),
                name="brand_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BrandRating(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("较差")


class BrandReview(models.Model):
    project = models.ForeignKey(
        BrandProject, verbose_name=_("党建品牌"), on_delete=models.CASCADE, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    rating = models.CharField(_("评定等次"), max_length=10, choices=BrandRating.choices)
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        db_table = "activities_brandreview"
        ordering = ["-year"]
        verbose_name = _("品牌年度评审")
        verbose_name_plural = _("品牌年度评审")
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="brand_review_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待评审")
    ADOPTED = "adopted", _("已采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")
    IMPLEMENTED = "implemented", _("已落实")


class Proposal(models.Model):
    """合理化建议: submitted by a member, reviewed, adopted or not; adopted ones tracked to implementation."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField(_("建议标题"), max_length=100)
    content = models.TextField(_("建议内容"), max_length=3000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建议人"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("评审时间"), null=True, blank=True)
    review_note = models.CharField(_("评审意见"), max_length=300, blank=True)
    implementation_due = models.DateField(_("落实期限"), null=True, blank=True)
    implementation_note = models.CharField(_("落实情况"), max_length=300, blank=True)
    implemented_at = models.DateTimeField(_("落实时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "activities_proposal"
        ordering = ["-created_at", "-id"]
        verbose_name = _("合理化建议")
        verbose_name_plural = _("合理化建议")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(reviewed_at__isnull=False),
                name="proposal_reviewed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="implemented") | Q(implemented_at__isnull=False),
                name="proposal_implemented_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title
