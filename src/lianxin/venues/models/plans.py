"""提升计划: upgrade plans with their funding sources and dated stages."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet
from lianxin.venues.models.archive import Venue

# --- upgrade plans (提升计划) --------------------------------------------------------------


class WorkType(models.TextChoices):
    REPAIR = "repair", _("维修")
    RENOVATION = "renovation", _("改造")
    EXTENSION = "extension", _("扩建")
    NEW_BUILD = "new_build", _("新建")


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    FUNDED = "funded", _("资金到位")
    UNDER_CONSTRUCTION = "under_construction", _("施工中")
    ACCEPTED = "accepted", _("已验收")


PLAN_NEXT: dict[str, PlanStatus] = {
    PlanStatus.PLANNED: PlanStatus.FUNDED,
    PlanStatus.FUNDED: PlanStatus.UNDER_CONSTRUCTION,
    PlanStatus.UNDER_CONSTRUCTION: PlanStatus.ACCEPTED,
}

FUND_FIELDS = ("fund_provincial", "fund_party_fee", "fund_party_building", "fund_other")


_FUND_SUM = F("fund_provincial") + F("fund_party_fee") + F("fund_party_building") + F("fund_other")


class PlanQuerySet(ScopedQuerySet):
    scope_fields = ("venue__unit",)


class UpgradePlan(models.Model):
    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    work_type = models.CharField(_("实施类型"), max_length=12, choices=WorkType.choices)
    target_area = models.DecimalField(
        _("目标建筑面积（㎡）"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    style_notes = models.TextField(_("建筑风貌"), blank=True)
    interior_notes = models.TextField(_("内陈布置"), blank=True)
    budget = models.DecimalField(_("预算（万元）"), max_digits=10, decimal_places=2)
    fund_provincial = models.DecimalField(
        _("省市资金"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    fund_party_fee = models.DecimalField(
        _("县管党费"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    fund_party_building = models.DecimalField(
        _("基层党建经费"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    fund_other = models.DecimalField(
        _("其他资金"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    status = models.CharField(
        _("进度"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    funded_on = models.DateField(_("资金到位日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "venue__unit__path", "id"]
        verbose_name = _("提升计划")
        verbose_name_plural = _("提升计划")
        constraints = [
            models.UniqueConstraint(fields=["venue", "year"], name="plan_one_per_venue_year"),
            # Exact in the service (Decimal); here within half a fen, as SQLite sums decimals
            # as floating point.
            models.CheckConstraint(
                condition=Q(budget__gte=_FUND_SUM - Value(Decimal("0.005")))
                & Q(budget__lte=_FUND_SUM + Value(Decimal("0.005"))),
                name="plan_funds_add_up",
            ),
            models.CheckConstraint(
                condition=Q(
                    budget__gte=0,
                    fund_provincial__gte=0,
                    fund_party_fee__gte=0,
                    fund_party_building__gte=0,
                    fund_other__gte=0,
                ),
                name="plan_money_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_on__isnull=False),
                name="plan_accepted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="plan_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.venue.name} {self.get_work_type_display()}"
