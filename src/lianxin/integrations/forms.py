"""Forms of 对接管理: a new integration (name, unit) and a new token (permissions, lifetime)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
from lianxin.integrations import selectors, services
from lianxin.org.models import ADMINISTRATIVE_KINDS, UnitKind
from lianxin.org.scoping import scoped_units


class IntegrationForm(Form):
    name = forms.CharField(
        label=_("对接名称"), max_length=100, help_text=_("如“12345政务服务便民热线”“XX公众号”。")
    )
    unit = forms.ModelChoiceField(
        label=_("所属单位"),
        queryset=None,
        help_text=_("对接系统只能读写该单位及其下级的数据。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [*ADMINISTRATIVE_KINDS, UnitKind.DEPARTMENT]
        self.fields["unit"].queryset = scoped_units(user, *kinds).order_by("path")


class TokenForm(Form):
    permissions = forms.MultipleChoiceField(
        label=_("权限"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("令牌只能执行勾选的操作，且仍受所属单位范围限制。"),
    )
    days = forms.IntegerField(label=_("有效期（天）"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].choices = [
            (app, [(perm, perm) for perm in perms])
            for app, perms in selectors.token_permission_choices()
        ]
        days = self.fields["days"]
        days.max_value = services.max_days()
        days.validators.append(_max_days)
        days.initial = services.default_days()
        days.widget.attrs["max"] = services.max_days()
        days.help_text = _("最长 %(days)s 天。") % {"days": services.max_days()}


def _max_days(value: int) -> None:
    if value > services.max_days():
        raise forms.ValidationError(_("有效期最长 %(days)s 天") % {"days": services.max_days()})
