from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "lianxin.privacy"
    label = "privacy"
    verbose_name = _("个人信息")

    def ready(self) -> None:
        from lianxin.privacy import checks  # noqa: F401  (registers the retention check)
