"""决议 and their 落实: each decision becomes action items (an owner unit, a due date, progress
updates, done) or a request in the 接诉即办 workflow; published on the 村务公开 page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet


class DecisionQuerySet(ScopedQuerySet):
    scope_fields = ("unit",)


class Decision(models.Model):
    item = models.OneToOneField(
        "deliberation.AgendaItem",
        verbose_name=_("议程"),
        on_delete=models.CASCADE,
        related_name="decision",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("决议单位"), on_delete=models.PROTECT, related_name="decisions"
    )
    text = models.TextField(_("决议内容"), max_length=2000)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("转办诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision",
    )
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("决议时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("决议")
        verbose_name_plural = _("决议")

    def __str__(self) -> str:
        return self.text[:40]


class ActionQuerySet(ScopedQuerySet):
    # The owner unit's staff track it; the deciding unit's staff follow it up.
    scope_fields = ("owner_unit", "decision__unit")


class ActionStatus(models.TextChoices):
    TODO = "todo", _("待落实")
    DOING = "doing", _("落实中")
    DONE = "done", _("已完成")


class ActionItem(models.Model):
    decision = models.ForeignKey(
        Decision, verbose_name=_("决议"), on_delete=models.CASCADE, related_name="actions"
    )
    owner_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="deliberation_actions",
    )
    title = models.CharField(_("落实事项"), max_length=100)
    due_on = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.TODO
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("落实事项")
        verbose_name_plural = _("落实事项")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="action_progress_le_100"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status != ActionStatus.DONE and self.due_on < today


class ActionUpdate(models.Model):
    action = models.ForeignKey(
        ActionItem, verbose_name=_("落实事项"), on_delete=models.CASCADE, related_name="updates"
    )
    note = models.CharField(_("进展情况"), max_length=300)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("填报时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("落实进展")
        verbose_name_plural = _("落实进展")

    def __str__(self) -> str:
        return self.note[:40]
