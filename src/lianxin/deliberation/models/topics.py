"""议题: a concern raised by a resident (phone page), by staff, or from a request or a visit, and
the residents of the unit who support it (附议, once each)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet


class TopicSource(models.TextChoices):
    RESIDENT = "resident", _("群众提出")
    STAFF = "staff", _("干部提出")
    CASE = "case", _("来自诉求")
    VISIT = "visit", _("来自走访")


class TopicStatus(models.TextChoices):
    OPEN = "open", _("征集中")
    SCHEDULED = "scheduled", _("已列入议程")
    DECIDED = "decided", _("已形成决议")
    CLOSED = "closed", _("已办结")


class Topic(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="topics"
    )
    title = models.CharField(_("议题"), max_length=80)
    content = models.TextField(_("议题内容"), max_length=2000)
    source = models.CharField(_("来源"), max_length=10, choices=TopicSource.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=TopicStatus.choices, default=TopicStatus.OPEN
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raised_topics",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("来源诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("来源走访"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    support_count = models.PositiveIntegerField(_("附议人数"), default=0)
    submission_key = models.CharField(max_length=36, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        indexes = [models.Index(fields=["unit", "status"], name="topic_unit_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["raised_by", "submission_key"], name="topic_one_per_submission"
            )
        ]

    def __str__(self) -> str:
        return self.title


class TopicSupport(models.Model):
    topic = models.ForeignKey(
        Topic, verbose_name=_("议题"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("附议人"),
        on_delete=models.CASCADE,
        related_name="topic_supports",
    )
    created_at = models.DateTimeField(_("附议时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("附议")
        verbose_name_plural = _("附议")
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="topic_support_once")]

    def __str__(self) -> str:
        return f"{self.topic_id} · {self.user_id}"
