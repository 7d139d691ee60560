"""活动与志愿: events with sign-up and check-in, training coverage, teams and model posts,
volunteer hours and points, 党建品牌 and 合理化建议.

An event may name a venues ``Room``; its time is then booked through the venues booking
service (one ``Booking`` per event, cancelled or moved with it). Without a room the event
keeps a free-text place and room.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.org.models import Role


# ----------------------------------------------------------------------------- teams and posts
class TeamKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("志愿服务队")
    COMMANDO = "commando", _("党员突击队")
    SERVICE = "service", _("党员服务队")


class ScopedQuerySet(models.QuerySet):
    scope_fields: tuple[str, ...] = ("unit",)

    def visible_to(self, user):
        from lianxin.org.scoping import scope_queryset

        return scope_queryset(self, user, fields=self.scope_fields)


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
        ordering = ["unit__path", "name"]
        verbose_name = _("责任区")
        verbose_name_plural = _("责任区")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="resp_area_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


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
        ordering = ["item", "number"]
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="queue_ticket_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}-{self.number}"


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


# ----------------------------------------------------------------------------- brands and proposals
class BrandStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已命名")
    REJECTED = "rejected", _("未通过")


class BrandProject(models.Model):
    """党建品牌: registered by a party organisation, approved at the level above, reviewed yearly."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("申报党组织"),
        on_delete=models.PROTECT,
        related_name="brand_projects",
    )
    name = models.CharField(_("品牌名称"), max_length=80)
    summary = models.TextField(_("品牌内涵"), max_length=2000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=BrandStatus.choices, default=BrandStatus.SUBMITTED
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
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("党建品牌")
        verbose_name_plural = _("党建品牌")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="brand_unique_name"),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(decided_at__isnull=False),
                name="brand_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BrandRating(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("较差")


class BrandReview(models.Model):
    project = models.ForeignKey(
        BrandProject, verbose_name=_("党建品牌"), on_delete=models.CASCADE, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    rating = models.CharField(_("评定等次"), max_length=10, choices=BrandRating.choices)
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("品牌年度评审")
        verbose_name_plural = _("品牌年度评审")
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="brand_review_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待评审")
    ADOPTED = "adopted", _("已采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")
    IMPLEMENTED = "implemented", _("已落实")


class Proposal(models.Model):
    """合理化建议: submitted by a member, reviewed, adopted or not; adopted ones tracked to implementation."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField(_("建议标题"), max_length=100)
    content = models.TextField(_("建议内容"), max_length=3000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建议人"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("评审时间"), null=True, blank=True)
    review_note = models.CharField(_("评审意见"), max_length=300, blank=True)
    implementation_due = models.DateField(_("落实期限"), null=True, blank=True)
    implementation_note = models.CharField(_("落实情况"), max_length=300, blank=True)
    implemented_at = models.DateTimeField(_("落实时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("合理化建议")
        verbose_name_plural = _("合理化建议")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(reviewed_at__isnull=False),
                name="proposal_reviewed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="implemented") | Q(implemented_at__isnull=False),
                name="proposal_implemented_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title
