from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "lianxin.triage"
    label = "triage"
    verbose_name = _("分派助手")

    def ready(self) -> None:
        from lianxin.triage import rules  # noqa: F401  (registers the named permissions)
