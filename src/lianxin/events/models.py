"""活动: events with sign-up, waiting list and check-in, 便民服务日 queues and training
programmes with their coverage rule.

An event may name a ``Room``; its time is then booked through the room booking service (one
``Booking`` per event, cancelled or moved with it). Without a room the event keeps a
free-text place and room. The tables keep their ``activities_*`` names (ADR 0008).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.org.models import Role
from lianxin.org.scoping import ScopedQuerySet
from lianxin.volunteers.models import ModelPost, Team


# ----------------------------------------------------------------------------- training programmes
class TrainingProgramme(models.Model):
    """全覆盖培训、轮训: who must attend (a role under the unit, or listed people) and who did."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        related_name="training_programmes",
    )
    title = models.CharField(_("培训项目"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    required_role = models.CharField(_("应训角色"), max_length=20, choices=Role.choices, blank=True)
    required_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("应训人员"), blank=True, related_name="+"
    )
    # 参训规则: empty = every session of the programme; N = at least N of its sessions.
    min_sessions = models.PositiveSmallIntegerField(
        _("至少参加场次"), null=True, blank=True, help_text=_("留空表示须参加全部场次。")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "activities_trainingprogramme"
        ordering = ["-year", "title"]
        verbose_name = _("培训项目")
        verbose_name_plural = _("培训项目")

    def __str__(self) -> str:
        return self.title

    def sessions_needed(self, held: int) -> int:
        """How many of the ``held`` sessions count as trained (the programme's rule)."""
        return held if self.min_sessions is None else min(self.min_sessions, held)

    def rule_label(self, held: int) -> str:
        if self.min_sessions is None or self.min_sessions >= held:
            return _("须参加全部 %(m)d 场") % {"m": held}
        return _("须至少参加 %(n)d 场（共 %(m)d 场）") % {"n": self.min_sessions, "m": held}


# ----------------------------------------------------------------------------- events
class EventKind(models.TextChoices):
    SERVICE_DAY = "service_day", _("便民服务日")
    CULTURE = "culture", _("文体活动")
    TRAINING = "training", _("培训")
    PARTY_DAY = "party_day", _("主题党日")
    VOLUNTEER = "volunteer", _("志愿服务")


class SessionKind(models.TextChoices):
    LECTURE = "lecture", _("专题讲座")
    SITE_VISIT = "site_visit", _("现场教学")
    DISCUSSION = "discussion", _("分组研讨")


class Audience(models.TextChoices):
    ALL = "all", _("所有群众")
    PARTY_MEMBERS = "party_members", _("党员")
    VOLUNTEERS = "volunteers", _("志愿者")
    STAFF = "staff", _("村（社区）干部")


class EventStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    CANCELLED = "cancelled", _("已取消")
    CLOSED = "closed", _("已结束")


class EventQuerySet(ScopedQuerySet):
    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now(), status=EventStatus.OPEN)


class Event(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("举办单位"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("活动类型"), max_length=12, choices=EventKind.choices)
    title = models.CharField(_("活动名称"), max_length=100)
    description = models.TextField(_("活动内容"), max_length=2000, blank=True)
    place = models.CharField(_("地点"), max_length=100)
    room = models.CharField(_("功能室"), max_length=60, blank=True)
    venue_room = models.ForeignKey(
        "rooms.Room",
        verbose_name=_("预约功能室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    # The venues booking holding the room for the event's time (cancelled or moved with the event).
    booking = models.OneToOneField(
        "rooms.Booking",
        verbose_name=_("功能室预约"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event",
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    audience = models.CharField(
        _("面向对象"), max_length=16, choices=Audience.choices, default=Audience.ALL
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=EventStatus.choices, default=EventStatus.OPEN
    )
    programme = models.ForeignKey(
        TrainingProgramme,
        verbose_name=_("培训项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    session_kind = models.CharField(
        _("课程形式"), max_length=12, choices=SessionKind.choices, blank=True
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("承办队伍"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    post = models.ForeignKey(
        ModelPost,
        verbose_name=_("示范岗"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    hours = models.DecimalField(_("志愿时长（小时）"), max_digits=5, decimal_places=1, default=0)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组织人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
    )
    # The create form's one-submission token (core.idempotency): the same POST twice is one event.
    form_token = models.CharField(
        _("提交令牌"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        db_table = "activities_event"
        ordering = ["-starts_at", "-id"]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        indexes = [models.Index(fields=["unit", "starts_at"], name="event_unit_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="event_capacity_positive",
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="event_hours_non_negative"),
        ]

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITLISTED = "waitlisted", _("候补")
    CANCELLED = "cancelled", _("已取消")


class Registration(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="registrations"
    )
    # A person's own sign-up names their account; a clerk's desk sign-up (desk_signup.py)
    # names the person, and their account too when they have one (an elder may have none).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报名人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(_("状态"), max_length=12, choices=RegistrationStatus.choices)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        db_table = "activities_registration"
        ordering = ["created_at", "id"]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(status="cancelled"),
                name="registration_one_live_per_user",
            ),
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=~Q(status="cancelled"),
                name="registration_one_live_per_person",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(person__isnull=False),
                name="registration_has_registrant",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_checkin_only_confirmed",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="reg_event_status")]

    def __str__(self) -> str:
        return f"{self.event_id} · {self.user_id}"

    @property
    def attended(self) -> bool:
        return self.checked_in_at is not None

    @property
    def registrant_name(self) -> str:
        """The name on the roster: the person's (desk sign-up) or the account's."""
        return self.person.name if self.person_id else str(self.user)

    @property
    def registrant_phone(self) -> str:
        """The registrant's phone for the sign-in sheet (masked there)."""
        return (self.user.phone if self.user_id else "") or (
            self.person.phone if self.person_id else ""
        )


class ServiceItem(models.Model):
    """便民服务日 item (家电维修, 地毯清洗 …), each with its own numbered queue."""

    event = models.ForeignKey(
        Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="service_items"
    )
    name = models.CharField(_("服务项目"), max_length=40)
    provider = models.CharField(_("提供方"), max_length=60, blank=True)
    last_number = models.PositiveIntegerField(_("已取号"), default=0)
    served_number = models.PositiveIntegerField(_("已叫号"), default=0)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        db_table = "activities_serviceitem"
        ordering = ["event", "id"]
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="service_item_unique"),
            models.CheckConstraint(
                condition=Q(served_number__lte=models.F("last_number")),
                name="service_item_served_le_issued",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def waiting(self) -> int:
        return self.last_number - self.served_number


class QueueTicket(models.Model):
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("服务项目"), on_delete=models.CASCADE, related_name="tickets"
    )
    number = models.PositiveIntegerField(_("号码"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("取号人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("取号时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        db_table = "activities_queueticket"
        ordering = ["item", "number"]
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="queue_ticket_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}-{self.number}"
