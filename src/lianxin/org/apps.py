from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "lianxin.org"
    label = "org"
    verbose_name = _("组织架构")

    def ready(self) -> None:
        from lianxin.core.spreadsheets import register_scope_labeller
        from lianxin.org.scoping import scope_label

        register_scope_labeller(scope_label)
