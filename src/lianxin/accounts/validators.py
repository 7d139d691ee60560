"""Password rules from 等保2.0: character classes and no reuse of recent passwords."""

from __future__ import annotations

import string

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    classes = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c in string.digits for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号中的至少 %(n)d 类。")
                % {"n": self.min_classes},
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return _("至少包含小写字母、大写字母、数字、符号中的 %(n)d 类。") % {"n": self.min_classes}


class PasswordHistoryValidator:
    def validate(self, password: str, user=None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        n = settings.LIANXIN_PASSWORD_HISTORY
        if n <= 0:
            return
        recent = [user.password] if user.password else []
        recent += list(user.password_history.values_list("password", flat=True)[: n - 1])
        if any(check_password(password, h) for h in recent):
            raise ValidationError(
                _("不能使用最近 %(n)d 次用过的密码。") % {"n": n}, code="password_reused"
            )

    def get_help_text(self) -> str:
        return _("不能与最近 %(n)d 次的密码相同。") % {"n": settings.LIANXIN_PASSWORD_HISTORY}
