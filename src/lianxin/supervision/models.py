"""督办问责: orders the level above issues to a unit, their rounds of reply and review, and the
accountability decisions (约谈, 通报, 限期整改) taken on the monthly 末位 list.

An order is addressed to one unit (``unit``): on a request (``case``; the request's handling
unit or a unit above it that answers for it), on the unit itself, or on a 末位 ranking entry
(``month`` of the ranking). Each issue or re-issue is a round (``OrderRound``) with its own
instruction, reply deadline, the unit's written reply and the issuer's review; a re-issue opens
the next round and keeps the earlier ones. Overdue is a query over stored deadlines, never a
timer (as the requests' deadlines are).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.org.scoping import ScopedQuerySet


class OrderKind(models.TextChoices):
    CASE = "case", _("诉求督办")
    UNIT = "unit", _("单位督办")
    RANKING = "ranking", _("末位督办")


class OrderState(models.TextChoices):
    ISSUED = "issued", _("待回复")
    REPLIED = "replied", _("待验收")
    ACCEPTED = "accepted", _("已验收")


class RoundOutcome(models.TextChoices):
    PENDING = "", _("待审核")
    ACCEPTED = "accepted", _("验收通过")
    REISSUED = "reissued", _("重新督办")


class OrderQuerySet(ScopedQuerySet):
    scope_fields = ("unit",)

    def overdue(self, now=None) -> OrderQuerySet:
        """Awaiting the unit's reply past the current round's deadline."""
        return self.filter(overdue_q(now or timezone.now()))


def overdue_q(now) -> Q:
    return Q(state=OrderState.ISSUED, reply_due_at__lt=now)


class SupervisionOrder(models.Model):
    kind = models.CharField(_("督办类型"), max_length=10, choices=OrderKind.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("被督办单位"),
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    issuer_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("督办单位"),
        on_delete=models.PROTECT,
        related_name="supervision_orders_issued",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("诉求"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_orders",
    )
    month = models.CharField(_("排名月份"), max_length=7, blank=True, default="")
    title = models.CharField(_("督办事项"), max_length=120)
    state = models.CharField(
        _("状态"), max_length=10, choices=OrderState.choices, default=OrderState.ISSUED
    )
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    reply_due_at = models.DateTimeField(_("回复时限"), db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("督办时间"), db_index=True)
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    # the last round whose missed deadline was told to the unit and the issuer (the sweep)
    overdue_notified_round = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ("-issued_at", "-pk")
        indexes = [models.Index(fields=("state", "reply_due_at"))]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"DB{self.pk:06d}" if self.pk else ""

    def is_overdue(self, now=None) -> bool:
        return self.state == OrderState.ISSUED and self.reply_due_at < (now or timezone.now())


class OrderRound(models.Model):
    order = models.ForeignKey(
        SupervisionOrder, verbose_name=_("督办单"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("轮次"))
    instruction = models.TextField(_("督办要求"), max_length=2000)
    due_at = models.DateTimeField(_("回复时限"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("督办时间"))
    reply = models.TextField(_("书面回复"), max_length=4000, blank=True, default="")
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    outcome = models.CharField(
        _("审核结果"), max_length=10, choices=RoundOutcome.choices, blank=True, default=""
    )
    review_note = models.TextField(_("审核意见"), max_length=2000, blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办轮次")
        verbose_name_plural = _("督办轮次")
        ordering = ("order", "number")
        constraints = [
            models.UniqueConstraint(fields=("order", "number"), name="supervision_round_once")
        ]

    def __str__(self) -> str:
        return f"{self.order_id}#{self.number}"

    @property
    def replied_late(self) -> bool:
        """Replied after this round's deadline (kept on the record once the reply is in)."""
        return self.replied_at is not None and self.replied_at > self.due_at


class DecisionKind(models.TextChoices):
    INTERVIEW = "interview", _("约谈")
    NOTICE = "notice", _("通报")
    RECTIFY = "rectify", _("限期整改")


class DecisionState(models.TextChoices):
    OPEN = "open", _("跟踪中")
    CLOSED = "closed", _("已办结")


class DecisionQuerySet(ScopedQuerySet):
    scope_fields = ("unit",)


class Decision(models.Model):
    """An accountability decision on a unit (most often one of a month's 末位), followed to
    closure with dated notes."""

    kind = models.CharField(_("问责方式"), max_length=10, choices=DecisionKind.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("问责单位"),
        on_delete=models.PROTECT,
        related_name="supervision_decisions",
    )
    issuer_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("决定单位"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.CharField(_("排名月份"), max_length=7, blank=True, default="")
    order = models.ForeignKey(
        SupervisionOrder,
        verbose_name=_("督办单"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    reason = models.TextField(_("事由"), max_length=2000)
    responsible = models.CharField(_("责任人"), max_length=60)
    due_on = models.DateField(_("完成期限"))
    state = models.CharField(
        _("状态"), max_length=10, choices=DecisionState.choices, default=DecisionState.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), db_index=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closing_note = models.TextField(_("办结说明"), max_length=2000, blank=True, default="")

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("问责决定")
        verbose_name_plural = _("问责决定")
        ordering = ("-decided_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.responsible}"

    def is_overdue(self, today=None) -> bool:
        return self.state == DecisionState.OPEN and self.due_on < (today or timezone.localdate())


class DecisionNote(models.Model):
    decision = models.ForeignKey(
        Decision, verbose_name=_("问责决定"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(_("跟踪记录"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("跟踪记录")
        verbose_name_plural = _("跟踪记录")
        ordering = ("decision", "created_at", "pk")

    def __str__(self) -> str:
        return self.text[:30]
