"""功能室预约: rooms of the venues, their 错时利用 slot rules, and bookings.

Promoted out of ``lianxin.venues`` (ADR 0006) with the same tables (``venues_room`` …): a venue
turns office space into rooms residents use at staggered times (功能叠加、错时利用 —
办公场所最小化、服务区域最大化). Events book a room through ``lianxin.rooms.services``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet


class RoomFunction(models.TextChoices):
    CONVENIENCE = "convenience", _("便民服务")
    DELIBERATION = "deliberation", _("民主议事")
    CHARITY = "charity", _("公益活动")
    CULTURE = "culture", _("文化娱乐")
    CIVILIZATION = "civilization", _("文明实践")
    OFFICE = "office", _("办公")


class Audience(models.TextChoices):
    GENERAL = "general", _("群众")
    ELDERS = "elders", _("老年人")
    CHILDREN = "children", _("儿童青少年")
    MEETING = "meeting", _("议事会议")
    PARTY = "party", _("党员活动")
    VOLUNTEERS = "volunteers", _("志愿服务队")


class RoomQuerySet(ScopedQuerySet):
    scope_fields = ("venue__unit",)

    def bookable_by(self, user) -> RoomQuerySet:
        """Rooms a user may book: staff in their subtree; residents and party members at the
        venues of the village/community (or town) they live in."""
        from lianxin.org.models import UnitKind
        from lianxin.org.scoping import home_area_q, scope_q

        qs = self.filter(is_bookable=True)
        q = scope_q(user, ("venue__unit",))
        if q is None:
            return qs
        home = home_area_q(
            user,
            ("venue__unit",),
            subtree=False,
            ancestors=True,
            membership_units=True,
            kinds=[
                UnitKind.TOWN,
                UnitKind.STREET,
                UnitKind.VILLAGE,
                UnitKind.COMMUNITY,
                UnitKind.GRID,
            ],
        )
        return qs.filter(q | home)


MAX_HORIZON_DAYS = 366


def default_booking_horizon() -> int:
    """A new room's booking horizon: ``LIANXIN_BOOKING_HORIZON_DAYS`` (60 days unless set)."""
    return int(settings.LIANXIN_BOOKING_HORIZON_DAYS)


class Room(models.Model):
    venue = models.ForeignKey(
        "venues.Venue", verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("功能室名称"), max_length=60)
    function = models.CharField(_("功能"), max_length=16, choices=RoomFunction.choices)
    area = models.DecimalField(
        _("面积（㎡）"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    capacity = models.PositiveSmallIntegerField(_("容纳人数"), default=20)
    facilities = models.CharField(_("设施"), max_length=200, blank=True)
    opens_at = models.TimeField(_("开放时间"), default="08:00")
    closes_at = models.TimeField(_("关闭时间"), default="21:00")
    slot_minutes = models.PositiveSmallIntegerField(_("时段长度（分钟）"), default=60)
    requires_approval = models.BooleanField(_("预约需审批"), default=False)
    is_bookable = models.BooleanField(_("开放预约"), default=True)
    booking_horizon_days = models.PositiveSmallIntegerField(
        _("可提前预约天数"),
        default=default_booking_horizon,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HORIZON_DAYS)],
        help_text=_(
            "群众和团体最多可提前多少天预约；本阵地工作人员（含为活动预约）最长可提前一年。"
        ),
    )
    # Secret part of the .ics feed URL, so calendar apps can subscribe without logging in.
    feed_token = models.CharField(max_length=64, default=secrets.token_urlsafe, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        db_table = "venues_room"
        ordering = ["venue_id", "name", "id"]
        verbose_name = _("功能室")
        verbose_name_plural = _("功能室")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="room_hours_order"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__in=[30, 60, 120]), name="room_slot_minutes_allowed"
            ),
            models.UniqueConstraint(fields=["venue", "name"], name="room_unique_name"),
            models.CheckConstraint(
                condition=Q(
                    booking_horizon_days__gte=1, booking_horizon_days__lte=MAX_HORIZON_DAYS
                ),
                name="room_booking_horizon_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue.name} · {self.name}"


class SlotRuleQuerySet(ScopedQuerySet):
    scope_fields = ("room__venue__unit",)


class SlotRule(models.Model):
    """错时利用: within this window on these weekdays the room is reserved for one group."""

    room = models.ForeignKey(
        Room, verbose_name=_("功能室"), on_delete=models.CASCADE, related_name="slot_rules"
    )
    weekdays = models.CharField(
        _("星期"), max_length=7, default="0123456", help_text=_("0=周一 … 6=周日")
    )
    starts = models.TimeField(_("开始"))
    ends = models.TimeField(_("结束"))
    audience = models.CharField(_("服务对象"), max_length=12, choices=Audience.choices)
    note = models.CharField(_("说明"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SlotRuleQuerySet.as_manager()

    class Meta:
        db_table = "venues_slotrule"
        ordering = ["room_id", "starts", "id"]
        verbose_name = _("错时规则")
        verbose_name_plural = _("错时规则")
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="slot_rule_order"),
            models.CheckConstraint(
                condition=Q(weekdays__regex=r"^[0-6]{1,7}$"), name="slot_rule_weekdays"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts:%H:%M}-{self.ends:%H:%M} {self.get_audience_display()}"

    def applies_on(self, weekday: int) -> bool:
        return str(weekday) in self.weekdays


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已确认")
    REJECTED = "rejected", _("已驳回")
    CANCELLED = "cancelled", _("已取消")
    CHECKED_IN = "checked_in", _("已签到")
    NO_SHOW = "no_show", _("未到场")


# Statuses that hold the room's slots; the others release them.
HOLDING_STATUSES = (
    BookingStatus.PENDING,
    BookingStatus.APPROVED,
    BookingStatus.CHECKED_IN,
    BookingStatus.NO_SHOW,
)


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user) -> BookingQuerySet:
        """Staff see their subtree's bookings; anybody sees the bookings they made."""
        from lianxin.org.scoping import scope_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        q = scope_q(user, ("room__venue__unit",))
        if q is None:
            return self
        return self.filter(q | Q(booker=user))


class Booking(models.Model):
    room = models.ForeignKey(
        Room, verbose_name=_("功能室"), on_delete=models.CASCADE, related_name="bookings"
    )
    booker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("预约人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    group_name = models.CharField(_("团体/活动名称"), max_length=60)
    audience = models.CharField(_("服务对象"), max_length=12, choices=Audience.choices)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    attendees = models.PositiveSmallIntegerField(_("预计人数"), default=1)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(
        _("状态"), max_length=12, choices=BookingStatus.choices, db_index=True
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
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    # One form submission makes one booking even when posted twice (idempotency).
    client_token = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        db_table = "venues_booking"
        ordering = ["-starts_at", "-id"]
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_time_order"
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="checked_in"),
                name="booking_checkin_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class BookingSlot(models.Model):
    """One slot of a room held by a booking: the unique (room, starts_at) is what makes a
    double booking impossible, whatever races happen above it."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="slots")
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()

    class Meta:
        db_table = "venues_bookingslot"
        ordering = ["room_id", "starts_at"]
        verbose_name = _("已占用时段")
        verbose_name_plural = _("已占用时段")
        constraints = [
            models.UniqueConstraint(fields=["room", "starts_at"], name="booking_slot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"
