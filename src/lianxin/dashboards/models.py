"""The dashboards' rollup: one row per (unit, month, figure), summed up the tree when built.

A raw row (a wish, an event, a service record …) is counted at its own unit and at every
ancestor of it, so a town's figure is one indexed read of the town's row, never a GROUP BY
over the raw rows on a page view (docs: PERFORMANCE.md "Dashboards"). Built by the worker
(``dashboards.jobs``) for the current and the previous month; the request figures that
``cases.CaseStat`` already keeps in the same transaction are read from it live for the cards,
and rolled up per unit and month here (from ``CaseStat``) for the 12-month trends.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DashboardMonth(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("月份"))
    key = models.CharField(_("指标"), max_length=24)
    num = models.DecimalField(_("数值"), max_digits=18, decimal_places=1, default=0)
    den = models.DecimalField(_("分母"), max_digits=18, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("看板月度汇总")
        verbose_name_plural = _("看板月度汇总")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month", "key"], name="dashboards_month_key")
        ]
        indexes = [models.Index(fields=["month", "unit"], name="dashboards_month_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m} {self.key}={self.num}/{self.den}"


class DashboardBuild(models.Model):
    """When the worker last rebuilt a month (the page's "数据截至 HH:MM"): ``built_at`` for the
    worker figures (None: never built), ``cases_built_at`` for the request figures of the trends,
    with ``cases_mark``, the month's ``CaseStat`` mark they were built from (``rollup``)."""

    month = models.DateField(_("月份"), unique=True)
    built_at = models.DateTimeField(_("汇总时间"), default=timezone.now, null=True)
    cases_built_at = models.DateTimeField(_("诉求指标汇总时间"), null=True, blank=True)
    cases_mark = models.CharField(_("诉求统计标记"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("看板汇总记录")
        verbose_name_plural = _("看板汇总记录")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.built_at or '-'}"
