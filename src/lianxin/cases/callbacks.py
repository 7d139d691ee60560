"""回访 (calling the reporter back after a result) and 常用语 (canned replies of the handler's
forms). Imported into ``cases.models``; the rules are ``services.callback`` and
``services.replies``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import Case, Category
from lianxin.core.models import TimeStampedModel
from lianxin.org.models import Unit


class CallbackSatisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class CallBack(TimeStampedModel):
    """One call to the reporter about a resolved request: reached or not, and if reached how
    satisfied they said they were. Charged (``unit``/``handler``) to the unit and handler that
    resolved it, as the resident's own rating is; counted apart from it (``rates``)."""

    case = models.ForeignKey(
        Case, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="callbacks"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回访人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_name = models.CharField(_("回访人姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("回访计入单位"), on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回访计入承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("回访时间"), default=timezone.now, db_index=True)
    reached = models.BooleanField(_("已接通"))
    satisfied = models.CharField(
        _("回访满意度"), max_length=12, choices=CallbackSatisfaction.choices, blank=True
    )
    notes = models.TextField(_("回访记录"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        constraints = [
            models.CheckConstraint(
                condition=(Q(reached=True) & ~Q(satisfied=""))
                | (Q(reached=False) & Q(satisfied="")),
                name="cases_callback_satisfied_iff_reached",
            )
        ]
        indexes = [models.Index(fields=["case", "-at"], name="cases_callback_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.at:%Y-%m-%d %H:%M}"


class CannedPurpose(models.TextChoices):
    RESOLVE = "resolve", _("办结")
    SEND_BACK = "send_back", _("退回")
    REJECT = "reject", _("不予受理")


class CannedReply(TimeStampedModel):
    """常用语: a text the handler inserts into the 办结 / 退回 / 不予受理 box with one tap, then
    edits. ``category`` empty: offered for every category."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="canned_replies",
    )
    purpose = models.CharField(_("用途"), max_length=10, choices=CannedPurpose.choices)
    text = models.CharField(_("常用语"), max_length=500)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["purpose", "order", "id"]
        verbose_name = _("常用语")
        verbose_name_plural = _("常用语")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.text[:20]}"
