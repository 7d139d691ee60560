"""议事会议: 阳光议事厅, 板凳会, 业主恳谈会 (a property project's), 民主议事 and 村民代表会议, with
their agenda (topics), invitations, attendance (QR or marked by staff), quorum and the
show-of-hands vote taken on each item."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet


class MeetingKind(models.TextChoices):
    SUNSHINE = "sunshine", _("阳光议事厅")
    BENCH = "bench", _("板凳会")
    OWNERS = "owners", _("业主恳谈会")
    DEMOCRATIC = "democratic", _("民主议事")
    REPRESENTATIVES = "reps", _("村民代表会议")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class QuorumRule(models.TextChoices):
    """How many of the invited must be present for the meeting to decide."""

    NONE = "none", _("不设法定人数")
    HALF = "half", _("过半数受邀人员到会")
    TWO_THIRDS = "two_thirds", _("三分之二以上受邀人员到会")


class VoteRule(models.TextChoices):
    """How many of those present must vote for an item to pass."""

    MAJORITY = "majority", _("到会人员过半数赞成")
    TWO_THIRDS = "two_thirds", _("到会人员三分之二以上赞成")


class Meeting(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("召集单位"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("会议类型"), max_length=12, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    room = models.ForeignKey(
        "rooms.Room",
        verbose_name=_("会场（功能室）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    booking = models.OneToOneField(
        "rooms.Booking",
        verbose_name=_("功能室预约"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting",
    )
    quorum_rule = models.CharField(
        _("法定人数"), max_length=12, choices=QuorumRule.choices, default=QuorumRule.HALF
    )
    vote_rule = models.CharField(
        _("表决规则"), max_length=12, choices=VoteRule.choices, default=VoteRule.MAJORITY
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    host = models.CharField(_("主持人"), max_length=50, blank=True)
    recorder = models.CharField(_("记录人"), max_length=50, blank=True)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("召集人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="convened_meetings",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("议事会议")
        verbose_name_plural = _("议事会议")
        indexes = [models.Index(fields=["unit", "starts_at"], name="meeting_unit_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CheckinHow(models.TextChoices):
    QR = "qr", _("扫码签到")
    MANUAL = "manual", _("工作人员登记")


class Attendance(models.Model):
    """One invitee (or walk-in) of a meeting, and whether and how they signed in."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_attendances",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_attendances",
    )
    name = models.CharField(_("姓名"), max_length=50)
    invited = models.BooleanField(_("受邀"), default=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    how = models.CharField(_("签到方式"), max_length=8, choices=CheckinHow.choices, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="attendance_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="attendance_one_per_user",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(user__isnull=False),
                name="attendance_has_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """One item of the agenda: usually a topic; its minutes and its show-of-hands vote."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    topic = models.ForeignKey(
        "deliberation.Topic",
        verbose_name=_("议题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    title = models.CharField(_("议程"), max_length=100)
    minutes = models.TextField(_("会议记录"), max_length=4000, blank=True)
    voted = models.BooleanField(_("已表决"), default=False)
    votes_for = models.PositiveIntegerField(_("赞成"), default=0)
    votes_against = models.PositiveIntegerField(_("反对"), default=0)
    votes_abstain = models.PositiveIntegerField(_("弃权"), default=0)
    present_at_vote = models.PositiveIntegerField(_("表决时到会人数"), default=0)
    passed = models.BooleanField(_("通过"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("议程")
        verbose_name_plural = _("议程")

    def __str__(self) -> str:
        return self.title
