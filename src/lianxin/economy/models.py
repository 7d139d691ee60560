"""村级集体经济: one row per village (or community) per year, income by source, in 元."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import TimeStampedModel
from lianxin.org.scoping import ScopedQuerySet

# (field name, Chinese label): the ledger's sources, in the order the county's form lists them.
SOURCES: tuple[tuple[str, str], ...] = (
    ("operating", _("经营性收入")),
    ("contracting", _("发包及上交")),
    ("investment", _("投资收益")),
    ("subsidy", _("补助")),
    ("other", _("其他")),
    ("tourism", _("旅游")),
)
SOURCE_FIELDS = tuple(name for name, _label in SOURCES)


class VillageIncomeQuerySet(ScopedQuerySet):
    scope_fields = ("village",)


def _amount(label) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2, default=Decimal("0"))


class VillageIncome(TimeStampedModel):
    village = models.ForeignKey(
        "org.Unit",
        verbose_name=_("村（社区）"),
        on_delete=models.PROTECT,
        related_name="collective_incomes",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    operating = _amount(_("经营性收入"))
    contracting = _amount(_("发包及上交"))
    investment = _amount(_("投资收益"))
    subsidy = _amount(_("补助"))
    other = _amount(_("其他"))
    tourism = _amount(_("旅游"))
    note = models.CharField(_("备注"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = VillageIncomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("村级集体经济收入")
        verbose_name_plural = _("村级集体经济收入")
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="economy_income_village_year")
        ]
        indexes = [models.Index(fields=["year", "village"])]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}"

    @property
    def total(self) -> Decimal:
        return sum((getattr(self, f) for f in SOURCE_FIELDS), Decimal("0"))


class NewEconomyQuerySet(ScopedQuerySet):
    scope_fields = ("unit",)


class NewEconomyEnterprise(TimeStampedModel):
    """An enterprise the organisation department counts as 新业态 (delivery, ride-hailing,
    platform and online-retail firms): the 两新 ledger counts it under 新业态企业 instead of
    非公经济组织, as the department's table has three columns (``economy.selectors_two_new``)."""

    unit = models.OneToOneField(
        "org.Unit",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="new_economy_mark",
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("标记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = NewEconomyQuerySet.as_manager()

    class Meta:
        verbose_name = _("新业态企业")
        verbose_name_plural = _("新业态企业")

    def __str__(self) -> str:
        return str(self.unit_id)
