"""Forms of 查处举报: filing, following with the code, handling and revealing the reporter."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
from lianxin.org.pickers import UnitChoiceField
from lianxin.tipoffs.models import Conclusion
from lianxin.tipoffs.selectors import reportable_units
from lianxin.tipoffs.services import MAX_TEXT


class TipoffForm(Form):
    unit = UnitChoiceField(queryset=None, label=_("被举报单位"))
    reported_person = forms.CharField(
        label=_("被举报人（选填）"),
        max_length=60,
        required=False,
        help_text=_("姓名或职务，不清楚可不填。"),
    )
    text = forms.CharField(
        label=_("举报内容"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写明时间、地点和经过。内容加密保存，被举报单位及其上级看不到。"),
    )
    anonymous = forms.BooleanField(label=_("匿名举报"), required=False, initial=True)
    reporter_name = forms.CharField(label=_("您的姓名（选填）"), max_length=40, required=False)
    contact = forms.CharField(
        label=_("联系方式（选填）"),
        max_length=40,
        required=False,
        help_text=_("仅便于核实情况；只有经授权的查处人员可查看，且每次查看都会记录。"),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, logged_in: bool = False, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("form_token", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = reportable_units()
        if not logged_in:
            del self.fields["anonymous"]  # without an account every 举报 is anonymous


class FollowForm(Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ConcludeForm(Form):
    conclusion = forms.ChoiceField(
        label=_("结论"), choices=Conclusion.choices, widget=forms.RadioSelect
    )
    finding = forms.CharField(
        label=_("查处情况（仅查处人员可见）"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    feedback = forms.CharField(
        label=_("给举报人的反馈"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("举报人凭查询码可以看到这段文字。"),
    )


class RevealForm(Form):
    reason = forms.CharField(
        label=_("查看理由"),
        max_length=200,
        help_text=_("理由写入审计日志：请勿写入举报内容或人名。"),
    )
