"""Outgoing webhooks (回传推送): the 12345 hand-off.

A *subscription* is a URL a county administrator registered to receive the state changes of
the requests that came from one integration (``integration`` set) or of the requests under one
unit (``integration`` empty). ``unit`` is where the subscription lives in the tree either way
(the integration's unit, or the chosen unit): it scopes who sees the subscription and its log.

A *delivery* is one state change (one ``cases.CaseEvent``) for one subscription, with a stable
``event_id`` the receiver deduplicates on; the pair (subscription, case event) is unique, so the
same step is never queued twice. Each try to POST it is a ``DeliveryAttempt`` row.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    name = models.CharField(_("名称"), max_length=80)
    url = models.URLField(_("推送地址"), max_length=500)
    integration = models.ForeignKey(
        "integrations.Integration",
        verbose_name=_("来源接入方"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="webhook_subscriptions",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    # Fernet token of the signing secret (webhooks.crypto); the secret is shown once, at creation.
    secret_encrypted = models.TextField(editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    deactivated_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("推送订阅")
        verbose_name_plural = _("推送订阅")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["is_active", "integration"], name="webhooks_sub_active")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_for_integration(self) -> bool:
        return self.integration_id is not None


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    event_id = models.UUIDField(_("事件编号"), default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("推送订阅"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    case_event = models.ForeignKey(
        "cases.CaseEvent", verbose_name=_("办理记录"), on_delete=models.CASCADE, related_name="+"
    )
    case_code = models.CharField(_("查询码"), max_length=12, db_index=True)
    event_kind = models.CharField(_("事项"), max_length=12)
    payload = models.JSONField(_("推送内容"))
    state = models.CharField(
        _("状态"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    # The try that ends this round: first round MAX_ATTEMPTS, a replay grants another round.
    attempt_limit = models.PositiveSmallIntegerField(_("尝试次数上限"), default=1)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    # A try in progress holds the row until then; past it (a killed worker) it is tried again.
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_status_code = models.PositiveSmallIntegerField(_("最近状态码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    # Set by a replay until its first try is made, so that try is marked as the replay.
    replay_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("重发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "case_event"], name="webhooks_delivery_once"
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhooks_delivery_due"),
            models.Index(fields=["subscription", "-created_at"], name="webhooks_delivery_sub"),
        ]

    def __str__(self) -> str:
        return f"{self.case_code} {self.event_kind} → {self.subscription_id}"

    @property
    def may_replay(self) -> bool:
        return self.state in (DeliveryState.DELIVERED, DeliveryState.FAILED)


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(
        Delivery, verbose_name=_("推送记录"), on_delete=models.CASCADE, related_name="attempt_rows"
    )
    number = models.PositiveSmallIntegerField(_("第几次"))
    started_at = models.DateTimeField(_("发送时间"))
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    ok = models.BooleanField(_("成功"), default=False)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    replay = models.BooleanField(_("手动重发"), default=False)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("推送尝试")
        verbose_name_plural = _("推送尝试")
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhooks_attempt_number")
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number} {self.status_code or self.error}"
