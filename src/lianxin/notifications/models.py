"""In-app notifications: the bell in the header, and the record of what was sent outbound."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import TimeStampedModel


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("新派单")
    WARNING = "warning", _("临期预警")
    OVERDUE = "overdue", _("超时")
    SUPERVISE = "supervise", _("督办")
    EVALUATION = "evaluation", _("群众评价")
    EXTENSION = "extension", _("延期")
    UPDATE = "update", _("办理进展")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        """A user's notifications are theirs alone (selected by ownership, not by subtree)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(TimeStampedModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=12, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=120)
    body = models.CharField(_("内容"), max_length=500, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # msgid + params of title/body (notifications.i18n), shown in the reader's language
    texts = models.JSONField(_("多语言文本"), default=dict, blank=True, editable=False)
    # Same key twice (a sweep run again) never notifies twice.
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, editable=False)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)  # as shown

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_dedupe_unique"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread")]

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        from lianxin.notifications.i18n import render

        return render((self.texts or {}).get("title"), self.title)

    @property
    def shown_body(self) -> str:
        from lianxin.notifications.i18n import render

        return render((self.texts or {}).get("body"), self.body)
