"""Input parsing of the 回访 form and the 常用语 screen (the rules live in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import CallbackSatisfaction, CannedPurpose, CannedReply, Category
from lianxin.core.forms import Form


class CallbackForm(Form):
    reached = forms.TypedChoiceField(
        label=_("是否接通"),
        choices=[("1", _("已接通")), ("0", _("未接通"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择是否接通。")},
    )
    satisfied = forms.ChoiceField(
        label=_("回访满意度"),
        choices=[("", _("（未接通不填）")), *CallbackSatisfaction.choices],
        required=False,
    )
    notes = forms.CharField(
        label=_("回访记录"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        d = super().clean()
        if d.get("reached") and not d.get("satisfied"):
            self.add_error("satisfied", _("已接通的回访请选择满意、基本满意或不满意。"))
        return d


class CannedReplyForm(Form):
    bounded_model = CannedReply

    purpose = forms.ChoiceField(label=_("用途"), choices=CannedPurpose.choices)
    category = forms.ModelChoiceField(
        label=_("分类"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("（全部分类）"),
    )
    text = forms.CharField(
        label=_("常用语"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True).select_related(
            "parent"
        )
