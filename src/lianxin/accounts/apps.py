from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lianxin.accounts"
    label = "accounts"
    verbose_name = _("账号")

    def ready(self) -> None:
        from lianxin.accounts import signals  # noqa: F401
