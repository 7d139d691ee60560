"""Accounts: staff, party members and residents all log in with one user model."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.validators import validate_phone


class User(AbstractUser):
    phone = models.CharField(
        _("手机号"), max_length=11, unique=True, null=True, blank=True, validators=[validate_phone]
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    photo = models.ImageField(_("照片"), upload_to="staff-photos/", blank=True)
    must_change_password = models.BooleanField(_("须修改初始密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.display_login

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name() or self.display_login

    @property
    def display_login(self) -> str:
        """The login name as any page shows it: a phone-number login is masked (138****5678).
        Authentication and the audit trail keep the full ``username``; pages never print it."""
        from lianxin.core.masking import mask_login

        return mask_login(self.username)


class PasswordHistory(models.Model):
    """Hashes of earlier passwords, so the last N are not reused (等保)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
