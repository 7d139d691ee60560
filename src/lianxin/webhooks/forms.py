"""The registration form of a webhook subscription: a name, a URL, and either an integration
(its requests) or a unit (the requests under it) from the administrator's own scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
from lianxin.org.pickers import UnitChoiceField


class SubscriptionForm(Form):
    name = forms.CharField(label=_("名称"), max_length=80, help_text=_("如：市12345热线平台"))
    url = forms.CharField(
        label=_("推送地址"),
        max_length=500,
        help_text=_("对方接收推送的 https 地址。"),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    integration = forms.ModelChoiceField(
        label=_("来源接入方"),
        queryset=None,
        required=False,
        help_text=_("推送从该接入方进入的诉求的状态变化。"),
    )
    unit = UnitChoiceField(
        label=_("或：单位"),
        queryset=None,
        required=False,
        help_text=_("推送该单位及下级承办或所在的全部诉求的状态变化。"),
    )

    def __init__(self, *args, integrations=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["integration"].queryset = integrations
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if bool(data.get("integration")) == bool(data.get("unit")):
            raise forms.ValidationError(_("请选择一个接入方或一个单位（二者选一）。"))
        return data
