"""共同反映人: the other residents on one request (我也遇到 at intake, or a merged duplicate's
reporters). Imported into ``cases.models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import Case
from lianxin.core.models import TimeStampedModel


class CoReporterSource(models.TextChoices):
    ATTACH = "attach", _("我也遇到")
    MERGE = "merge", _("合并的重复诉求")


class CoReporter(TimeStampedModel):
    """Another resident on the same request: one who said "我也遇到" at intake, or the reporter
    of a duplicate merged into it. Told of its outcome and may rate it (``may_evaluate``)."""

    case = models.ForeignKey(
        Case, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="co_reporters"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="co_reported_cases",
    )
    name = models.CharField(_("联系人"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20)
    source = models.CharField(_("来源"), max_length=10, choices=CoReporterSource.choices)
    from_case = models.ForeignKey(
        Case,
        verbose_name=_("原诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("共同反映人")
        verbose_name_plural = _("共同反映人")
        constraints = [
            models.UniqueConstraint(fields=["case", "phone"], name="cases_coreporter_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_source_display()}"
