from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianxin.accounts import throttle
from lianxin.accounts.models import User
from lianxin.core.forms import BoundedFieldsMixin, Form
from lianxin.core.validators import normalize_phone, validate_phone
from lianxin.org.pickers import VillageChoiceField

ADDRESS_BLOCKED = "address_blocked"


class LoginForm(BoundedFieldsMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("手机号或用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("账号或密码不正确。连续输错 5 次将锁定 30 分钟。"),
        "inactive": _("该账号已停用，请联系管理员。"),
    }

    def clean(self):
        """Past the address-wide failure limit only accounts known here are even checked."""
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        request = self.request
        if (
            username
            and password
            and request is not None
            and throttle.address_blocked(request=request, username=username)
        ):
            throttle.audit_blocked(request=request, username=username)
            minutes = settings.LIANXIN_LOGIN_ADDRESS_LIMIT[1] // 60
            raise forms.ValidationError(
                gettext(
                    "此网络地址近期登录失败次数过多，暂时只允许曾在这里登录过的账号登录。"
                    "请 %(minutes)d 分钟后再试，或联系管理员。"
                )
                % {"minutes": minutes},
                code=ADDRESS_BLOCKED,
            )
        return super().clean()

    @property
    def blocked_by_address(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, ADDRESS_BLOCKED)


class PasswordChangeForm(Form):
    old_password = forms.CharField(
        label=_("当前密码"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=password_validation.password_validators_help_text_html,
    )
    new_password2 = forms.CharField(label=_("确认新密码"), strip=False, widget=forms.PasswordInput)

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("当前密码不正确。"))
        return value

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("new_password1"), data.get("new_password2")
        if p1 and p2 and p1 != p2:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as exc:
                self.add_error("new_password1", exc)
        return data


class RegisterForm(Form):
    phone = forms.CharField(label=_("手机号"), max_length=20, validators=[validate_phone])
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    # Town → village, grouped and searchable (org.pickers); a clerk confirms it (org.residence).
    community = VillageChoiceField(
        label=_("所在村（社区）"),
        help_text=_(
            "请选择您居住的村（社区），由村（社区）工作人员确认后即可查看本村（社区）的功能室、活动和微心愿。"
        ),
        error_messages={
            "required": _("请选择所在的村（社区）。"),
            "invalid_choice": _("请选择所在的村（社区）。"),
        },
    )
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(label=_("确认密码"), strip=False, widget=forms.PasswordInput)

    def clean_phone(self):
        # Whether the number is registered is not said here (anyone could test numbers):
        # registration_start texts the phone either way.
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            try:
                password_validation.validate_password(
                    p1,
                    User(username=data.get("phone", ""), display_name=data.get("display_name", "")),
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class RegisterCodeForm(Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )
