"""An append-only audit trail: who did what to whom, when, from where, with what outcome.

The application never edits or deletes a row (网络安全法 Art. 21 asks for at least 180 days);
``save`` refuses updates and ``delete`` refuses outright, and the admin is read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import AppendOnlyModel, AppendOnlyQuerySet


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    LOCKED_OUT = "locked_out", _("账号锁定")
    PERMISSION_DENIED = "permission_denied", _("越权访问被拒")
    SCOPE_DENIED = "scope_denied", _("查看对象被拒（不存在或不在权限内）")
    REVEAL = "reveal", _("查看完整个人信息")
    EXPORT = "export", _("导出")
    ROLE_CHANGE = "role_change", _("角色变更")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    REGISTER = "register", _("注册")
    CREATE = "create", _("新建")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    IMPORT = "import", _("导入")
    API_CALL = "api_call", _("接口调用（对接令牌）")


class AuditEventQuerySet(AppendOnlyQuerySet):
    """Bulk update and delete are refused (``ImmutableRowError``, a ``PermissionError``)."""


class AuditEvent(AppendOnlyModel):
    """One audit row. Append-only (``core.models.AppendOnlyModel``): a stored row is never
    changed or deleted through the ORM, because it is the evidence of who did what."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=32, choices=AuditAction.choices, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    reason = models.CharField(_("事由"), max_length=500, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, default="ok")
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    path = models.CharField(_("访问路径"), max_length=500, blank=True)
    extra = models.JSONField(_("附加信息"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        from lianxin.core.masking import mask_login

        return f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M} {mask_login(self.actor_name)} {self.action}"
