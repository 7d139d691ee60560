"""Forms for 党建品牌 and 合理化建议."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.brands.models import BrandRating
from lianxin.core.forms import Form
from lianxin.org.pickers import UnitSelect, grouped_unit_choices


def _unit_choices(units):
    """Units grouped by town, labels unique (org.pickers: issue 9, the flat list of 357 names)."""
    return grouped_unit_choices(units)


class BrandForm(Form):
    unit = forms.TypedChoiceField(label=_("申报党组织"), coerce=int, widget=UnitSelect)
    name = forms.CharField(label=_("品牌名称"), max_length=80)
    summary = forms.CharField(
        label=_("品牌内涵"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)


class BrandReviewForm(Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    rating = forms.ChoiceField(label=_("评定等次"), choices=BrandRating.choices)
    comment = forms.CharField(label=_("评语"), max_length=300, required=False)


class ProposalForm(Form):
    title = forms.CharField(label=_("建议标题"), max_length=100)
    content = forms.CharField(
        label=_("建议内容"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ProposalReviewForm(Form):
    adopt = forms.TypedChoiceField(
        label=_("评审结果"),
        coerce=lambda v: v == "1",
        choices=[("1", _("采纳")), ("0", _("不采纳"))],
    )
    note = forms.CharField(label=_("评审意见"), max_length=300, required=False)
    due = forms.DateField(
        label=_("落实期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
