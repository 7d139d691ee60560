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
    # What residents and staff hear about (issue 15, "being told"); max_length is 12.
    CASE_ACCEPTED = "case_accept", _("诉求已受理")
    CASE_HANDLER = "case_handler", _("承办人变更")
    CASE_RESOLVED = "case_done", _("诉求已办结")
    CASE_REOPENED = "case_reopen", _("诉求重新办理")
    WISH_PUBLISHED = "wish_pub", _("心愿已发布")
    WISH_CLAIMED = "wish_claim", _("心愿被认领")
    WISH_LIT = "wish_lit", _("心愿已点亮")
    BOOKING_APPROVED = "book_ok", _("预约已通过")
    BOOKING_REFUSED = "book_refused", _("预约未通过")
    BOOKING_CANCELLED = "book_cancel", _("预约已取消")
    BOOKING_REMINDER = "book_remind", _("预约提醒")
    WAITLIST_PROMOTED = "promoted", _("候补转正")
    EVENT_CHANGED = "event_change", _("活动变更")
    EVENT_CANCELLED = "event_cancel", _("活动取消")
    DIGEST = "digest", _("每日待办")


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


class Channel(models.TextChoices):
    """Outbound channels a person may choose per kind; in-app (the bell) is always on."""

    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    HELD = "held", _("免打扰暂缓")
    SENDING = "sending", _("发送中")
    RETRY = "retry", _("待重试")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


# A delivery the worker should (re)try once ``next_attempt_at`` has passed.
PENDING_STATUSES = (DeliveryStatus.QUEUED, DeliveryStatus.HELD, DeliveryStatus.RETRY)


class Delivery(TimeStampedModel):
    """One notice on one outbound channel: the delivery log (one row per notice and channel,
    one ``DeliveryAttempt`` per try). The destination is kept masked; the real address is read
    from the person's account when the attempt is made, so the log never holds a phone number."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    destination = models.CharField(_("发送至"), max_length=80, blank=True)  # masked
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    provider_message_id = models.CharField(_("服务商消息编号"), max_length=100, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知发送记录")
        verbose_name_plural = _("通知发送记录")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_one_per_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.status}"


class DeliveryAttempt(models.Model):
    """One try of a delivery: what the provider answered (message id) or the error."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("发送记录"), on_delete=models.CASCADE, related_name="tries"
    )
    attempt = models.PositiveSmallIntegerField(_("第几次"))
    ok = models.BooleanField(_("成功"), default=False)
    provider_message_id = models.CharField(_("服务商消息编号"), max_length=100, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["delivery_id", "attempt"]
        verbose_name = _("发送尝试")
        verbose_name_plural = _("发送尝试")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "attempt"], name="delivery_attempt_once")
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id}#{self.attempt}"


class NotificationPreference(TimeStampedModel):
    """A person's choices: which kinds reach them on which outbound channel, and their quiet
    hours. No row means the defaults (settings): nothing by SMS — a phone number is used only
    for the kinds the person ticked (opt-in) — and the default quiet hours."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    # {"email": ["case_done", ...], "sms": [...]}: the kinds chosen per channel
    channels = models.JSONField(_("渠道选择"), default=dict, blank=True)
    quiet_start = models.TimeField(_("免打扰开始"), null=True, blank=True)
    quiet_end = models.TimeField(_("免打扰结束"), null=True, blank=True)
    sms_consent_at = models.DateTimeField(_("同意短信时间"), null=True, blank=True)

    class Meta:
        ordering = ["user_id"]
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self) -> str:
        return f"{self.user_id}"

    def kinds_for(self, channel: str) -> set[str]:
        return set((self.channels or {}).get(channel) or [])
