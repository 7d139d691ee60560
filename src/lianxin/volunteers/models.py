"""志愿队伍与积分: teams and their members, 党员示范岗 and 责任区 (一区一岗两队), volunteer
hours and points (one ServiceRecord per source) and the point rules.

The tables keep their ``activities_*`` names (moved from ``lianxin.activities``, ADR 0008).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet


# ----------------------------------------------------------------------------- teams and posts
class TeamKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("志愿服务队")
    COMMANDO = "commando", _("党员突击队")
    SERVICE = "service", _("党员服务队")


class Team(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("队伍名称"), max_length=80)
    kind = models.CharField(_("队伍类型"), max_length=12, choices=TeamKind.choices)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("队长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    description = models.CharField(_("服务内容"), max_length=300, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "activities_team"
        ordering = ["unit__path", "kind", "name"]
        verbose_name = _("队伍")
        verbose_name_plural = _("队伍")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="team_unique_name_in_unit")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(
        Team, verbose_name=_("队伍"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("队员"),
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )
    joined_on = models.DateField(_("加入日期"), default=timezone.localdate)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        db_table = "activities_teammember"
        ordering = ["team", "joined_on", "id"]
        verbose_name = _("队员")
        verbose_name_plural = _("队员")
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="team_member_unique")]

    def __str__(self) -> str:
        return f"{self.team_id} · {self.user_id}"


class ModelPost(models.Model):
    """党员示范岗: a party member's post, with a public card."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="model_posts"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("岗位党员"),
        on_delete=models.PROTECT,
        related_name="model_posts",
    )
    title = models.CharField(_("岗位名称"), max_length=80)
    pledge = models.CharField(_("服务承诺"), max_length=300, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "activities_modelpost"
        ordering = ["unit__path", "title"]
        verbose_name = _("党员示范岗")
        verbose_name_plural = _("党员示范岗")
        constraints = [
            models.UniqueConstraint(fields=["unit", "holder", "title"], name="model_post_unique")
        ]

    def __str__(self) -> str:
        return self.title


class ResponsibilityArea(models.Model):
    """责任区: grids or households a party member answers for (一区一岗两队)."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("所在单位"),
        on_delete=models.PROTECT,
        related_name="responsibility_areas",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任党员"),
        on_delete=models.PROTECT,
        related_name="responsibility_areas",
    )
    post = models.ForeignKey(
        ModelPost,
        verbose_name=_("示范岗"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="areas",
    )
    name = models.CharField(_("责任区名称"), max_length=80)
    grids = models.ManyToManyField(
        "org.Unit", verbose_name=_("包含网格"), blank=True, related_name="+"
    )
    households = models.ManyToManyField(
        "people.Household", verbose_name=_("包含住户"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "activities_responsibilityarea"
        ordering = ["unit__path", "name"]
        verbose_name = _("责任区")
        verbose_name_plural = _("责任区")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="resp_area_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


# ----------------------------------------------------------------------------- hours and points
class SourceKind(models.TextChoices):
    ATTENDANCE = "attendance", _("参加活动")
    TRAINING = "training", _("参加培训")
    WISH = "wish", _("点亮心愿")
    VISIT = "visit", _("入户走访")


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未认定")


class PointRule(models.Model):
    """积分规则: points for one kind of source; a unit's rule overrides its ancestors' (county default)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("适用单位"), on_delete=models.PROTECT, related_name="point_rules"
    )
    source_kind = models.CharField(_("积分来源"), max_length=12, choices=SourceKind.choices)
    points = models.PositiveSmallIntegerField(_("积分"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "activities_pointrule"
        ordering = ["unit__path", "source_kind"]
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        constraints = [
            models.UniqueConstraint(fields=["unit", "source_kind"], name="point_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_source_kind_display()} {self.points}"


class ServiceRecord(models.Model):
    """One entry of hours and points; one source (a registration, a wish, a visit) gives one entry."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("志愿者"),
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    source_kind = models.CharField(_("来源"), max_length=12, choices=SourceKind.choices)
    source_id = models.PositiveBigIntegerField(_("来源编号"))
    title = models.CharField(_("事项"), max_length=120)
    occurred_on = models.DateField(_("日期"))
    hours = models.DecimalField(_("时长（小时）"), max_digits=5, decimal_places=1, default=0)
    points = models.PositiveSmallIntegerField(_("积分"), default=0)
    status = models.CharField(
        _("状态"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.PENDING
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "activities_servicerecord"
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("时长积分记录")
        verbose_name_plural = _("时长积分记录")
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_id"], name="service_record_one_per_source"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0), name="service_record_hours_non_negative"
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="service_record_confirmed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "occurred_on"], name="srec_unit_month"),
            models.Index(fields=["user", "occurred_on"], name="srec_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.title}"
