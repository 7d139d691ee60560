from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
from lianxin.core.validators import normalize_phone, validate_phone
from lianxin.org.models import Role


class StaffAccountForm(Form):
    unit_code = forms.CharField(label=_("单位编码"), max_length=64)
    role = forms.ChoiceField(label=_("角色"), choices=())
    post = forms.CharField(label=_("职务"), max_length=50, required=False)
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    username = forms.CharField(label=_("登录名"), max_length=150)
    phone = forms.CharField(
        label=_("手机号"), max_length=20, required=False, validators=[validate_phone]
    )
    initial_password = forms.CharField(
        label=_("初始密码"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("首次登录时须修改。"),
    )

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in Role.values if r in roles]
        self.fields["initial_password"].help_text = (
            str(_("首次登录时须修改。"))
            + " "
            + password_validation.password_validators_help_text_html()
        )

    def clean_phone(self):
        value = self.cleaned_data.get("phone")
        return normalize_phone(value) if value else ""
