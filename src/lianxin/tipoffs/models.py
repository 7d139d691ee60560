"""举报: a confidential report against a unit or a person, its sensitive fields encrypted."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.tipoffs import crypto


class TipoffState(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    RECEIVED = "received", _("已受理")
    INVESTIGATING = "investigating", _("调查中")
    CONCLUDED = "concluded", _("已办结")


class Conclusion(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("属实")
    PARTLY = "partly", _("部分属实")
    NOT_SUBSTANTIATED = "not_substantiated", _("不属实")


class Tipoff(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("被举报单位"), on_delete=models.PROTECT, related_name="+"
    )
    # Fernet tokens (tipoffs.crypto); never plain text.
    reported_person_enc = models.TextField(_("被举报人（密文）"), blank=True)
    text_enc = models.TextField(_("举报内容（密文）"))
    reporter_enc = models.TextField(_("举报人（密文）"), blank=True)
    contact_enc = models.TextField(_("联系方式（密文）"), blank=True)
    # keyed hash of the reporter's user id ("我的举报") and of the anonymous follow-up code
    reporter_key = models.CharField(max_length=64, blank=True, db_index=True)
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    anonymous = models.BooleanField(_("匿名"), default=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=TipoffState.choices, default=TipoffState.SUBMITTED
    )
    conclusion = models.CharField(_("结论"), max_length=20, choices=Conclusion.choices, blank=True)
    finding_enc = models.TextField(_("查处情况（密文）"), blank=True)
    feedback_enc = models.TextField(_("反馈（密文）"), blank=True)
    # the filing form's one-time token: a double submit files one 举报
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        default_permissions = ()
        permissions = [("reveal_reporter", _("查看举报人身份"))]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def text(self) -> str:
        return crypto.decrypt(self.text_enc)

    @property
    def reported_person(self) -> str:
        return crypto.decrypt(self.reported_person_enc)

    @property
    def finding(self) -> str:
        return crypto.decrypt(self.finding_enc)

    @property
    def feedback(self) -> str:
        return crypto.decrypt(self.feedback_enc)
