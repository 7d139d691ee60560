from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
from lianxin.privacy.models import CorrectionKind
from lianxin.privacy.services import PERSON_CORRECTABLE


class CorrectionRequestForm(Form):
    kind = forms.ChoiceField(label=_("信息类别"), choices=CorrectionKind.choices)
    field = forms.ChoiceField(
        label=_("字段（本人信息）"),
        required=False,
        choices=[("", _("（不指定）")), *PERSON_CORRECTABLE.items()],
    )
    record_ref = forms.CharField(
        label=_("记录（编号或名称）"),
        required=False,
        max_length=40,
        help_text=_("如诉求查询码、心愿名称；本人信息可不填。"),
    )
    problem = forms.CharField(
        label=_("哪里不对"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请说明哪里不对。")},
    )
    proposed = forms.CharField(label=_("应更正为"), required=False, max_length=200)


class CorrectionHandleForm(Form):
    ACTIONS = [
        ("apply", _("按申请更正")),
        ("done", _("已人工处理")),
        ("reject", _("不予更正")),
    ]
    action = forms.ChoiceField(label=_("处理方式"), choices=ACTIONS, widget=forms.RadioSelect)
    value = forms.CharField(
        label=_("更正后的内容"),
        required=False,
        max_length=200,
        help_text=_("不填则按申请人提出的内容更正。"),
    )
    note = forms.CharField(
        label=_("处理说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("人工处理时说明改了什么；不予更正时写明理由（申请人可见）。"),
    )
