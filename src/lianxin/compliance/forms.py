"""Input forms of 阵地规范化: they parse and label fields; the rules live in services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
from lianxin.venues.forms import PHOTO_INPUT


class ChecklistForm(Form):
    name = forms.CharField(label=_("名称"), max_length=60)
    pass_ratio = forms.DecimalField(
        label=_("及格线（得分率）"),
        min_value=Decimal("0.1"),
        max_value=Decimal("1"),
        decimal_places=2,
        initial=Decimal("0.6"),
    )
    lines = forms.CharField(
        label=_("检查项"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("每行一项：类别|检查内容|满分，例如：环境卫生|室内外整洁|10"),
    )


class TaskCloseForm(Form):
    """销号: what was done and the after-photo. Both are checked in the service
    (compliance.rectification), which keeps a good photo even when the note is missing."""

    note = forms.CharField(label=_("整改情况"), max_length=200, required=False)
    photo = forms.FileField(label=_("整改后照片"), required=False, widget=PHOTO_INPUT)
