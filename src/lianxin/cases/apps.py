from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lianxin.cases"
    label = "cases"
    verbose_name = _("诉求办理")

    def ready(self) -> None:
        from lianxin.cases import (
            category_cache,  # noqa: F401  (forgets the list on a change)
            unit_moves,  # noqa: F401  (the org.signals.unit_moved receiver)
        )
