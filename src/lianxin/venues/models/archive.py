"""阵地 archive: the venue record (kind, areas, structure, condition), its hazards and photos."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet


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


class VenueQuerySet(ScopedQuerySet):
    scope_fields = ("unit",)

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


class HazardQuerySet(ScopedQuerySet):
    scope_fields = ("venue__unit",)

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


class PhotoQuerySet(ScopedQuerySet):
    scope_fields = ("venue__unit",)


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
