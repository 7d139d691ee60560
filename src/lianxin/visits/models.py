"""走访: a grid worker's visit to a household (串百家门、知百家情、解百家难)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.org.querysets import ScopedQuerySet

# Households with one of these tags are visited on the shorter interval.
VULNERABLE_TAGS = ("独居老人", "低保户", "残疾人")
# Needs found at the door, offered as tags on the form (free tags are kept as well).
NEED_TAGS = ("就业", "医疗", "住房", "助老", "助残", "教育", "矛盾纠纷", "环境卫生", "政策咨询")


class VisitKind(models.TextChoices):
    ROUTINE = "routine", _("日常走访")
    FOLLOW_UP = "follow_up", _("诉求回访")
    CARE = "care", _("关爱帮扶")
    DISPUTE = "dispute", _("矛盾调解")


def visit_photo_path(instance: Visit, filename: str) -> str:
    return f"visits/{timezone.now():%Y/%m}/{instance.photo_token}.jpg"


class VisitQuerySet(ScopedQuerySet):
    scope_fields = ("grid",)


class Visit(models.Model):
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("走访户"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    # The household's grid when visited: the scoping unit (a later regrid keeps history put).
    grid = models.ForeignKey(
        "org.Unit", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="visits"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("走访人"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visited_at = models.DateTimeField(_("走访时间"), db_index=True)
    kind = models.CharField(
        _("走访类型"), max_length=20, choices=VisitKind.choices, default=VisitKind.ROUTINE
    )
    met = models.CharField(_("见到的人"), max_length=100, blank=True)
    notes = models.TextField(_("走访情况"), blank=True)
    needs = models.JSONField(_("发现的需求"), default=list, blank=True)
    photo = models.FileField(_("照片"), upload_to=visit_photo_path, blank=True)
    photo_token = models.CharField(max_length=32, blank=True, editable=False)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("上报的诉求"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
    )
    wish = models.ForeignKey(
        "wishes.Wish",
        verbose_name=_("发布的微心愿"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
    )
    # The form's one-submission token: the same POST twice is one visit.
    form_token = models.CharField(
        _("提交令牌"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_at", "-id"]
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        indexes = [models.Index(fields=["household", "visited_at"])]

    def __str__(self) -> str:
        return f"{self.household.number} {self.visited_at:%Y-%m-%d}"
