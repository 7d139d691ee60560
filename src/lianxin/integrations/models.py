"""对接管理: another platform (12345 hotline, a WeChat channel) that calls our API with a token.

* ``Integration`` is the platform: a name, the unit whose subtree it may touch, and a service
  user that acts for it. The service user holds a staff Membership at the unit, so every
  selector scopes it through ``org.scoping`` exactly as it scopes a person.
* ``ApiToken`` is one credential of it: only the sha256 of the raw token is stored (the raw
  ``lx_…`` is shown once, at creation), with the named permissions it may use, an expiry, and
  its revocation.
* ``IntegrationCase`` says which requests came in through which integration (webhooks hand
  their state changes back to it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import User

TOKEN_PREFIX = "lx_"
PREFIX_LENGTH = 8  # the characters after "lx_" shown in lists


class Integration(models.Model):
    name = models.CharField(_("对接名称"), max_length=100)
    slug = models.SlugField(_("标识"), max_length=50, unique=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="integrations",
    )
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("服务账号"),
        on_delete=models.PROTECT,
        related_name="integration",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("对接系统")
        verbose_name_plural = _("对接系统")

    def __str__(self) -> str:
        return self.name


class TokenState(models.TextChoices):
    ACTIVE = "active", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已撤销")


class ApiToken(models.Model):
    integration = models.ForeignKey(
        Integration, verbose_name=_("对接系统"), on_delete=models.CASCADE, related_name="tokens"
    )
    prefix = models.CharField(_("令牌前缀"), max_length=PREFIX_LENGTH, db_index=True)
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    permissions = models.JSONField(_("权限"), default=list, blank=True)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.integration} · {TOKEN_PREFIX}{self.prefix}…"

    @property
    def display_prefix(self) -> str:
        return f"{TOKEN_PREFIX}{self.prefix}…"

    def state_at(self, now=None) -> str:
        """Revoked wins over expired: a revoked token stays revoked after its expiry."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.expires_at <= now:
            return TokenState.EXPIRED
        return TokenState.ACTIVE

    @property
    def state(self) -> str:
        return self.state_at()

    def get_state_display(self) -> str:
        return str(TokenState(self.state).label)


class IntegrationCase(models.Model):
    integration = models.ForeignKey(
        Integration, verbose_name=_("对接系统"), on_delete=models.PROTECT, related_name="cases"
    )
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("诉求"),
        on_delete=models.CASCADE,
        related_name="integration_origin",
    )
    external_id = models.CharField(_("对方编号"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("对接来源")
        verbose_name_plural = _("对接来源")
        indexes = [models.Index(fields=["integration", "external_id"])]

    def __str__(self) -> str:
        return f"{self.integration} · {self.case_id}"


class ServiceUser(User):
    """The service user as the API sees it once a token authenticated it: ``has_perm`` answers
    only for the token's permissions (and then the app's rules decide, with the Membership's
    role and scope, as for a person). Without a token's list it answers no for everything."""

    class Meta:
        proxy = True
        verbose_name = _("服务账号")
        verbose_name_plural = _("服务账号")

    token_permissions: frozenset[str] | None = None

    def has_perm(self, perm, obj=None) -> bool:
        allowed = self.token_permissions
        if not allowed or perm not in allowed:
            return False
        return super().has_perm(perm, obj)

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(p, obj) for p in perm_list)

    def has_module_perms(self, app_label) -> bool:
        allowed = self.token_permissions or frozenset()
        return any(p.split(".", 1)[0] == app_label for p in allowed)
