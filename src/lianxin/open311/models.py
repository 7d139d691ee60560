"""Open311 GeoReport v2 data: the attributes a category asks for, and what each request brought.

A GeoReport *service* is one of our categories (``cases.Category``); its *definition* lists the
attributes below (GeoReport's ``attribute[code]`` fields: 灯杆编号 for a street light, 室内温度
for a cold flat). A category with active attributes is announced with ``metadata: true``.

``Submission`` keeps what a request received through Open311 beyond the case itself: the
GeoReport token (returned with the id, resolvable later through ``tokens/{token}``), the
attribute values as typed, and the caller's ``media_url``. The case's text carries the values
too, so the handler sees them on the ordinary screens.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import TimeStampedModel


class Datatype(models.TextChoices):
    """GeoReport v2's attribute datatypes, spelled as the spec spells them."""

    STRING = "string", _("短文本")
    NUMBER = "number", _("数字")
    DATETIME = "datetime", _("日期时间")
    TEXT = "text", _("长文本")
    SINGLEVALUELIST = "singlevaluelist", _("单选")
    MULTIVALUELIST = "multivaluelist", _("多选")


LIST_TYPES = (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)


class ServiceAttribute(TimeStampedModel):
    """One question of a category's GeoReport service definition."""

    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("诉求分类"),
        on_delete=models.CASCADE,
        related_name="open311_attributes",
    )
    code = models.SlugField(_("编码"), max_length=40)
    description = models.CharField(_("问题"), max_length=200)
    datatype = models.CharField(_("数据类型"), max_length=16, choices=Datatype.choices)
    datatype_description = models.CharField(_("填写说明"), max_length=200, blank=True)
    required = models.BooleanField(_("必填"), default=False)
    # GeoReport ``variable``: false for an informational attribute the caller cannot set.
    variable = models.BooleanField(_("可填写"), default=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    # [{"key": "1", "name": "..."}] for the list types; empty otherwise.
    values = models.JSONField(_("选项"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["category", "order", "id"]
        verbose_name = _("Open311 附加字段")
        verbose_name_plural = _("Open311 附加字段")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="open311_attr_code"),
            models.CheckConstraint(
                condition=Q(datatype__in=[c.value for c in Datatype]), name="open311_attr_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.code}"

    def value_names(self) -> dict[str, str]:
        return {str(v.get("key")): str(v.get("name", "")) for v in self.values or []}


class Submission(TimeStampedModel):
    """What one request brought through Open311 (one per case)."""

    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("诉求"),
        on_delete=models.CASCADE,
        related_name="open311_submission",
    )
    token = models.CharField(_("受理令牌"), max_length=40, unique=True, editable=False)
    attributes = models.JSONField(_("附加字段"), default=dict, blank=True)
    media_url = models.URLField(_("图片链接"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Open311 提交")
        verbose_name_plural = _("Open311 提交")

    def __str__(self) -> str:
        return f"{self.case_id}/{self.token[:6]}"
