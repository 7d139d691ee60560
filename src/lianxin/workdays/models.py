"""The working-day calendar as data: the State Council's annual 节假日安排 (days off and 调休
make-up working days), one row per day that differs from Monday–Friday, and one row per year
saying whether that year's official schedule has been entered completely.

A year without a complete schedule still counts its entered days, but every deadline that is
counted through it is provisional (``cases`` marks it 暂按工作日计算) and is counted again once
the year is marked complete.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import TimeStampedModel

FIRST_YEAR = 1950
LAST_YEAR = 2100


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class DaySource(models.TextChoices):
    CHINESE_CALENDAR = "chinese_calendar", _("chinese_calendar 程序包")
    HOLIDAYS = "holidays", _("holidays 程序包")
    NOTICE = "notice", _("国务院办公厅通知（表格导入）")
    MANUAL = "manual", _("手工录入")


class CalendarYear(TimeStampedModel):
    """One year's schedule: entered complete or not. ``revision`` grows with every change to
    the year or its days, so each process's cached copy of the calendar knows when it is stale."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    is_complete = models.BooleanField(_("已录入完整"), default=False)
    source = models.CharField(
        _("来源"), max_length=20, choices=DaySource.choices, default=DaySource.MANUAL
    )
    reference = models.CharField(_("依据文件"), max_length=200, blank=True)
    completed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision = models.PositiveIntegerField(_("修订号"), default=0, editable=False)
    # Set when the year becomes complete: deadlines counted provisionally through it wait for
    # the worker to count them again (``cases.provisional_deadlines``).
    recompute_pending = models.BooleanField(_("待重算时限"), default=False, editable=False)

    class Meta:
        ordering = ["year"]
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="workdays_year_in_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(TimeStampedModel):
    """A day that differs from Monday–Friday: a day off (放假) or a weekend working day (调休)."""

    year = models.ForeignKey(
        CalendarYear, verbose_name=_("年份"), on_delete=models.PROTECT, related_name="days"
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=50)
    source = models.CharField(
        _("来源"), max_length=20, choices=DaySource.choices, default=DaySource.MANUAL
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"
