"""阵地: service-centre venues, their survey campaigns, rooms and bookings, upgrade plans.

From the Wushan article: the county surveyed all 357 村(社) offices (全覆盖摸排) into an
archive (档案信息库), planned upgrades year by year with money from several sources, and
turned office space into rooms residents use at staggered times (功能叠加、错时利用 —
办公场所最小化、服务区域最大化).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _


def _scoped(qs, user, fields):
    from lianxin.org.scoping import scope_queryset

    return scope_queryset(qs, user, fields=fields)


class VenueKind(models.TextChoices):
    SERVICE_CENTER = "service_center", _("党群服务中心")
    CIVILIZATION_STATION = "civilization_station", _("新时代文明实践站")
    BEE_STATION = "bee_station", _("暖蜂驿站")
    DRIVER_HOME = "driver_home", _("司机之家")
    OTHER = "other", _("其他场所")


class Structure(models.TextChoices):
    BRICK_CONCRETE = "brick_concrete", _("砖混")
    FRAME = "frame", _("框架")
    BRICK_WOOD = "brick_wood", _("砖木")
    OTHER = "other", _("其他")


class Condition(models.TextChoices):
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("较差")
    DANGEROUS = "dangerous", _("危房")


class Severity(models.TextChoices):
    LOW = "low", _("一般隐患")
    MEDIUM = "medium", _("较大隐患")
    HIGH = "high", _("重大隐患")


class VenueQuerySet(models.QuerySet):
    def visible_to(self, user) -> VenueQuerySet:
        return _scoped(self, user, ("unit",))

    def service_centers(self) -> VenueQuerySet:
        return self.filter(kind=VenueKind.SERVICE_CENTER)


class Venue(models.Model):
    """One place where the party-mass service is given: a village's centre, a rider station …"""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="venues"
    )
    # The town the venue lies in, copied at creation so county rollups are one GROUP BY.
    town = models.ForeignKey(
        "org.Unit",
        verbose_name=_("所属乡镇"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(
        _("场所类型"), max_length=24, choices=VenueKind.choices, default=VenueKind.SERVICE_CENTER
    )
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    build_year = models.PositiveSmallIntegerField(_("建设年度"), null=True, blank=True)
    floor_area = models.DecimalField(
        _("建筑面积（㎡）"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    office_area = models.DecimalField(
        _("办公面积（㎡）"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    service_area = models.DecimalField(
        _("服务面积（㎡）"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    structure = models.CharField(
        _("房屋结构"), max_length=20, choices=Structure.choices, blank=True
    )
    floors = models.PositiveSmallIntegerField(_("层数"), null=True, blank=True)
    condition = models.CharField(
        _("房屋状况"), max_length=12, choices=Condition.choices, blank=True
    )
    phone = models.CharField(_("中心电话"), max_length=20, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    surveyed_at = models.DateTimeField(_("最近摸排时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "kind", "id"]
        verbose_name = _("阵地")
        verbose_name_plural = _("阵地")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(kind="service_center"),
                name="venue_one_service_center_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(floor_area__isnull=True)
                | Q(office_area__isnull=True)
                | Q(service_area__isnull=True)
                | Q(floor_area__gte=F("office_area") + F("service_area")),
                name="venue_areas_within_floor_area",
            ),
            models.CheckConstraint(
                condition=Q(floors__isnull=True) | Q(floors__gte=1, floors__lte=50),
                name="venue_floors_range",
            ),
            models.CheckConstraint(
                condition=Q(build_year__isnull=True)
                | Q(build_year__gte=1900, build_year__lte=2100),
                name="venue_build_year_range",
            ),
        ]
        indexes = [models.Index(fields=["town", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def service_share(self) -> float | None:
        """服务区域占比: service area over office + service area."""
        if self.office_area is None or self.service_area is None:
            return None
        total = self.office_area + self.service_area
        return float(self.service_area / total) if total else None


class HazardQuerySet(models.QuerySet):
    def visible_to(self, user) -> HazardQuerySet:
        return _scoped(self, user, ("venue__unit",))

    def open(self) -> HazardQuerySet:
        return self.filter(resolved_on__isnull=True)


class VenueHazard(models.Model):
    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="hazards"
    )
    description = models.CharField(_("隐患描述"), max_length=200)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices)
    found_on = models.DateField(_("发现日期"))
    resolved_on = models.DateField(_("消除日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        ordering = ["resolved_on", "-found_on", "id"]
        verbose_name = _("安全隐患")
        verbose_name_plural = _("安全隐患")
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("found_on")),
                name="hazard_resolved_after_found",
            )
        ]

    def __str__(self) -> str:
        return self.description


class PhotoKind(models.TextChoices):
    EXTERIOR = "exterior", _("外景")
    INTERIOR = "interior", _("内景")
    ACCEPTANCE = "acceptance", _("验收照片")
    BEFORE = "before", _("整改前")
    AFTER = "after", _("整改后")
    INSPECTION = "inspection", _("指导检查")
    OTHER = "other", _("其他")


class PhotoQuerySet(models.QuerySet):
    def visible_to(self, user) -> PhotoQuerySet:
        return _scoped(self, user, ("venue__unit",))


class VenuePhoto(models.Model):
    """A photo, re-encoded without EXIF; stored under a random name, served by a scoped view."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="photos"
    )
    plan = models.ForeignKey(
        "venues.UpgradePlan",
        verbose_name=_("提升计划"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    signage_check = models.ForeignKey(
        "compliance.SignageCheck",
        verbose_name=_("挂牌检查"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    inspection = models.ForeignKey(
        "compliance.Inspection",
        verbose_name=_("实地指导"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    task = models.ForeignKey(
        "compliance.RectificationTask",
        verbose_name=_("整改任务"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    kind = models.CharField(
        _("类别"), max_length=12, choices=PhotoKind.choices, default=PhotoKind.OTHER
    )
    image = models.ImageField(_("图片"), upload_to="venues/")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("阵地照片")
        verbose_name_plural = _("阵地照片")

    def __str__(self) -> str:
        return self.caption or self.get_kind_display()


# --- survey campaigns (全覆盖摸排) ---------------------------------------------------------


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> CampaignQuerySet:
        """A campaign is seen by staff above it (its unit in their subtree) and below it."""
        from lianxin.org.scoping import user_scope

        scope = user_scope(user)
        if scope.is_global:
            return self
        if not scope.staff_paths:
            return self.none()
        q = Q()
        for p in scope.staff_paths:
            # the campaign's unit is an ancestor of (or equal to) one of the user's units,
            # or lies inside the user's subtree
            q |= Q(unit__path__startswith=p)
            parts = [s for s in p.split("/") if s]
            ancestors = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
            q |= Q(unit__path__in=ancestors)
        return self.filter(q)


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


class SurveyResponseQuerySet(models.QuerySet):
    def visible_to(self, user) -> SurveyResponseQuerySet:
        return _scoped(self, user, ("venue__unit",))


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


# --- rooms and booking: moved to lianxin.rooms (ADR 0006), same tables ----------------------

# transitional re-export for activities; the lead removes it
from lianxin.rooms.models import (  # noqa: E402, F401
    Audience,
    Booking,
    BookingSlot,
    BookingStatus,
    Room,
    RoomFunction,
    SlotRule,  # not for activities: venues code until rooms takes its services (step 3)
)

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


PLAN_NEXT = {
    PlanStatus.PLANNED: PlanStatus.FUNDED,
    PlanStatus.FUNDED: PlanStatus.UNDER_CONSTRUCTION,
    PlanStatus.UNDER_CONSTRUCTION: PlanStatus.ACCEPTED,
}

FUND_FIELDS = ("fund_provincial", "fund_party_fee", "fund_party_building", "fund_other")


_FUND_SUM = F("fund_provincial") + F("fund_party_fee") + F("fund_party_building") + F("fund_other")


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlanQuerySet:
        return _scoped(self, user, ("venue__unit",))


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


# --- duty roster and the public board (坐班值班、亮牌服务、持证上岗) ------------------------


class DutyQuerySet(models.QuerySet):
    def visible_to(self, user) -> DutyQuerySet:
        return _scoped(self, user, ("venue__unit",))


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


class CertificateQuerySet(models.QuerySet):
    def visible_to(self, user) -> CertificateQuerySet:
        return _scoped(self, user, ("venue__unit",))


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
